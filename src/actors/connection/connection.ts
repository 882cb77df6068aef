import type { Socket } from 'node:net';
import { Observable, Subject } from 'rxjs';
import { createActor, type Actor } from 'xstate';
import { createLogger, type Logger } from '../../logger.js';
import { ProtocolError } from '../../protocols/errors.js';
import type { FrameDecoder, FrameSink } from '../../protocols/framing/types.js';
import type { HelloHandshake, Protocol, Role } from '../../protocols/protocol.js';
import { ClosedError, HandshakeError, QueueFullError, SocketError } from '../errors.js';
import { connectionMachine, type ConnectionEffects, type ConnectionEvent, type EndReason } from './connection-machine.js';
import { resolveConnectionOptions, type ConnectionOptions, type ResolvedConnectionOptions } from './options.js';
import { SendQueue } from './send-queue.js';

/** The coarse state of a connection (the top-level state of its machine). */
export type ConnectionStatus = 'connecting' | 'handshaking' | 'open' | 'closing' | 'closed' | 'failed';

/** How a connection ended. */
export interface ConnectionEnd {
  reason: EndReason;
  /** Set when `reason` is `error`. */
  error?: Error;
}

/** Counters of one connection. */
export interface ConnectionStats {
  bytesIn: number;
  bytesOut: number;
  framesIn: number;
  framesOut: number;
  /** Calls to `socket.write` (frames queued in the same tick share one). */
  socketWrites: number;
  /** Frames waiting in the send queue now. */
  queuedFrames: number;
  /** Bytes waiting in the send queue now. */
  queuedBytes: number;
  /** The most bytes the send queue has held. */
  peakQueuedBytes: number;
  /** Frames evicted by the `drop-oldest` policy. */
  droppedFrames: number;
  /** Sends refused because the queue was full (`block` policy). */
  refusedSends: number;
}

/** Frames written in one tick are concatenated up to this size; larger batches use writev. */
const CONCAT_LIMIT = 64 * 1024;
/** Upper bound of one batch handed to the socket. */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * One TCP connection speaking `protocol`, server or client side. Its lifecycle is an XState
 * machine ({@link connectionMachine}); its data path is not: decoded messages go straight to
 * `messages$`, sends go to a bounded queue written once per tick.
 *
 * @example
 * ```ts
 * const conn = Connection.accept(socket, onelineProtocol());
 * conn.messages$.subscribe((line) => conn.send(reply(line)));
 * const end = await conn.closed;
 * ```
 */
export class Connection<In, Out> {
  /** Decoded messages in arrival order; completes when no more input will be delivered. */
  readonly messages$: Observable<In>;
  /** Status changes, starting with the current status. */
  readonly status$: Observable<ConnectionStatus>;
  /** Settles (never rejects) when the connection has ended. */
  readonly closed: Promise<ConnectionEnd>;

  readonly role: Role;
  readonly protocol: Protocol<In, Out>;
  readonly options: ResolvedConnectionOptions;

  private readonly socket: Socket;
  private readonly actor: Actor<typeof connectionMachine>;
  private readonly decoder: FrameDecoder<In>;
  private readonly queue: SendQueue;
  private readonly subject = new Subject<In>();
  private readonly log: Logger;
  private readonly counters: ConnectionStats = {
    bytesIn: 0,
    bytesOut: 0,
    framesIn: 0,
    framesOut: 0,
    socketWrites: 0,
    queuedFrames: 0,
    queuedBytes: 0,
    peakQueuedBytes: 0,
    droppedFrames: 0,
    refusedSends: 0,
  };
  private readonly sink: FrameSink<In> = (message) => this.onMessage(message);
  private early: In[] | undefined = [];
  private earlyPaused = false;
  private resolveClosed!: (end: ConnectionEnd) => void;
  private ended: ConnectionEnd | undefined;
  private writableWaiters: Array<() => void> = [];

  /** Sends are accepted (they may wait in the queue until the handshake is done). */
  private accepting = true;
  /** Frames may be written now: open and not backpressured, or closing. */
  private writing = false;
  private flushScheduled = false;
  private backpressured = false;
  /** Input is delivered to `messages$` (false once closing, closed or failed). */
  private delivering = true;
  private inputEnded = false;
  private preambleExpected: Uint8Array | undefined;
  private preambleFill = 0;
  private awaitingHello: HelloHandshake<In, Out> | undefined;
  private helloToAnswer = false;
  private peer: string | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private closeTimer: NodeJS.Timeout | undefined;
  private lastActivity = Date.now();

  private constructor(socket: Socket, protocol: Protocol<In, Out>, role: Role, options: ConnectionOptions, connected: boolean) {
    this.socket = socket;
    this.protocol = protocol;
    this.role = role;
    this.options = resolveConnectionOptions(options);
    this.log = createLogger(this.options.name ?? `${protocol.name}.${role}`);
    this.decoder = protocol.createDecoder();
    this.queue = new SendQueue({ maxBytes: this.options.maxQueuedBytes, maxFrames: this.options.maxQueuedFrames });
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));

    this.messages$ = new Observable<In>((subscriber) => {
      const subscription = this.subject.subscribe(subscriber);
      this.releaseEarly();
      return subscription;
    });
    this.status$ = new Observable<ConnectionStatus>((subscriber) => {
      let last: ConnectionStatus | undefined;
      const emit = (): void => {
        const status = this.status;
        if (status === last) return;
        last = status;
        subscriber.next(status);
        if (status === 'closed' || status === 'failed') subscriber.complete();
      };
      emit();
      const subscription = this.actor.subscribe({ next: emit, complete: emit });
      return () => subscription.unsubscribe();
    });

    const effects: ConnectionEffects = {
      startHandshake: () => {
        try {
          this.startHandshake();
        } catch (err) {
          this.fail(err instanceof Error ? err : new HandshakeError('HANDSHAKE_FAILED', String(err)));
        }
      },
      opened: () => this.opened(),
      pauseInput: () => this.socket.pause(),
      resumeInput: () => {
        if (!this.earlyPaused) this.socket.resume();
      },
      flush: () => {
        this.writing = true;
        this.writeBacklog();
      },
      beginClosing: (sendBye) => this.beginClosing(sendBye),
      finish: (reason, error) => this.finish(reason, error),
    };
    this.actor = createActor(connectionMachine, {
      input: {
        effects,
        handshakeTimeoutMs: this.options.handshakeTimeoutMs,
        startsConnected: connected,
        hasHandshake: protocol.handshake !== undefined,
        closeOnPeerEnd: this.options.closeOnPeerEnd,
        hasBye: protocol.bye !== undefined,
      },
    });

    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onPeerEnd());
    socket.on('drain', () => this.onSocketDrain());
    socket.on('error', (err: NodeJS.ErrnoException) => this.onSocketError(err));
    socket.on('close', () => this.dispatch({ type: 'SOCKET_CLOSED' }));
    if (connected && this.options.noDelay) socket.setNoDelay(true);
    this.actor.start();
    // Servers accept with `pauseOnConnect` (and may hold sockets paused); reading starts here.
    socket.resume();
  }

  /**
   * Wraps a socket a server has just accepted. The socket should have been created with
   * `allowHalfOpen: true` so that an orderly close can flush after the peer's FIN.
   */
  static accept<In, Out>(socket: Socket, protocol: Protocol<In, Out>, options: ConnectionOptions = {}): Connection<In, Out> {
    return new Connection(socket, protocol, 'server', options, true);
  }

  /**
   * Wraps a client socket, connected or still connecting (created with `net.connect` and
   * `allowHalfOpen: true`). Use {@link dial} for retries and timeouts.
   */
  static fromClientSocket<In, Out>(socket: Socket, protocol: Protocol<In, Out>, options: ConnectionOptions = {}): Connection<In, Out> {
    const connected = !socket.connecting;
    const connection = new Connection(socket, protocol, 'client', options, connected);
    if (!connected) socket.once('connect', () => connection.socketConnected());
    return connection;
  }

  /** The coarse state. */
  get status(): ConnectionStatus {
    const value = this.actor.getSnapshot().value;
    return typeof value === 'string' ? (value as ConnectionStatus) : 'open';
  }

  /** The full machine state, e.g. `{ open: { receiving: 'paused', sending: 'idle' } }`. */
  get state(): unknown {
    return this.actor.getSnapshot().value;
  }

  /** The peer's identity from a hello handshake. */
  get peerId(): string | undefined {
    return this.peer;
  }

  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.socket.remotePort;
  }

  /** How the connection ended, once it has. */
  get end(): ConnectionEnd | undefined {
    return this.ended;
  }

  /** Resolves when the connection is open; rejects if it ends first. */
  whenOpen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const subscription = this.status$.subscribe((status) => {
        if (status === 'open') resolve();
        else if (status === 'closing' || status === 'closed' || status === 'failed') {
          const end = this.ended;
          reject(end?.error ?? new ClosedError(`connection ended before it opened (${end?.reason ?? status})`));
        } else return;
        queueMicrotask(() => subscription.unsubscribe());
      });
    });
  }

  /**
   * Queues a message. Returns false when the queue is full and the policy refused it (`block`)
   * or disconnected the peer (`disconnect`). Throws {@link ClosedError} once closing or closed,
   * and a `ProtocolError` when the message cannot be encoded (e.g. too large for the framing).
   */
  send(message: Out): boolean {
    if (!this.accepting) throw new ClosedError(`cannot send on a ${this.status} connection`);
    return this.enqueue(this.protocol.encode(message));
  }

  /** Like {@link send}, but waits for room in the queue instead of refusing. */
  async sendAsync(message: Out): Promise<void> {
    const frame = this.protocol.encode(message);
    while (this.accepting && !this.queue.hasRoomFor(frame.length)) await this.whenWritable();
    if (!this.accepting) throw new ClosedError(`cannot send on a ${this.status} connection`);
    if (!this.enqueue(frame)) throw new QueueFullError('QUEUE_FULL', 'send queue full');
  }

  /** Resolves when the send queue has room again (or the connection ends). */
  whenWritable(): Promise<void> {
    if (!this.accepting || this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.writableWaiters.push(resolve));
  }

  /** Stops reading from the socket (the peer sees TCP backpressure). */
  pause(): void {
    this.dispatch({ type: 'PAUSE' });
  }

  /** Resumes reading after {@link pause}. */
  resume(): void {
    this.dispatch({ type: 'RESUME' });
  }

  /** Closes at once: queued frames are discarded and the socket destroyed. */
  close(): Promise<ConnectionEnd> {
    this.dispatch({ type: 'CLOSE' });
    return this.closed;
  }

  /** Closes in order: flushes the queue, sends the protocol's bye, half-closes, waits for the peer. */
  drain(): Promise<ConnectionEnd> {
    this.dispatch({ type: 'DRAIN' });
    return this.closed;
  }

  /** A snapshot of the counters. */
  stats(): ConnectionStats {
    return { ...this.counters, queuedFrames: this.queue.length, queuedBytes: this.queue.bytes };
  }

  // ---- socket events -------------------------------------------------------------------------

  private socketConnected(): void {
    if (this.options.noDelay) this.socket.setNoDelay(true);
    this.dispatch({ type: 'SOCKET_CONNECTED' });
  }

  private onData(chunk: Buffer): void {
    this.counters.bytesIn += chunk.length;
    this.lastActivity = Date.now();
    let data: Uint8Array = chunk;
    if (this.preambleExpected) {
      const rest = this.consumePreamble(chunk);
      if (rest === undefined) return;
      data = rest;
    }
    if (!this.delivering && this.status !== 'handshaking') return; // closing: discard input
    try {
      this.decoder.push(data, this.sink);
    } catch (err) {
      this.fail(err instanceof Error ? err : new ProtocolError('MALFORMED_MESSAGE', String(err)));
    }
  }

  private onMessage(message: In): void {
    this.counters.framesIn++;
    if (this.awaitingHello) {
      this.acceptHello(this.awaitingHello, message);
      return;
    }
    if (!this.delivering) return;
    const bye = this.protocol.bye;
    if (bye && bye.isBye(message)) {
      this.dispatch({ type: 'PEER_BYE' });
      return;
    }
    if (this.early) {
      if (this.subject.observed) {
        this.early = undefined;
      } else {
        this.early.push(message);
        if (this.early.length >= this.options.maxEarlyMessages && !this.earlyPaused) {
          this.earlyPaused = true;
          this.socket.pause();
        }
        return;
      }
    }
    this.subject.next(message);
  }

  private releaseEarly(): void {
    const early = this.early;
    if (!early) return;
    this.early = undefined;
    for (const message of early) this.subject.next(message);
    if (this.earlyPaused) {
      this.earlyPaused = false;
      if (!this.isPausedByMachine()) this.socket.resume();
    }
    if (this.inputEnded) this.subject.complete();
  }

  private isPausedByMachine(): boolean {
    return this.actor.getSnapshot().matches({ open: { receiving: 'paused' } });
  }

  private onPeerEnd(): void {
    const pending = this.decoder.end();
    if (pending > 0) this.log.debug('peer closed in the middle of a frame', { pendingBytes: pending });
    this.endInput();
    this.dispatch({ type: 'PEER_END' });
  }

  private onSocketDrain(): void {
    if (!this.backpressured) return;
    this.backpressured = false;
    this.dispatch({ type: 'SOCKET_DRAIN' });
  }

  private onSocketError(err: NodeJS.ErrnoException): void {
    this.log.debug('socket error', { error: err, code: err.code });
    this.dispatch({ type: 'FAIL', error: new SocketError(`${err.code ?? 'socket error'}: ${err.message}`, { cause: err }) });
  }

  // ---- handshake ------------------------------------------------------------------------------

  private startHandshake(): void {
    const handshake = this.protocol.handshake;
    if (!handshake) return;
    this.handshakeTimer = setTimeout(() => this.dispatch({ type: 'HANDSHAKE_TIMEOUT' }), this.options.handshakeTimeoutMs);
    if (handshake.kind === 'preamble') {
      if (handshake.sender === this.role) {
        this.writeRaw(handshake.bytes);
        this.dispatch({ type: 'HANDSHAKE_DONE' });
      } else {
        this.preambleExpected = handshake.bytes;
        this.preambleFill = 0;
      }
      return;
    }
    this.awaitingHello = handshake;
    if (handshake.initiator === this.role) {
      this.writeRaw(this.protocol.encode(handshake.createHello(this.requireLocalId())));
    } else {
      this.helloToAnswer = true;
    }
  }

  private requireLocalId(): string {
    if (this.options.localId === undefined) {
      throw new HandshakeError('HANDSHAKE_FAILED', `${this.protocol.name} needs a localId for its hello`);
    }
    return this.options.localId;
  }

  /** Checks preamble bytes; returns the rest of the chunk once the preamble is complete. */
  private consumePreamble(chunk: Uint8Array): Uint8Array | undefined {
    const expected = this.preambleExpected!;
    const take = Math.min(expected.length - this.preambleFill, chunk.length);
    for (let i = 0; i < take; i++) {
      if (chunk[i] !== expected[this.preambleFill + i]) {
        this.preambleExpected = undefined;
        this.fail(new ProtocolError('BAD_HANDSHAKE', `unexpected handshake byte 0x${chunk[i].toString(16).padStart(2, '0')} at offset ${this.preambleFill + i}`));
        return undefined;
      }
    }
    this.preambleFill += take;
    if (this.preambleFill < expected.length) return undefined;
    this.preambleExpected = undefined;
    this.dispatch({ type: 'HANDSHAKE_DONE' });
    return take < chunk.length ? chunk.subarray(take) : undefined;
  }

  private acceptHello(handshake: HelloHandshake<In, Out>, message: In): void {
    this.awaitingHello = undefined;
    try {
      this.peer = handshake.acceptHello(message);
      if (this.helloToAnswer) this.writeRaw(this.protocol.encode(handshake.createHello(this.requireLocalId())));
    } catch (err) {
      this.fail(err instanceof Error ? err : new HandshakeError('HANDSHAKE_FAILED', String(err)));
      return;
    }
    this.dispatch({ type: 'HANDSHAKE_DONE' });
  }

  // ---- sending --------------------------------------------------------------------------------

  private opened(): void {
    clearTimeout(this.handshakeTimer);
    this.writing = true;
    if (this.queue.length > 0) this.scheduleFlush();
    if (this.options.idleTimeoutMs > 0) this.armIdleTimer(this.options.idleTimeoutMs);
  }

  private enqueue(frame: Uint8Array): boolean {
    if (!this.queue.hasRoomFor(frame.length)) {
      switch (this.options.overflow) {
        case 'block':
          this.counters.refusedSends++;
          return false;
        case 'disconnect':
          this.fail(new QueueFullError('SLOW_CONSUMER', `peer is not reading: ${this.queue.bytes} bytes queued`));
          return false;
        case 'drop-oldest':
          while (!this.queue.hasRoomFor(frame.length)) {
            this.queue.shift();
            this.counters.droppedFrames++;
          }
      }
    }
    this.queue.push(frame);
    if (this.queue.bytes > this.counters.peakQueuedBytes) this.counters.peakQueuedBytes = this.queue.bytes;
    if (this.writing && !this.backpressured) this.scheduleFlush();
    return true;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    process.nextTick(() => {
      this.flushScheduled = false;
      if (this.writing && !this.backpressured) this.writeBacklog();
    });
  }

  /** Writes queued frames until the queue is empty or the socket pushes back. */
  private writeBacklog(): void {
    let flowing = true;
    while (this.queue.length > 0 && flowing) {
      const { frames, bytes } = this.queue.takeBatch(MAX_BATCH_BYTES);
      flowing = this.writeFrames(frames, bytes);
    }
    this.wakeWriters();
    if (this.status !== 'open') return;
    if (flowing) {
      if (this.actor.getSnapshot().matches({ open: { sending: 'writing' } })) this.dispatch({ type: 'FLUSHED' });
    } else {
      this.backpressured = true;
      this.dispatch({ type: 'BACKPRESSURED' });
    }
  }

  private writeFrames(frames: Uint8Array[], bytes: number): boolean {
    this.counters.framesOut += frames.length;
    this.counters.bytesOut += bytes;
    this.lastActivity = Date.now();
    this.counters.socketWrites++;
    if (frames.length === 1) return this.socket.write(frames[0]);
    if (bytes <= CONCAT_LIMIT) return this.socket.write(Buffer.concat(frames, bytes));
    this.socket.cork();
    let flowing = true;
    for (const frame of frames) flowing = this.socket.write(frame);
    this.socket.uncork();
    return flowing;
  }

  /** Handshake bytes bypass the queue: nothing else may go out before them. */
  private writeRaw(bytes: Uint8Array): void {
    this.counters.bytesOut += bytes.length;
    this.counters.framesOut++;
    this.counters.socketWrites++;
    this.socket.write(bytes);
  }

  private wakeWriters(): void {
    if (this.writableWaiters.length === 0) return;
    if (this.accepting && !this.queue.hasRoomFor(1)) return;
    const waiters = this.writableWaiters;
    this.writableWaiters = [];
    for (const wake of waiters) wake();
  }

  // ---- ending ---------------------------------------------------------------------------------

  /** Feeds the machine; late socket events after the end are dropped (the actor is done). */
  private dispatch(event: ConnectionEvent): void {
    if (!this.ended) this.actor.send(event);
  }

  private fail(error: Error): void {
    this.dispatch({ type: 'FAIL', error });
  }

  private endInput(): void {
    if (this.inputEnded) return;
    this.inputEnded = true;
    this.delivering = false;
    if (!this.early) this.subject.complete();
  }

  private beginClosing(sendBye: boolean): void {
    this.accepting = false;
    this.endInput();
    this.clearIdleTimer();
    if (sendBye && this.protocol.bye) this.queue.push(this.protocol.encode(this.protocol.bye.message));
    this.writing = true;
    this.backpressured = false;
    while (this.queue.length > 0) {
      const { frames, bytes } = this.queue.takeBatch(MAX_BATCH_BYTES);
      this.writeFrames(frames, bytes);
    }
    this.wakeWriters();
    // Keep reading (and discarding) so that unread input does not turn our close into a reset.
    this.socket.resume();
    this.socket.end();
    this.closeTimer = setTimeout(() => this.dispatch({ type: 'CLOSE_TIMEOUT' }), this.options.closeTimeoutMs);
  }

  private finish(reason: EndReason, error: Error | undefined): void {
    clearTimeout(this.handshakeTimer);
    clearTimeout(this.closeTimer);
    this.accepting = false;
    this.writing = false;
    this.clearIdleTimer();
    this.endInput();
    this.queue.clear();
    this.wakeWriters();
    if (error) {
      if (error instanceof ProtocolError || error instanceof HandshakeError || error instanceof QueueFullError) {
        this.log.warn('closing connection', { reason, error, peer: `${this.socket.remoteAddress}:${this.socket.remotePort}` });
      } else {
        this.log.debug('connection failed', { reason, error });
      }
    }
    this.teardownSocket(reason);
    this.ended = error ? { reason, error } : { reason };
    this.resolveClosed(this.ended);
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
    const timer = setTimeout(() => socket.destroy(), this.options.closeTimeoutMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  }

  private armIdleTimer(delay: number): void {
    this.idleTimer = setTimeout(() => {
      const idleFor = Date.now() - this.lastActivity;
      if (idleFor >= this.options.idleTimeoutMs) this.dispatch({ type: 'IDLE_TIMEOUT' });
      else this.armIdleTimer(this.options.idleTimeoutMs - idleFor);
    }, delay);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
