import { dial } from '../client.js';
import { systemClock, type Clock } from '../clock.js';
import type { Connection, ConnectionStats } from '../connection/connection.js';
import { zeroConnectionStats } from '../connection/connection-stats.js';
import { ClosedError } from '../errors.js';
import { onelineClientProtocol, type OnelineProtocolOptions } from '../../protocols/oneline/protocol.js';
import { pythonStrip } from '../../protocols/oneline/text.js';

/** Options of {@link OnelineClient}. */
export interface OnelineClientOptions extends OnelineProtocolOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  port: number;
  /** Time allowed for the TCP connect, in ms. Default 5 000 (the original has none). */
  connectTimeoutMs?: number;
  /** Default deadline of {@link OnelineClient.recv} and of the `ping` check, in ms. Default 3 000. */
  recvTimeoutMs?: number;
  /** Response lines buffered ahead of `recv` before the socket is paused. Default 1 024. */
  maxBufferedLines?: number;
  /** Where `recv` deadlines are timed (tests pass a manual clock). Default: the system clock. */
  clock?: Clock;
}

/**
 * A socket-oneline client, compatible with the original server and with ours. `connect()` is
 * the original's check: send `ping`, require `pong`. Responses are stripped as the Python client
 * strips them. Unlike the original it closes a connection whose check failed, reports EOF as a
 * disconnect, never returns half a line, and decodes bad UTF-8 with replacement characters.
 *
 * @example
 * ```ts
 * const client = new OnelineClient({ port });
 * if (await client.connect()) {
 *   client.send('cmd01');
 *   console.log(await client.recv()); // 'ack'
 *   await client.disconnect();
 * }
 * ```
 */
export class OnelineClient {
  private readonly options: OnelineClientOptions;
  private connection: Connection<string, string> | undefined;
  private lines: string[] = [];
  private waiters: Array<(line: string | undefined) => void> = [];
  private paused = false;

  constructor(options: OnelineClientOptions) {
    this.options = options;
  }

  /** True after a successful {@link connect} until the connection ends, from either side. */
  get connected(): boolean {
    return this.connection?.status === 'open';
  }

  /**
   * Connects and checks the server with `ping`/`pong`. Returns false (and closes the socket) when
   * the server cannot be reached or does not answer `pong` in time. An existing connection is
   * disconnected first.
   */
  async connect(): Promise<boolean> {
    if (this.connection) await this.disconnect();
    let connection: Connection<string, string>;
    try {
      connection = await dial(onelineClientProtocol(this.options), {
        host: this.options.host,
        port: this.options.port,
        connectTimeoutMs: this.options.connectTimeoutMs ?? 5_000,
        connection: { name: 'oneline.client', closeOnPeerEnd: true },
      });
    } catch {
      return false;
    }
    this.attach(connection);
    this.send('ping');
    if ((await this.recv()) === 'pong') return true;
    await connection.close();
    return false;
  }

  /** Sends one command line (0x0A is appended). Throws {@link ClosedError} when not connected. */
  send(command: string): void {
    const connection = this.connection;
    if (!connection || connection.status !== 'open') throw new ClosedError('not connected');
    connection.send(command);
  }

  /**
   * The next response line, stripped of surrounding whitespace. Resolves `''` when nothing
   * arrives within `timeoutMs` (default: the client's `recvTimeoutMs`, 3 s) or the connection has
   * ended; a line that arrives later is returned by the next call.
   */
  recv(timeoutMs = this.options.recvTimeoutMs ?? 3_000): Promise<string> {
    const line = this.lines.shift();
    if (line !== undefined) {
      this.resumeIfDrained();
      return Promise.resolve(line);
    }
    if (!this.connection || this.connection.end) return Promise.resolve('');
    const clock = this.options.clock ?? systemClock;
    return new Promise((resolve) => {
      const waiter = (value: string | undefined): void => {
        clock.clearTimeout(timer);
        resolve(value ?? '');
      };
      const timer = clock.setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve('');
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Counters of the current connection (bytes and lines each way); all zero before the first connect. */
  stats(): ConnectionStats {
    return this.connection?.stats() ?? zeroConnectionStats();
  }

  /** Sends `disconnect`, closes in order and waits for the close. */
  disconnect(): Promise<void> {
    return this.leave('disconnect');
  }

  /** Sends `shutdown` (the server stops), closes in order and waits for the close. */
  shutdown(): Promise<void> {
    return this.leave('shutdown');
  }

  /** Closes without telling the server anything. */
  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (connection) await connection.close();
  }

  private async leave(command: 'disconnect' | 'shutdown'): Promise<void> {
    const connection = this.connection;
    if (!connection) return;
    this.connection = undefined;
    if (connection.status === 'open') {
      connection.send(command);
      await connection.drain();
    } else {
      await connection.close();
    }
  }

  private attach(connection: Connection<string, string>): void {
    this.connection = connection;
    this.lines = [];
    this.paused = false;
    connection.messages$.subscribe({
      next: (raw) => {
        const line = pythonStrip(raw);
        const waiter = this.waiters.shift();
        if (waiter) {
          waiter(line);
          return;
        }
        this.lines.push(line);
        if (this.lines.length >= (this.options.maxBufferedLines ?? 1024) && !this.paused) {
          this.paused = true;
          connection.pause();
        }
      },
      complete: () => {
        for (const waiter of this.waiters.splice(0)) waiter(undefined);
      },
    });
  }

  private resumeIfDrained(): void {
    if (this.paused && this.lines.length < (this.options.maxBufferedLines ?? 1024) / 2) {
      this.paused = false;
      this.connection?.resume();
    }
  }
}
