import type { Socket } from 'node:net';
import { Observable } from 'rxjs';
import { ProtocolError } from '../../protocols/errors.js';
import type { FrameDecoder, FrameSink } from '../../protocols/framing/types.js';
import type { Protocol, Role } from '../../protocols/protocol.js';
import type { Deadline } from '../deadline-queue.js';
import { ClosedError, HandshakeError, QueueFullError, SocketError } from '../errors.js';
import type { ConnectionEventType, EndReason } from './connection-machine.js';
import { zeroConnectionStats, type ConnectionStats } from './connection-stats.js';
import { ConnectionTemplate } from './connection-template.js';
import { FrameWriter, type FrameWriterHost } from './frame-writer.js';
import { PreambleMatcher } from './handshake-plan.js';
import type { IdleWatchable } from './idle-sweeper.js';
import { MessageReaders, type MessageReadersHost } from './message-readers.js';
import { connectionLifecycle, type ConnectionStatus, type LifecycleState, type LifecycleStep } from './lifecycle.js';
import type { ConnectionOptions, ResolvedConnectionOptions } from './options.js';

export type { ConnectionStats } from './connection-stats.js';
export type { ConnectionStatus } from './lifecycle.js';

/** How a connection ended. */
export interface ConnectionEnd {
  reason: EndReason;
  /** Set when `reason` is `error`. */
  error?: Error;
}

/** A change of a connection's coarse status, as a status$ subscriber or a template observer sees it. */
type StatusListener = (status: ConnectionStatus, previous: ConnectionStatus) => void;

const OWNER = Symbol('actorwire.connection');
type OwnedSocket = Socket & { [OWNER]: Connection<unknown, unknown> };

// Socket handlers shared by every connection (the socket knows its connection), so that
// wrapping a socket allocates no closures for them.
function onSocketData(this: OwnedSocket, chunk: Buffer): void {
  this[OWNER].onData(chunk);
}
function onSocketEnd(this: OwnedSocket): void {
  this[OWNER].onPeerEnd();
}
function onSocketDrain(this: OwnedSocket): void {
  this[OWNER].dispatch('SOCKET_DRAIN');
}
function onSocketError(this: OwnedSocket, err: NodeJS.ErrnoException): void {
  this[OWNER].onSocketError(err);
}
function onSocketClose(this: OwnedSocket): void {
  this[OWNER].onSocketClosed();
}
function onSocketConnect(this: OwnedSocket): void {
  this[OWNER].onSocketConnected();
}

/**
 * One TCP connection speaking `protocol`, server or client side.
 *
 * Its lifecycle is the XState machine {@link connectionMachine}: the connection tells it about
 * edges only (connected, greeting valid, paused, backpressured, peer ended, close asked, ...) and
 * carries out the effects it names; the machine's state decides what the data path may do
 * (docs/ARCHITECTURE.md, "The connection machine"). Decoded messages go straight to `messages$`,
 * sends go to a bounded queue written once per tick; neither involves the machine per frame.
 *
 * @example
 * ```ts
 * const conn = Connection.accept(socket, onelineProtocol());
 * conn.messages$.subscribe((line) => conn.send(reply(line)));
 * const end = await conn.closed;
 * ```
 */
export class Connection<In, Out> implements FrameWriterHost, IdleWatchable, MessageReadersHost {
  /** Which side we are. */
  readonly role: Role;
  /** The protocol spoken. */
  readonly protocol: Protocol<In, Out>;
  /** The options in force, defaults filled in. */
  readonly options: ResolvedConnectionOptions;

  private readonly template: ConnectionTemplate<In, Out>;
  private readonly socket: Socket;
  private readonly decoder: FrameDecoder<In>;
  private readonly counters: ConnectionStats = zeroConnectionStats();
  private readonly writer: FrameWriter;
  private readonly sink: FrameSink<In> = (message) => this.onMessage(message);

  private lifecycle: LifecycleState;
  /** Events raised while effects run wait here: the machine takes one event at a time. */
  private pending: ConnectionEventType[] | undefined;
  private stepping = false;
  /** Why the connection is failing, kept until the machine's `FAIL` edge records it. */
  private failure: Error | undefined;
  private reason: EndReason = 'error';
  private ended: ConnectionEnd | undefined;

  private readonly readers: MessageReaders<In>;
  private drainWatched = false;
  private listeners: Set<StatusListener> | undefined;
  private closedPromise: Promise<ConnectionEnd> | undefined;
  private resolveClosed: ((end: ConnectionEnd) => void) | undefined;

  private preamble: PreambleMatcher | undefined;
  private peer: string | undefined;
  private handshakeDeadline: Deadline<Connection<In, Out>> | undefined;
  private closeDeadline: Deadline<Connection<In, Out>> | undefined;
  private lingerDeadline: Deadline<Socket> | undefined;
  /** Running while the decoder holds part of a frame (only with `frameTimeoutMs`). */
  private frameDeadline: Deadline<Connection<In, Out>> | undefined;
  /** Frames completed when {@link frameDeadline} started. */
  private framesAtDeadline = 0;
  private lastInput: number;

  /** @internal Use {@link Connection.accept}, {@link Connection.fromClientSocket} or `dial`. */
  constructor(socket: Socket, template: ConnectionTemplate<In, Out>, connected: boolean) {
    this.template = template;
    this.socket = socket;
    this.protocol = template.protocol;
    this.role = template.role;
    this.options = template.options;
    this.decoder = template.protocol.createDecoder();
    this.lastInput = template.options.trackInput ? template.clock.now() : 0;
    this.writer = new FrameWriter(socket, this, this.counters, template.queueLimits, template.options.overflow);
    this.readers = new MessageReaders(this, template.options.maxEarlyMessages);

    (socket as OwnedSocket)[OWNER] = this as Connection<unknown, unknown>;
    socket.on('data', onSocketData);
    socket.on('end', onSocketEnd);
    socket.on('error', onSocketError);
    socket.on('close', onSocketClose);
    if (connected) {
      if (template.options.noDelay) socket.setNoDelay(true);
    } else {
      socket.once('connect', onSocketConnect);
    }

    const start = template.start(connected);
    this.lifecycle = start.to;
    this.stepping = true;
    try {
      this.carryOut(start, 'connecting');
      this.drainPending();
    } finally {
      this.stepping = false;
    }
    // Servers accept with `pauseOnConnect`; reading starts here unless the machine holds input.
    if (this.lifecycle.facts.inputOpen && !this.lifecycle.facts.holding) socket.resume();
  }

  /**
   * Wraps a socket a server has just accepted. The socket should have been created with
   * `allowHalfOpen: true` so that an orderly close can flush after the peer's FIN. Pass a
   * {@link ConnectionTemplate} instead of a protocol to share resolved options between the
   * connections of one server.
   */
  static accept<In, Out>(
    socket: Socket,
    protocol: Protocol<In, Out> | ConnectionTemplate<In, Out>,
    options: ConnectionOptions = {},
  ): Connection<In, Out> {
    const template = protocol instanceof ConnectionTemplate ? protocol : new ConnectionTemplate(protocol, 'server', options);
    return new Connection(socket, template, true);
  }

  /**
   * Wraps a client socket, connected or still connecting (created with `net.connect` and
   * `allowHalfOpen: true`). Use `dial` for retries and timeouts.
   */
  static fromClientSocket<In, Out>(
    socket: Socket,
    protocol: Protocol<In, Out> | ConnectionTemplate<In, Out>,
    options: ConnectionOptions = {},
  ): Connection<In, Out> {
    const template = protocol instanceof ConnectionTemplate ? protocol : new ConnectionTemplate(protocol, 'client', options);
    return new Connection(socket, template, !socket.connecting);
  }

  /** Decoded messages in arrival order; completes when no more input will be delivered. */
  get messages$(): Observable<In> {
    return this.readers.messages$;
  }

  /** Status changes, starting with the current status; completes once closed or failed. */
  get status$(): Observable<ConnectionStatus> {
    return new Observable<ConnectionStatus>((subscriber) => {
      subscriber.next(this.status);
      if (this.ended) {
        subscriber.complete();
        return undefined;
      }
      const listener: StatusListener = (status) => {
        subscriber.next(status);
        if (status === 'closed' || status === 'failed') subscriber.complete();
      };
      this.addListener(listener);
      return () => this.listeners?.delete(listener);
    });
  }

  /** Settles (never rejects) when the connection has ended. */
  get closed(): Promise<ConnectionEnd> {
    if (!this.closedPromise) {
      this.closedPromise = this.ended
        ? Promise.resolve(this.ended)
        : new Promise((resolve) => (this.resolveClosed = resolve));
    }
    return this.closedPromise;
  }

  /** The coarse state. */
  get status(): ConnectionStatus {
    return this.lifecycle.facts.status;
  }

  /** The full machine state, e.g. `{ open: { receiving: 'paused', sending: 'idle' } }`. */
  get state(): unknown {
    return this.lifecycle.snapshot.value;
  }

  /** The peer's identity from a hello handshake. */
  get peerId(): string | undefined {
    return this.peer;
  }

  /** The peer's IP address (undefined once the socket is gone). */
  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }

  /** The peer's port (undefined once the socket is gone). */
  get remotePort(): number | undefined {
    return this.socket.remotePort;
  }

  /**
   * When the peer last sent bytes (or the connection was made), on the connection's clock; only
   * kept with the `trackInput` option, else 0.
   */
  get lastInputAt(): number {
    return this.lastInput;
  }

  /** How the connection ended, once it has. */
  get end(): ConnectionEnd | undefined {
    return this.ended;
  }

  /** Resolves when the connection is open; rejects if it ends first. */
  whenOpen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (status: ConnectionStatus): boolean => {
        if (status === 'open') resolve();
        else if (status === 'closing' || status === 'closed' || status === 'failed') {
          const end = this.ended;
          reject(end?.error ?? this.failure ?? new ClosedError(`connection ended before it opened (${end?.reason ?? status})`));
        } else return false;
        return true;
      };
      if (settle(this.status)) return;
      const listener: StatusListener = (status) => {
        if (settle(status)) this.listeners?.delete(listener);
      };
      this.addListener(listener);
    });
  }

  /**
   * Queues a message. Returns false when the queue is full and the policy refused it (`block`)
   * or disconnected the peer (`disconnect`). Throws {@link ClosedError} once closing or closed,
   * and a `ProtocolError` when the message cannot be encoded (e.g. too large for the framing).
   */
  send(message: Out): boolean {
    if (!this.lifecycle.facts.acceptsSends) throw new ClosedError(`cannot send on a ${this.status} connection`);
    return this.writer.enqueue(this.protocol.encode(message));
  }

  /** Like {@link send}, but waits for room in the queue instead of refusing. */
  async sendAsync(message: Out): Promise<void> {
    const frame = this.protocol.encode(message);
    while (this.lifecycle.facts.acceptsSends && !this.writer.hasRoomFor(frame.length)) await this.writer.whenWritable();
    if (!this.lifecycle.facts.acceptsSends) throw new ClosedError(`cannot send on a ${this.status} connection`);
    if (!this.writer.enqueue(frame)) throw new QueueFullError('QUEUE_FULL', 'send queue full');
  }

  /** Resolves when the send queue has room again (or the connection ends). */
  whenWritable(): Promise<void> {
    if (!this.lifecycle.facts.acceptsSends) return Promise.resolve();
    return this.writer.whenWritable();
  }

  /** Stops reading from the socket (the peer sees TCP backpressure). */
  pause(): void {
    this.dispatch('PAUSE');
  }

  /** Resumes reading after {@link pause}. */
  resume(): void {
    this.dispatch('RESUME');
  }

  /** Closes at once: queued frames are discarded and the socket destroyed. */
  close(): Promise<ConnectionEnd> {
    this.dispatch('CLOSE');
    return this.closed;
  }

  /** Closes in order: flushes the queue, sends the protocol's bye, half-closes, waits for the peer. */
  drain(): Promise<ConnectionEnd> {
    this.dispatch('DRAIN');
    return this.closed;
  }

  /** @internal The live counters (no copy; queue gauges not filled in). */
  get traffic(): Readonly<ConnectionStats> {
    return this.counters;
  }

  /** A snapshot of the counters. */
  stats(): ConnectionStats {
    return { ...this.counters, queuedFrames: this.writer.length, queuedBytes: this.writer.bytes };
  }

  // ---- the machine ------------------------------------------------------------------------------

  /** @internal Tells the machine about an edge; events raised while it steps wait their turn. */
  dispatch(type: ConnectionEventType): void {
    if (this.stepping) {
      (this.pending ??= []).push(type);
      return;
    }
    this.stepping = true;
    try {
      this.take(type);
      this.drainPending();
    } finally {
      this.stepping = false;
    }
  }

  private drainPending(): void {
    const pending = this.pending;
    if (!pending) return;
    for (let type = pending.shift(); type !== undefined; type = pending.shift()) this.take(type);
  }

  private take(type: ConnectionEventType): void {
    const from = this.lifecycle;
    const step = connectionLifecycle.step(from, type);
    // An event the state ignores costs nothing more; a self-transition still runs its effects.
    if (!step || (step.to === from && step.effects.length === 0)) return;
    this.lifecycle = step.to;
    this.carryOut(step, from.facts.status);
  }

  /** Carries out a step's effects in order, then tells status listeners if the status changed. */
  private carryOut(step: LifecycleStep, previous: ConnectionStatus): void {
    for (const effect of step.effects) {
      switch (effect.type) {
        case 'sendGreeting':
        case 'sendAnswer':
          this.sendGreeting();
          break;
        case 'awaitGreeting':
          this.awaitGreeting();
          break;
        case 'stopAwaitingGreeting':
          this.preamble = undefined;
          this.template.handshakeDeadlines.cancel(this.handshakeDeadline);
          break;
        case 'opened':
          this.opened();
          break;
        case 'pauseInput':
          this.socket.pause();
          break;
        case 'resumeInput':
          this.socket.resume();
          break;
        case 'endInput':
          this.readers.endInput();
          break;
        case 'flushBacklog':
          this.writer.flush();
          break;
        case 'writeRemaining':
          this.stopIdleWatch();
          this.writer.writeAll();
          this.writer.wakeWaiters(false);
          break;
        case 'sendBye':
          this.writer.writeNow(this.template.byeFrame!);
          break;
        case 'halfClose':
          this.halfClose();
          break;
        case 'endBecause':
          this.reason = (effect.params as { reason: EndReason }).reason;
          break;
        case 'finish':
          this.finish();
          break;
      }
    }
    // Effects may have raised events, but those wait in `pending`: this is still the step's state.
    const status = step.to.facts.status;
    if (status !== previous) this.notify(status, previous);
  }

  private notify(status: ConnectionStatus, previous: ConnectionStatus): void {
    this.template.onStatus?.(this, status, previous);
    const listeners = this.listeners;
    if (listeners) for (const listener of listeners) listener(status, previous);
  }

  private addListener(listener: StatusListener): void {
    (this.listeners ??= new Set()).add(listener);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.dispatch('FAIL');
  }

  // ---- socket edges -----------------------------------------------------------------------------

  /** @internal */
  onSocketConnected(): void {
    if (this.options.noDelay) this.socket.setNoDelay(true);
    this.dispatch('SOCKET_CONNECTED');
  }

  /** @internal */
  onData(chunk: Buffer): void {
    this.counters.bytesIn += chunk.length;
    if (this.options.trackInput) this.lastInput = this.template.clock.now();
    let data: Uint8Array = chunk;
    const preamble = this.preamble;
    if (preamble) {
      let taken: number;
      try {
        taken = preamble.consume(chunk);
      } catch (err) {
        this.fail(err as Error);
        return;
      }
      if (!preamble.complete) return;
      this.dispatch('PEER_GREETING');
      if (taken === chunk.length) return;
      data = chunk.subarray(taken);
    }
    // Closing or ended: input is read and discarded.
    if (!this.lifecycle.facts.inputOpen) return;
    try {
      this.decoder.push(data, this.sink);
    } catch (err) {
      this.fail(err instanceof Error ? err : new ProtocolError('MALFORMED_MESSAGE', String(err)));
      return;
    }
    const deadlines = this.template.frameDeadlines;
    if (deadlines !== undefined) this.watchPartialFrame(deadlines);
  }

  /**
   * A partial frame starts the frame deadline; its completion (no bytes pending) cancels it. A
   * peer that streams frames back to back always has one in flight: the deadline then only fails
   * the connection if no frame at all completed since it started (see {@link frameTimedOut}).
   */
  private watchPartialFrame(deadlines: NonNullable<ConnectionTemplate<In, Out>['frameDeadlines']>): void {
    const partial = this.decoder.pendingBytes > 0 && this.lifecycle.facts.inputOpen;
    if (partial && this.frameDeadline === undefined) {
      this.framesAtDeadline = this.counters.framesIn;
      this.frameDeadline = deadlines.add(this);
    } else if (!partial && this.frameDeadline !== undefined) {
      deadlines.cancel(this.frameDeadline);
      this.frameDeadline = undefined;
    }
  }

  /** @internal The frame deadline came. */
  frameTimedOut(): void {
    this.frameDeadline = undefined;
    if (!this.lifecycle.facts.inputOpen || this.decoder.pendingBytes === 0) return;
    if (this.counters.framesIn !== this.framesAtDeadline) {
      // Frames completed meanwhile: the one pending now started later. Give it its own time.
      this.framesAtDeadline = this.counters.framesIn;
      this.frameDeadline = this.template.frameDeadlines!.add(this);
      return;
    }
    this.fail(new ProtocolError('FRAME_TIMEOUT', `a frame was started but not completed within ${this.options.frameTimeoutMs} ms`));
  }

  /** @internal */
  onSocketClosed(): void {
    this.template.lingering.cancel(this.lingerDeadline);
    this.dispatch('SOCKET_CLOSED');
  }

  /** @internal */
  onPeerEnd(): void {
    const pending = this.decoder.end();
    if (pending > 0) this.template.log.debug('peer closed in the middle of a frame', { pendingBytes: pending });
    this.dispatch('PEER_END');
  }

  /** @internal */
  onSocketError(err: NodeJS.ErrnoException): void {
    this.template.log.debug('socket error', { error: err, code: err.code });
    this.fail(new SocketError(`${err.code ?? 'socket error'}: ${err.message}`, { cause: err }));
  }

  private onMessage(message: In): void {
    this.counters.framesIn++;
    const facts = this.lifecycle.facts;
    if (facts.awaitsGreeting) {
      this.acceptGreeting(message);
      return;
    }
    if (!facts.delivers) return;
    const bye = this.protocol.bye;
    if (bye !== undefined && bye.isBye(message)) {
      this.dispatch('PEER_BYE');
      return;
    }
    this.readers.deliver(message);
  }

  // ---- handshake --------------------------------------------------------------------------------

  private sendGreeting(): void {
    let greeting: Uint8Array;
    try {
      greeting = this.template.handshake.greeting();
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    this.writer.writeNow(greeting);
  }

  private awaitGreeting(): void {
    const expected = this.template.handshake.expectedBytes;
    if (expected) this.preamble = new PreambleMatcher(expected);
    this.handshakeDeadline = this.template.handshakeDeadlines.add(this);
  }

  /** @internal The handshake deadline came. */
  handshakeTimedOut(): void {
    this.failure ??= new HandshakeError('HANDSHAKE_TIMEOUT', `no handshake from the peer within ${this.options.handshakeTimeoutMs} ms`);
    this.dispatch('HANDSHAKE_TIMEOUT');
  }

  private acceptGreeting(message: In): void {
    try {
      this.peer = this.template.handshake.acceptFrame(message);
    } catch (err) {
      this.fail(err instanceof Error ? err : new HandshakeError('HANDSHAKE_FAILED', String(err)));
      return;
    }
    this.dispatch('PEER_GREETING');
  }

  // ---- data path edges --------------------------------------------------------------------------

  /** @internal FrameWriterHost: frames may go out now. */
  get mayWrite(): boolean {
    return this.lifecycle.facts.mayWrite;
  }

  /** @internal FrameWriterHost */
  onBackpressure(): void {
    // Most connections never fill their socket: they need no `drain` listener.
    if (!this.drainWatched) {
      this.drainWatched = true;
      this.socket.on('drain', onSocketDrain);
    }
    this.dispatch('BACKPRESSURED');
  }

  /** @internal FrameWriterHost */
  onFlushed(): void {
    if (this.lifecycle.facts.flushing) this.dispatch('FLUSHED');
  }

  /** @internal FrameWriterHost */
  onSlowConsumer(error: QueueFullError): void {
    this.fail(error);
  }

  private opened(): void {
    this.writer.schedule();
    this.template.idle?.watch(this);
  }

  /** @internal MessageReadersHost */
  get inputOpen(): boolean {
    return this.lifecycle.facts.inputOpen;
  }

  /** @internal MessageReadersHost */
  earlyFull(): void {
    if (!this.lifecycle.facts.holding) this.dispatch('HOLD');
  }

  /** @internal MessageReadersHost */
  readersReleased(): void {
    if (this.lifecycle.facts.holding) this.dispatch('SUBSCRIBED');
  }

  // ---- idle supervision -------------------------------------------------------------------------

  /** @internal IdleWatchable: idleness is sampled by the server's sweeper, not tracked per chunk. */
  bytesMoved(): number {
    return this.counters.bytesIn + this.counters.bytesOut;
  }

  /** @internal IdleWatchable */
  idleTimedOut(): void {
    this.dispatch('IDLE_TIMEOUT');
  }

  private stopIdleWatch(): void {
    this.template.idle?.unwatch(this);
  }

  // ---- ending -----------------------------------------------------------------------------------

  private halfClose(): void {
    // Keep reading (and discarding) so that unread input does not turn our close into a reset.
    this.socket.resume();
    this.socket.end();
    this.closeDeadline = this.template.closeDeadlines.add(this);
  }

  private finish(): void {
    const template = this.template;
    template.handshakeDeadlines.cancel(this.handshakeDeadline);
    template.closeDeadlines.cancel(this.closeDeadline);
    template.frameDeadlines?.cancel(this.frameDeadline);
    this.stopIdleWatch();
    this.preamble = undefined;
    this.writer.clear();
    this.writer.wakeWaiters(false);
    this.readers.endInput();
    const reason = this.reason;
    const error = reason === 'error' ? (this.failure ?? new ClosedError('connection failed')) : undefined;
    if (error) {
      if (error instanceof ProtocolError || error instanceof HandshakeError || error instanceof QueueFullError) {
        this.template.log.warn('closing connection', { reason, error, peer: `${this.socket.remoteAddress}:${this.socket.remotePort}` });
      } else {
        this.template.log.debug('connection failed', { reason, error });
      }
    }
    this.teardownSocket(reason);
    this.ended = error ? { reason, error } : { reason };
    this.resolveClosed?.(this.ended);
  }

  private teardownSocket(reason: EndReason): void {
    const socket = this.socket;
    if (socket.destroyed) return;
    // Our FIN already went out in `closing`, which had its own time limit: nothing left to wait for.
    if (reason === 'local-close' || reason === 'peer-closed' || socket.writableEnded) {
      socket.destroy();
      return;
    }
    // A failure: say goodbye with FIN rather than RST, discard what still arrives, and give the
    // peer a bounded time to close its side.
    socket.resume();
    socket.end();
    this.lingerDeadline = this.template.lingering.add(socket);
  }
}
