import { connect, errors as natsErrors, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { Subject, type Observable } from 'rxjs';
import { createLogger } from '../../../logger.js';
import { UINT32_LE } from '../../../protocols/framing/index.js';
import { decodeNotification, encodeNotificationInto, type Notification, type Scope } from '../../../protocols/rsb/index.js';
import { NotificationMemo } from '../../../protocols/rsb/notification-codec.js';
import type { FramedNotification } from '../bus-protocol.js';
import type { BusTransport, BusTransportHooks, BusTransportStats } from '../bus-transport.js';
import { BusError } from '../errors.js';
import type { NatsBusEvent } from './nats-events.js';
import { forEachNotificationBody, NATS_FRAME_PREFIX_BYTES, NATS_MESSAGE_BATCH_BYTES, NatsMessageBatch, type NatsMessage } from '../../../protocols/rsb/nats/nats-message.js';
import { Backoff } from '../../backoff.js';
import { NATS_BUS_DEFAULTS, type NatsBusOptions } from './nats-options.js';
import { rpcSubject, scopeToSubject, subscriptionSubjects } from '../../../protocols/rsb/nats/nats-subject.js';
import { ScopeCover, type CoverChange } from './scope-cover.js';
import { SenderSequence } from './sender-sequence.js';

/** Counters of the NATS transport beyond those of every transport. */
export interface NatsTransportStats extends BusTransportStats {
  /** Notifications dropped because the reconnect buffer was full (or the bus was closing). */
  readonly lost: number;
  /** Notifications now waiting for a reconnect, and their bytes. */
  readonly buffered: number;
  /** Copies of already delivered notifications that were dropped. */
  readonly duplicates: number;
  /** Sequence numbers skipped by senders as seen here (lost, or on scopes not subscribed). */
  readonly missing: number;
  /** Times the connection came back. */
  readonly reconnects: number;
  /** Subjects subscribed now (two per covering scope). */
  readonly subscriptions: number;
}

/** The part of a nats.js connection that holds the socket of the current (re)connect attempt. */
interface DialingConnection {
  readonly protocol?: { readonly transport?: { discard?(): void } };
}

/**
 * Destroys the socket of a reconnect attempt that a closed nats.js connection left behind (see
 * `NatsBusTransport.closeConnection`). Reaches into the client's internals, so every step is
 * checked: when a later nats.js has no such socket, this does nothing.
 */
function discardPendingDial(nc: NatsConnection): void {
  const transport = (nc as unknown as DialingConnection).protocol?.transport;
  if (transport !== undefined && typeof transport.discard === 'function') transport.discard();
}

/** Bytes published in one turn of the event loop before they are handed to the client anyway. */
const BATCH_BYTES = 256 * 1024;

const log = createLogger('rsb.bus.nats');

/**
 * The RSB bus on NATS: a notification on scope `/a/b/` is published, in its RSB protobuf
 * encoding unchanged, on subject `rsb.a.b`, in a message it may share with the notifications
 * published right before it on the same scope (see `nats-message.ts`); local sinks are covered by the fewest
 * subscriptions (`rsb.a` plus `rsb.a.>` for a sink on `/a/`, none more for one on `/a/b/`), so
 * each message is delivered once, in the order the server relays it (per publisher, the order
 * of publishing). Copies of a notification already delivered are dropped by sender and
 * sequence number; skipped sequence numbers are reported as `sequence-gap` events.
 *
 * While the connection is down, publishes wait in a buffer bounded in bytes and go out in order
 * on reconnect (the NATS client itself discards what it had not written when it redials); a
 * full buffer applies backpressure, and what is published past it anyway is dropped, counted
 * and reported. Reconnects use jittered exponential backoff. `drain()` flushes and drains the
 * connection; the connection uses `noEcho`, since the bus delivers its own publishes locally.
 */
export class NatsBusTransport implements BusTransport {
  readonly role = 'nats' as const;
  /** Connection events: disconnects, reconnects, losses, slow consumers, server errors. */
  readonly events$: Observable<NatsBusEvent>;

  private readonly eventSubject = new Subject<NatsBusEvent>();
  private readonly cover = new ScopeCover();
  private readonly subscriptions = new Map<string, Subscription[]>();
  private readonly sequence = new SenderSequence();
  /** Subjects of the scopes published to (scopes are interned by `Scope.parse`). */
  private readonly subjects = new WeakMap<Scope, string>();
  private readonly advertised = new Map<string, { count: number; sub: Subscription }>();
  private readonly prefix: string;
  private readonly maxBufferBytes: number;
  private connected = true;
  private closing = false;
  private buffer: NatsMessage[] = [];
  /** Messages sealed in this turn, published together at its end (or after {@link BATCH_BYTES}). */
  private outgoing: NatsMessage[] = [];
  private outgoingBytes = 0;
  private readonly batch: NatsMessageBatch;
  /** Bytes published in this turn of the event loop (reset by `turnEnd`). */
  private burstBytes = 0;
  private turnEnd: NodeJS.Immediate | undefined;
  private bufferBytes = 0;
  /** Notifications in {@link buffer} (a message may hold several). */
  private bufferCount = 0;
  private waiters: Array<() => void> = [];
  private counters = { notificationsIn: 0, framesOut: 0, badNotifications: 0, lost: 0, duplicates: 0, missing: 0, reconnects: 0 };

  private constructor(
    private readonly nc: NatsConnection,
    private readonly hooks: BusTransportHooks,
    private readonly options: NatsBusOptions,
    private readonly backoff: Backoff,
  ) {
    this.prefix = options.subjectPrefix ?? NATS_BUS_DEFAULTS.subjectPrefix;
    this.maxBufferBytes = options.maxReconnectBufferBytes ?? NATS_BUS_DEFAULTS.maxReconnectBufferBytes;
    const maxPayload = nc.info?.max_payload;
    this.batch = new NatsMessageBatch(maxPayload ? Math.min(maxPayload, NATS_MESSAGE_BATCH_BYTES) : NATS_MESSAGE_BATCH_BYTES, (message) => this.outgoing.push(message));
    this.events$ = this.eventSubject.asObservable();
    void this.watchStatus();
    void nc.closed().then((error) => {
      this.connected = false;
      this.wake();
      this.eventSubject.complete();
      if (this.closing) return;
      const why = error instanceof Error ? error.message : 'the NATS connection closed';
      hooks.lost(new BusError('BUS_CLOSED', `NATS ${this.options.servers.join(',')}: ${why}`, { cause: error ?? undefined }));
    });
  }

  /** Connects to one of `options.servers`; rejects with `BUS_UNAVAILABLE` when none answers. */
  static async connect(options: NatsBusOptions, hooks: BusTransportHooks): Promise<NatsBusTransport> {
    // Jittered, so that clients cut by one server restart do not all return in the same instant.
    const backoff = new Backoff({
      initialDelayMs: options.reconnectDelayMs ?? NATS_BUS_DEFAULTS.reconnectDelayMs,
      maxDelayMs: options.maxReconnectDelayMs ?? NATS_BUS_DEFAULTS.maxReconnectDelayMs,
    });
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers: [...options.servers],
        user: options.user,
        pass: options.pass,
        token: options.token,
        name: options.name ?? 'actorwire-rsb',
        noEcho: true,
        reconnect: true,
        maxReconnectAttempts: options.maxReconnectAttempts ?? NATS_BUS_DEFAULTS.maxReconnectAttempts,
        reconnectDelayHandler: () => backoff.next(),
        timeout: options.connectTimeoutMs ?? NATS_BUS_DEFAULTS.connectTimeoutMs,
      });
    } catch (err) {
      throw new BusError('BUS_UNAVAILABLE', `cannot connect to NATS ${options.servers.join(',')}: ${(err as Error).message}`, { cause: err });
    }
    return new NatsBusTransport(nc, hooks, options, backoff);
  }

  /** The server connected to now. */
  get address(): { host: string; port: number } | undefined {
    const server = this.nc.getServer();
    const match = /^(?:nats:\/\/)?(.*):(\d+)$/.exec(server);
    return match ? { host: match[1], port: Number(match[2]) } : undefined;
  }

  /** The NATS connection, for RPC presence checks and diagnostics. Do not close it. */
  get connection(): NatsConnection {
    return this.nc;
  }

  /** The subject prefix in use (default `rsb`). */
  get subjectPrefix(): string {
    return this.prefix;
  }

  /**
   * True while the reconnect buffer could not take another notification the size of the last
   * one buffered (producers should wait for the reconnect), or, briefly, after a burst.
   */
  get congested(): boolean {
    if (this.closing) return false;
    // A producer that publishes more than a batch in one turn yields once, so that the socket
    // gets written (and the consumers served) while it produces the next batch.
    if (this.burstBytes > BATCH_BYTES) return true;
    return this.buffer.length > 0 && this.bufferBytes + this.buffer[this.buffer.length - 1].payload.length > this.maxBufferBytes;
  }

  broadcast(frame: FramedNotification, notification: Notification): void {
    this.batch.addFrame(this.subjectOf(notification.scope), frame.frame);
    this.added(frame.frame.length);
  }

  /** A publish of this process, encoded straight into the message being batched. */
  publishNotification(notification: Notification, size: number): void {
    const frameBytes = NATS_FRAME_PREFIX_BYTES + size;
    const at = this.batch.reserve(this.subjectOf(notification.scope), frameBytes);
    const target = this.batch.buffer;
    UINT32_LE.write(size, target, at);
    encodeNotificationInto(notification, target, at + NATS_FRAME_PREFIX_BYTES);
    this.added(frameBytes);
  }

  /**
   * Publishes an encoded notification body on the subject of `scope`. Consecutive publishes to
   * one subject share a NATS message (see `nats-message.ts`); the messages of one turn of the
   * event loop go to the client together (so that it writes them to the socket in one batch),
   * at the latest after {@link BATCH_BYTES}.
   */
  publishBody(scope: Scope, body: Uint8Array): void {
    this.batch.add(this.subjectOf(scope), body);
    this.added(body.length);
  }

  private subjectOf(scope: Scope): string {
    let subject = this.subjects.get(scope);
    if (subject === undefined) this.subjects.set(scope, (subject = scopeToSubject(scope, this.prefix)));
    return subject;
  }

  /** After a notification of `bytes` went into the batch: schedule or force the hand-over. */
  private added(bytes: number): void {
    if (!this.connected || this.buffer.length > 0) {
      // Into the reconnect buffer one by one, so that its bound applies to each publish.
      this.flushOutgoing();
      return;
    }
    this.outgoingBytes += bytes;
    this.burstBytes += bytes;
    if (this.outgoingBytes >= BATCH_BYTES) this.flushOutgoing();
    this.turnEnd ??= setImmediate(() => {
      this.turnEnd = undefined;
      this.flushOutgoing();
      this.burstBytes = 0;
      this.wake();
    });
  }

  /** Hands the messages of this turn to the client (or to the reconnect buffer). */
  private flushOutgoing(): void {
    this.batch.seal();
    if (this.outgoing.length === 0) return;
    const messages = this.outgoing;
    this.outgoing = [];
    this.outgoingBytes = 0;
    for (const message of messages) {
      if (!this.connected || this.buffer.length > 0) {
        this.hold(message);
        continue;
      }
      try {
        this.nc.publish(message.subject, message.payload);
        this.counters.framesOut += message.count;
      } catch (err) {
        // Closed, draining or too large for the server: a loss, reported.
        this.drop(message, err as Error);
      }
    }
  }

  /** Keeps a message for the reconnect, within the buffer's bound. */
  private hold(message: NatsMessage): void {
    if (this.closing || this.bufferBytes + message.payload.length > this.maxBufferBytes) {
      this.drop(message, undefined);
      return;
    }
    this.buffer.push(message);
    this.bufferBytes += message.payload.length;
    this.bufferCount += message.count;
  }

  whenUncongested(): Promise<void> {
    if (!this.congested) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  watch(scope: Scope): void {
    const change = this.cover.add(scope);
    // Subscribe the new cover before dropping the old: a message in between may arrive twice,
    // and the sequence check drops the copy; none is missed.
    this.applyCover(change);
  }

  unwatch(scope: Scope): void {
    this.applyCover(this.cover.remove(scope));
  }

  /**
   * Answers presence probes for the RPC method on `scope` (subject `<prefix>_rpc.<tokens>`, one
   * queue group, so one answer per probe), counted per caller.
   */
  advertise(scope: Scope): () => void {
    const subject = rpcSubject(scope, this.prefix);
    const entry = this.advertised.get(subject);
    if (entry) entry.count++;
    else {
      const sub = this.nc.subscribe(subject, { queue: 'rsb', callback: (_err, msg) => void msg.respond() });
      this.advertised.set(subject, { count: 1, sub });
    }
    let withdrawn = false;
    return () => {
      if (withdrawn) return;
      withdrawn = true;
      const current = this.advertised.get(subject);
      if (current === undefined || --current.count > 0) return;
      this.advertised.delete(subject);
      if (!current.sub.isClosed()) current.sub.unsubscribe();
    };
  }

  /**
   * Whether some process serves the RPC method on `scope`: this one, or one that answers a
   * probe. The server answers a probe nobody is subscribed to with "no responders" at once.
   * Unknown (`true`, so that the caller waits for its own timeout) when the probe fails otherwise.
   */
  async hasResponders(scope: Scope): Promise<boolean> {
    const subject = rpcSubject(scope, this.prefix);
    if (this.advertised.has(subject)) return true;
    try {
      await this.nc.request(subject, undefined, { timeout: this.options.connectTimeoutMs ?? NATS_BUS_DEFAULTS.connectTimeoutMs });
      return true;
    } catch (err) {
      return !(err instanceof natsErrors.RequestError && err.isNoResponders());
    }
  }

  async whenWatching(): Promise<void> {
    if (!this.connected || this.nc.isClosed()) return;
    try {
      await this.nc.flush();
    } catch (err) {
      // Disconnected meanwhile: the client re-subscribes on reconnect.
      log.debug('flush after subscribing failed', { error: err as Error });
    }
  }

  /**
   * Flushes and drains the connection, within `drainTimeoutMs`, then closes it. On a link that is
   * down nothing can be flushed: nats.js's drain would end in a flush that waits for the next
   * reconnect, so the connection is closed at once (docs/RSB.md, "NATS: a bus across hosts").
   */
  async drain(): Promise<void> {
    this.flushOutgoing();
    this.closing = true;
    this.wake();
    if (this.nc.isClosed()) return;
    if (this.buffer.length > 0) {
      this.counters.lost += this.bufferCount;
      this.eventSubject.next({ type: 'publish-dropped', count: this.bufferCount, bytes: this.bufferBytes, reason: 'closed before reconnecting' });
      this.buffer = [];
      this.bufferBytes = 0;
      this.bufferCount = 0;
    }
    if (this.connected) {
      const timeoutMs = this.options.drainTimeoutMs ?? NATS_BUS_DEFAULTS.drainTimeoutMs;
      let timer: NodeJS.Timeout | undefined;
      const drained = this.nc.drain().catch((err: unknown) => log.debug('drain failed', { error: err as Error }));
      await Promise.race([drained, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    }
    await this.closeConnection();
  }

  async close(): Promise<void> {
    this.flushOutgoing();
    this.closing = true;
    this.wake();
    await this.closeConnection();
  }

  /**
   * Closes the connection, and the socket of a reconnect in progress with it: nats.js 3.4's
   * `close()` cancels that dial's timeout but leaves its socket open while the server has not
   * sent its INFO (a server that is stopped, frozen or behind a dead forwarder accepts the TCP
   * connection and never speaks), which kept a process alive forever after its bus was closed.
   */
  private async closeConnection(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.close();
    discardPendingDial(this.nc);
  }

  stats(): NatsTransportStats {
    return {
      ...this.counters,
      connections: this.connected ? 1 : 0,
      forwarded: 0,
      badPeersClosed: 0,
      slowPeersDropped: 0,
      backlogBytes: this.bufferBytes,
      buffered: this.bufferCount,
      subscriptions: this.subscriptions.size * 2,
    };
  }

  private subscribeCovering(scope: Scope): void {
    const subs = subscriptionSubjects(scope, this.prefix).map((subject) =>
      this.nc.subscribe(subject, { callback: (err, msg) => (err ? this.serverError(err) : this.receive(msg.data)) }),
    );
    this.subscriptions.set(scope.text, subs);
  }

  private applyCover(change: CoverChange): void {
    for (const added of change.added) this.subscribeCovering(added);
    const old: Subscription[] = [];
    for (const scope of change.removed) {
      old.push(...(this.subscriptions.get(scope.text) ?? []));
      this.subscriptions.delete(scope.text);
    }
    if (old.length === 0) return;
    if (change.added.length === 0) {
      for (const sub of old) sub.unsubscribe();
      return;
    }
    // Swapping: the client drops messages for a subscription as soon as it unsubscribes, while
    // the server routes to it until it reads the UNSUB. Keep the old ones until the server has
    // the new ones (a flush round trip); meanwhile a message may arrive twice, and the sequence
    // check drops the copy. None is missed.
    const unsubscribe = (): void => {
      for (const sub of old) if (!sub.isClosed()) sub.unsubscribe();
    };
    this.nc.flush().then(unsubscribe, unsubscribe);
  }

  private receive(data: Uint8Array): void {
    // The client hands out Buffers; payloads are plain Uint8Arrays on every other transport.
    const payload = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    try {
      forEachNotificationBody(payload, this.receiveBody);
    } catch (err) {
      // A frame that cannot be split (the ones before it were delivered) or a bad notification.
      this.counters.badNotifications++;
      log.warn('dropping the rest of a NATS message that does not hold valid notifications', { error: err as Error });
    }
  }

  /** What the notifications this transport receives repeat (scopes, schemas, sender ids). */
  private readonly memo = new NotificationMemo();

  /** One notification of a received message. Throws when it does not decode. */
  private readonly receiveBody = (body: Uint8Array): void => {
    const notification = decodeNotification(body, this.memo);
    const verdict = this.sequence.check(notification.eventId);
    if (verdict.kind === 'seen') {
      this.counters.duplicates++;
      return;
    }
    if (verdict.kind === 'gap') {
      this.counters.missing += verdict.missing;
      this.eventSubject.next({ type: 'sequence-gap', sender: notification.eventId.sender, missing: verdict.missing, scope: notification.scope.text });
    }
    this.counters.notificationsIn++;
    this.hooks.deliver(notification, body);
  };

  private drop(message: NatsMessage, error: Error | undefined): void {
    this.counters.lost += message.count;
    const reason = error ? error.message : this.closing ? 'the bus is closing' : `reconnect buffer full (${this.maxBufferBytes} bytes)`;
    log.warn('notifications dropped', { subject: message.subject, count: message.count, bytes: message.payload.length, reason });
    this.eventSubject.next({ type: 'publish-dropped', count: message.count, bytes: message.payload.length, reason, subject: message.subject });
  }

  private serverError(error: Error): void {
    log.warn('NATS subscription error', { error });
    this.eventSubject.next({ type: 'server-error', error });
  }

  private async watchStatus(): Promise<void> {
    for await (const status of this.nc.status()) {
      switch (status.type) {
        case 'disconnect':
          this.connected = false;
          // This turn's batch goes to the reconnect buffer ahead of anything published later.
          this.flushOutgoing();
          this.eventSubject.next({ type: 'disconnected', server: status.server });
          break;
        case 'reconnect':
          this.backoff.reset();
          this.counters.reconnects++;
          this.flushBuffer();
          this.connected = true;
          this.eventSubject.next({ type: 'reconnected', server: status.server });
          break;
        case 'slowConsumer':
          this.eventSubject.next({ type: 'slow-consumer', pending: status.pending });
          break;
        case 'error':
          this.serverError(status.error);
          break;
        case 'staleConnection':
          this.eventSubject.next({ type: 'stale-connection' });
          break;
        default:
          break;
      }
    }
  }

  private flushBuffer(): void {
    const pending = this.buffer;
    this.buffer = [];
    this.bufferBytes = 0;
    this.bufferCount = 0;
    for (let i = 0; i < pending.length; i++) {
      try {
        this.nc.publish(pending[i].subject, pending[i].payload);
        this.counters.framesOut += pending[i].count;
      } catch (err) {
        let count = 0;
        for (let j = i; j < pending.length; j++) count += pending[j].count;
        this.counters.lost += count;
        this.eventSubject.next({ type: 'publish-dropped', count, bytes: 0, reason: (err as Error).message });
        break;
      }
    }
    this.wake();
  }

  private wake(): void {
    if (this.congested || this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
