import { createServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { Observable, Subject } from 'rxjs';
import { createLogger, type Logger } from '../logger.js';
import type { Protocol } from '../protocols/protocol.js';
import { Connection } from './connection/connection.js';
import type { ConnectionStats } from './connection/connection-stats.js';
import { ConnectionEndings } from './connection/connection-endings.js';
import { ConnectionTemplate } from './connection/connection-template.js';
import type { ConnectionStatus } from './connection/lifecycle.js';
import type { ConnectionOptions } from './connection/options.js';


/**
 * What a server does with a connection beyond `maxConnections`:
 * - `refuse`: hand the socket to `refuse` (default: discard its input and close with FIN);
 * - `hold`: keep it paused, unread, in a FIFO of at most `maxHeld` sockets, and admit it when a
 *   slot frees up (socket-oneline's original behaviour through the kernel backlog). Sockets beyond
 *   `maxHeld` are refused.
 * - `evict-idle`: close the connection whose peer has sent nothing for the longest time, if that is
 *   at least `evictAfterMs`, and admit the new one; otherwise refuse it. A few clients that connect
 *   and go silent (or send half a request) then cannot lock everyone else out.
 * - `evict-handshaking`: the same, among connections that have not completed their handshake only
 *   (for servers whose open connections may rightly be silent, like a game's observers).
 */
export type AdmissionOverflow = 'refuse' | 'hold' | 'evict-idle' | 'evict-handshaking';

/** Options of a {@link Server}. */
export interface ServerOptions<In, Out> {
  protocol: Protocol<In, Out>;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Options of every accepted connection. */
  connection?: ConnectionOptions;
  /** Connections served at once. Default `Infinity`. */
  maxConnections?: number;
  /** Default `refuse`. */
  overflow?: AdmissionOverflow;
  /** Bound of the hold FIFO. Default 1. */
  maxHeld?: number;
  /** `evict-idle`, `evict-handshaking`: how long a connection's peer must have been silent to be evicted, in ms. Default 1 000. */
  evictAfterMs?: number;
  /** Graceful refusal of a socket that is not admitted. Default: discard input, FIN, destroy later. */
  refuse?: (socket: Socket) => void;
  /** Name in log lines. Default `<protocol>.server`. */
  name?: string;
}

/** Counters of a server: its own and the sum over its connections, past and present. */
export interface ServerStats extends Omit<ConnectionStats, 'queuedFrames' | 'queuedBytes' | 'peakQueuedBytes'> {
  connectionsAccepted: number;
  connectionsActive: number;
  connectionsHeld: number;
  connectionsRefused: number;
  /** Connections closed by the `evict-idle` or `evict-handshaking` policy to admit new ones. */
  connectionsEvicted: number;
  /** Connections that ended with an error (protocol, socket, handshake, slow consumer). */
  connectionErrors: number;
  /** Frames and bytes waiting in the send queues of active connections. */
  queuedFrames: number;
  queuedBytes: number;
}

/** Host and port a server listens on. */
export interface ListenAddress {
  host: string;
  port: number;
}

const REFUSE_GRACE_MS = 2_000;

function ignoreError(): void {}

/** Whether `overflow` makes room by evicting a connection (and so needs their input times). */
function evicts(overflow: AdmissionOverflow | undefined): overflow is 'evict-idle' | 'evict-handshaking' {
  return overflow === 'evict-idle' || overflow === 'evict-handshaking';
}

type Traffic = Pick<ConnectionStats, 'bytesIn' | 'bytesOut' | 'framesIn' | 'framesOut' | 'socketWrites' | 'droppedFrames' | 'refusedSends'>;

function addTraffic(total: Traffic, s: Traffic): void {
  total.bytesIn += s.bytesIn;
  total.bytesOut += s.bytesOut;
  total.framesIn += s.framesIn;
  total.framesOut += s.framesOut;
  total.socketWrites += s.socketWrites;
  total.droppedFrames += s.droppedFrames;
  total.refusedSends += s.refusedSends;
}

/** The default refusal: read and discard, close with FIN (no reset), destroy after a grace time. */
export function refuseWithFin(socket: Socket): void {
  socket.on('error', () => undefined);
  socket.resume();
  socket.end();
  const timer = setTimeout(() => socket.destroy(), REFUSE_GRACE_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/**
 * A TCP server that wraps each accepted socket in a {@link Connection} of its protocol, with an
 * admission policy. Subscribe to `connections$` before calling {@link listen}.
 *
 * @example
 * ```ts
 * const server = new Server({ protocol, maxConnections: 1, overflow: 'hold' });
 * server.connections$.subscribe((conn) => serve(conn));
 * const { port } = await server.listen();
 * ```
 */
export class Server<In, Out> {
  /** Every admitted connection, at the moment it is admitted. */
  readonly connections$: Observable<Connection<In, Out>>;

  private readonly options: ServerOptions<In, Out>;
  private readonly net: NetServer;
  private readonly log: Logger;
  /** Resolved once: accepting a connection resolves no options. */
  private readonly template: ConnectionTemplate<In, Out>;
  private readonly subject = new Subject<Connection<In, Out>>();
  private readonly active = new Set<Connection<In, Out>>();
  /** Admitted connections still serving; a connection gives its slot back once it starts closing. */
  private serving = 0;
  private readonly held: Socket[] = [];
  /** Refused sockets still saying goodbye (admitted ones belong to their connection until it ends). */
  private readonly refusing = new Set<Socket>();
  private readonly retired: Traffic = { bytesIn: 0, bytesOut: 0, framesIn: 0, framesOut: 0, socketWrites: 0, droppedFrames: 0, refusedSends: 0 };
  private counts = { accepted: 0, refused: 0, errors: 0, evicted: 0 };
  /** How connections ended (recorded once per connection; the monitor reads it). */
  readonly endings = new ConnectionEndings();
  private listening: ListenAddress | undefined;
  private stopping = false;
  private stopped: Promise<void> | undefined;

  constructor(options: ServerOptions<In, Out>) {
    this.options = options;
    this.log = createLogger(options.name ?? `${options.protocol.name}.server`);
    this.template = new ConnectionTemplate(
      options.protocol,
      'server',
      {
        name: options.name ?? `${options.protocol.name}.server`,
        ...options.connection,
        ...(evicts(options.overflow) ? { trackInput: true } : {}),
      },
      (connection, status, previous) => this.onConnectionStatus(connection, status, previous),
    );
    this.connections$ = this.subject.asObservable();
    this.net = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => this.onSocket(socket));
    // Bind errors reject listen(); only errors after that are worth a log line.
    this.net.on('error', (err) => {
      if (this.listening) this.log.error('listener error', { error: err });
    });
  }

  /** Binds and listens; rejects on bind errors (e.g. `EADDRINUSE`). */
  listen(): Promise<ListenAddress> {
    if (this.listening) return Promise.resolve(this.listening);
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.net.once('error', onError);
      this.net.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
        this.net.off('error', onError);
        const address = this.net.address() as AddressInfo;
        this.listening = { host: address.address, port: address.port };
        resolve(this.listening);
      });
    });
  }

  /** The bound address, once listening. */
  get address(): ListenAddress | undefined {
    return this.listening;
  }

  /** Connections being served now. */
  get connections(): ReadonlySet<Connection<In, Out>> {
    return this.active;
  }

  /** Stops accepting and closes every connection at once, lingering sockets included. */
  close(): Promise<void> {
    const stopped = this.stop((connection) => connection.close());
    for (const socket of this.refusing) socket.destroy();
    // Failed connections give their peer a moment to close after our FIN: not any more.
    this.template.lingering.expireAll();
    return stopped;
  }

  /** Stops accepting and closes every connection in order (flush, bye, half-close). */
  drain(): Promise<void> {
    return this.stop((connection) => connection.drain());
  }

  /** A snapshot of the counters. */
  stats(): ServerStats {
    const sum = { ...this.retired, queuedFrames: 0, queuedBytes: 0 };
    for (const connection of this.active) {
      const s = connection.stats();
      addTraffic(sum, s);
      sum.queuedFrames += s.queuedFrames;
      sum.queuedBytes += s.queuedBytes;
    }
    return {
      ...sum,
      connectionsAccepted: this.counts.accepted,
      connectionsActive: this.active.size,
      connectionsHeld: this.held.length,
      connectionsRefused: this.counts.refused,
      connectionsEvicted: this.counts.evicted,
      connectionErrors: this.counts.errors,
    };
  }

  private onSocket(socket: Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    const max = this.options.maxConnections ?? Infinity;
    if (this.serving < max) {
      this.admit(socket);
      return;
    }
    const overflow = this.options.overflow ?? 'refuse';
    if (overflow === 'hold' && this.held.length < (this.options.maxHeld ?? 1)) {
      this.hold(socket);
      return;
    }
    if (evicts(overflow) && this.evictIdlest(overflow === 'evict-idle') && this.serving < max) {
      this.admit(socket);
      return;
    }
    this.refuse(socket);
  }

  /** Closes the connection silent the longest, if long enough; true when one was closed. */
  private evictIdlest(includeOpen: boolean): boolean {
    let idlest: Connection<In, Out> | undefined;
    for (const connection of this.active) {
      const status = connection.status;
      if (status !== 'handshaking' && !(includeOpen && status === 'open')) continue;
      if (idlest === undefined || connection.lastInputAt < idlest.lastInputAt) idlest = connection;
    }
    if (idlest === undefined) return false;
    const silentFor = this.template.clock.now() - idlest.lastInputAt;
    if (silentFor < (this.options.evictAfterMs ?? 1_000)) return false;
    this.counts.evicted++;
    this.log.info('evicting the connection silent the longest to admit a new one', {
      peer: `${idlest.remoteAddress}:${idlest.remotePort}`,
      silentMs: Math.round(silentFor),
    });
    void idlest.close();
    return true;
  }

  private admit(socket: Socket): void {
    this.counts.accepted++;
    this.serving++;
    const connection = Connection.accept(socket, this.template);
    // A connection that ended while being accepted (a reset already queued) was accounted for.
    if (connection.end) return;
    this.active.add(connection);
    this.endings.admitted(connection, this.template.clock.now());
    this.subject.next(connection);
  }

  /**
   * A connection gives its slot back once it starts closing, and leaves the active set with its
   * counters once it has ended (statuses only move forward: `closing` comes at most once).
   */
  private onConnectionStatus(connection: Connection<In, Out>, status: ConnectionStatus, previous: ConnectionStatus): void {
    const ending = status === 'closing' || status === 'closed' || status === 'failed';
    if (ending && previous !== 'closing') {
      this.serving--;
      this.admitHeld();
    }
    if (status !== 'closed' && status !== 'failed') return;
    this.active.delete(connection);
    addTraffic(this.retired, connection.traffic);
    if (connection.end?.error) this.counts.errors++;
    this.endings.record(connection);
  }

  private hold(socket: Socket): void {
    this.held.push(socket);
    socket.on('error', ignoreError);
    socket.on('close', this.forgetHeld);
    this.log.debug('holding connection until a slot frees up', { held: this.held.length });
  }

  private readonly forgetHeld = (): void => {
    // A held socket closed by its peer leaves the FIFO (any closed one: they are few).
    for (let i = this.held.length - 1; i >= 0; i--) if (this.held[i].destroyed) this.held.splice(i, 1);
  };

  private admitHeld(): void {
    const max = this.options.maxConnections ?? Infinity;
    while (!this.stopping && this.serving < max && this.held.length > 0) {
      const socket = this.held.shift()!;
      socket.off('error', ignoreError);
      socket.off('close', this.forgetHeld);
      if (!socket.destroyed) this.admit(socket);
    }
  }

  private refuse(socket: Socket): void {
    this.counts.refused++;
    this.log.debug('refusing connection', { serving: this.serving });
    this.trackRefused(socket);
    (this.options.refuse ?? refuseWithFin)(socket);
  }

  private trackRefused(socket: Socket): void {
    this.refusing.add(socket);
    socket.once('close', () => this.refusing.delete(socket));
  }

  private stop(end: (connection: Connection<In, Out>) => Promise<unknown>): Promise<void> {
    if (this.stopped) return this.stopped;
    this.stopping = true;
    const listenerClosed = new Promise<void>((resolve) => {
      if (!this.net.listening) resolve();
      else this.net.close(() => resolve());
    });
    for (const socket of this.held.splice(0)) {
      this.trackRefused(socket);
      refuseWithFin(socket);
    }
    const ends = [...this.active].map((connection) => end(connection));
    this.stopped = Promise.all([listenerClosed, ...ends]).then(() => {
      this.subject.complete();
    });
    return this.stopped;
  }
}
