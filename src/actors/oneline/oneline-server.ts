import { createLogger, type Logger } from '../../logger.js';
import type { OnelineCommand } from '../../protocols/oneline/command.js';
import { onelineServerProtocol, type OnelineProtocolOptions } from '../../protocols/oneline/protocol.js';
import type { ConnectionOptions } from '../connection/options.js';
import { Server, type AdmissionOverflow, type ListenAddress, type ServerStats } from '../server.js';
import { CommandRegistry } from './command-registry.js';
import { CommandCounts, OnelineSession, type OnelineCommandStats, type SessionHost } from './oneline-session.js';

/** Options of {@link OnelineServer}; every field has a default. */
export interface OnelineServerOptions extends OnelineProtocolOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Command handlers. Default: an empty registry (only the built-ins answer). */
  handlers?: CommandRegistry;
  /**
   * Answer `ping`/`disconnect`/`shutdown` even when bytes were dropped from the line (the
   * original's behaviour: `pi\xffng` gets `pong`). Default false: such lines go to the handlers
   * flagged invalid.
   */
  builtinsOnInvalid?: boolean;
  /**
   * Clients arriving while one is served: `hold` them unread and serve them in turn (the
   * original's behaviour through its listen backlog), or `refuse` them with a FIN. Default `hold`.
   */
  extraClients?: AdmissionOverflow;
  /** How many extra clients may be held; further ones are refused. Default 1. */
  maxHeldClients?: number;
  /** Lines read ahead of the handler before the socket is paused. Default 1 024. */
  maxPendingLines?: number;
  /** Per-connection options (idle timeout, send queue bounds, ...). */
  connection?: ConnectionOptions;
}

/** Counters of a {@link OnelineServer}. */
export interface OnelineServerStats extends ServerStats {
  commands: OnelineCommandStats;
}

/**
 * A socket-oneline server, wire-compatible with the Python original: newline-terminated
 * commands, `ping` → `pong`, `disconnect`, `shutdown`, one client at a time, pluggable handlers.
 * Unlike the original it survives EOF, resets and handler errors, bounds line length and memory,
 * and closes its listener on `shutdown`.
 *
 * @example
 * ```ts
 * const server = new OnelineServer({ handlers: new CommandRegistry().register('cmd01', () => 'ack') });
 * const { port } = await server.start();
 * await server.stopped; // after a client sends `shutdown`
 * ```
 */
export class OnelineServer {
  /** The handlers; may be changed while the server runs. */
  readonly handlers: CommandRegistry;
  /** Resolves once the server has stopped (after `shutdown` or {@link stop}). */
  readonly stopped: Promise<void>;

  private readonly server: Server<OnelineCommand, string>;
  private readonly host: SessionHost & { commandCounts: CommandCounts | undefined };
  private session: OnelineSession | undefined;
  private running = false;
  private stopping: Promise<void> | undefined;
  private resolveStopped!: () => void;

  constructor(options: OnelineServerOptions = {}) {
    this.handlers = options.handlers ?? new CommandRegistry();
    this.stopped = new Promise((resolve) => (this.resolveStopped = resolve));
    const log: Logger = createLogger('oneline.server');
    const stats: OnelineCommandStats = { lines: 0, pings: 0, handled: 0, unhandled: 0, invalid: 0, oversized: 0, handlerErrors: 0 };
    this.host = {
      registry: this.handlers,
      builtinsOnInvalid: options.builtinsOnInvalid ?? false,
      maxPendingLines: options.maxPendingLines ?? 1024,
      stats,
      commandCounts: undefined,
      log,
      shutdownRequested: () => {
        log.info('shutdown requested by the client');
        void this.stop();
      },
    };
    this.server = new Server({
      protocol: onelineServerProtocol(options),
      host: options.host,
      port: options.port,
      maxConnections: 1,
      overflow: options.extraClients ?? 'hold',
      maxHeld: options.maxHeldClients ?? 1,
      name: 'oneline.server',
      // The owner decides when to close after EOF: complete lines still get their answers.
      connection: { ...options.connection, closeOnPeerEnd: false },
    });
    this.server.connections$.subscribe((connection) => {
      const session = new OnelineSession(connection, this.host);
      this.session = session;
      void connection.closed.then(() => {
        if (this.session === session) this.session = undefined;
      });
    });
  }

  /** Binds and starts serving; rejects when the address cannot be bound. */
  async start(): Promise<ListenAddress> {
    const address = await this.server.listen();
    this.running = true;
    return address;
  }

  /** The bound address, once started. */
  get address(): ListenAddress | undefined {
    return this.server.address;
  }

  /** True between a successful {@link start} and the stop. */
  get isRunning(): boolean {
    return this.running;
  }

  /** True while a client is being served. */
  get hasClient(): boolean {
    return this.session !== undefined;
  }

  /**
   * Sends an unprompted line to the current client. Returns false when no client is connected.
   * A `\n` inside `text` goes out as a line break, as in the original.
   */
  send(text: string): boolean {
    return this.session?.send(text) ?? false;
  }

  /**
   * Stops: closes the listener, lets the current client's queued responses go out, closes it with
   * a FIN, and refuses held clients. Resolves when everything is closed.
   */
  stop(): Promise<void> {
    if (!this.stopping) {
      this.running = false;
      this.stopping = this.server.drain().then(() => this.resolveStopped());
    }
    return this.stopping;
  }

  /** @internal The TCP server and its connections (for the monitor, docs/MONITOR.md). */
  get acceptor(): Server<OnelineCommand, string> {
    return this.server;
  }

  /**
   * Lines by command name from now on: counting starts with the first call (the monitor's), so a
   * server nobody watches does no map lookup per line.
   */
  commandCounts(): CommandCounts {
    return (this.host.commandCounts ??= new CommandCounts());
  }

  /** Counters of the server, its connections and its command handling. */
  stats(): OnelineServerStats {
    return { ...this.server.stats(), commands: { ...this.host.stats } };
  }
}
