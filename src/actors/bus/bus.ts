import { createLogger } from '../../logger.js';
import {
  ScopeTree,
  encodeNotificationFrame,
  notificationSize,
  nowMicros,
  type Notification,
  type Scope,
} from '../../protocols/rsb/index.js';
import type { BusMeter } from './bus-meter.js';
import { FramedNotification } from './bus-protocol.js';
import type { BusRole, BusTransport, BusTransportHooks, BusTransportStats } from './bus-transport.js';
import { BusError } from './errors.js';

/**
 * An in-connector: called once per notification on its scope or a sub-scope, with the local
 * receive time (µs). It must not throw (a throwing sink is logged and skipped).
 */
export type BusSink = (notification: Notification, receiveTime: number) => void;

/** The state of a bus. */
export type BusStatus = 'open' | 'closing' | 'closed';

/** How a bus ended: released by its last participant (`closed`), or its connection `lost`. */
export interface BusEnd {
  readonly reason: 'closed' | 'lost';
  readonly error?: Error;
}

/** What a participant of this process is to its bus. */
export type BusParticipantKind = 'informer' | 'listener';

/** How many participants of one kind this process has on one scope of a bus. */
export interface BusParticipants {
  readonly kind: BusParticipantKind;
  /** The scope's text, e.g. `/demo/`. */
  readonly scope: string;
  readonly count: number;
}

/** Counters of a bus: its transport's plus local traffic. */
export interface BusStats extends BusTransportStats {
  /** Notifications published by this process. */
  readonly published: number;
  /** Calls of in-connectors (local deliveries). */
  readonly delivered: number;
  /** In-connectors registered now. */
  readonly sinks: number;
}

const log = createLogger('rsb.bus');

/**
 * The hub of one endpoint in a process: local participants publish notifications into it and
 * subscribe in-connectors at scopes. A publish is delivered locally, straight through the scope
 * tree (an event on `/a/b/c/` reaches sinks on `/`, `/a/`, `/a/b/`, `/a/b/c/`), and written once
 * to every connection of the transport. Notifications from peers are delivered locally only,
 * and only when some sink covers their scope.
 *
 * Obtain buses with `acquireBus` (shared, reference-counted) or build one around a transport.
 */
export class Bus {
  /** Settles when the bus has ended; never rejects. */
  readonly closed: Promise<BusEnd>;
  readonly transport: BusTransport;
  /** Counts every notification through the bus when set (the monitor's; docs/MONITOR.md). */
  meter: BusMeter | undefined;

  private readonly tree = new ScopeTree<BusSink>();
  private state: BusStatus = 'open';
  private ending: BusEnd | undefined;
  private resolveClosed!: (end: BusEnd) => void;
  private closing: Promise<void> | undefined;
  private published = 0;
  private delivered = 0;
  /** Participants of this process by kind and scope (the monitor shows them). */
  private readonly members = new Map<string, { kind: BusParticipantKind; scope: string; count: number }>();

  /**
   * Builds a bus around the transport that `connect` returns; `connect` receives the hooks its
   * transport reports incoming notifications and its loss through.
   */
  static async create(endpoint: string, connect: (hooks: BusTransportHooks) => Promise<BusTransport>): Promise<Bus> {
    let bus: Bus | undefined;
    const early: Notification[] = [];
    let lostEarly: Error | undefined;
    const transport = await connect({
      deliver: (notification, body) => (bus ? bus.receive(notification, body) : early.push(notification)),
      lost: (error) => (bus ? bus.lose(error) : (lostEarly = error)),
    });
    bus = new Bus(endpoint, transport);
    for (const notification of early) bus.deliver(notification);
    if (lostEarly) bus.lose(lostEarly);
    return bus;
  }

  private constructor(
    /** A name of the endpoint, e.g. `socket:127.0.0.1:55555` or `inprocess`. */
    readonly endpoint: string,
    transport: BusTransport,
  ) {
    this.transport = transport;
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  /** `inprocess`, `server` or `client`. */
  get role(): BusRole {
    return this.transport.role;
  }

  get status(): BusStatus {
    return this.state;
  }

  /** How the bus ended, once it has. */
  get end(): BusEnd | undefined {
    return this.ending;
  }

  /**
   * Registers `sink` for notifications on `scope` and its sub-scopes, local and remote; returns
   * the function that removes it.
   */
  subscribe(scope: Scope, sink: BusSink): () => void {
    this.tree.add(scope, sink);
    this.transport.watch?.(scope);
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.tree.remove(scope, sink);
      this.transport.unwatch?.(scope);
    };
  }

  /**
   * A participant of this process joins the bus (informers and listeners do, on creation);
   * returns the function that lets it leave. Only counted, for the monitor (docs/MONITOR.md).
   */
  join(kind: BusParticipantKind, scope: Scope): () => void {
    const key = `${kind} ${scope.text}`;
    let entry = this.members.get(key);
    if (entry === undefined) {
      entry = { kind, scope: scope.text, count: 0 };
      this.members.set(key, entry);
    }
    entry.count++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      if (--entry.count === 0) this.members.delete(key);
    };
  }

  /** The participants of this process, by kind and scope. */
  participants(): BusParticipants[] {
    return [...this.members.values()].map((m) => ({ ...m }));
  }

  /**
   * Resolves once the subscriptions (and RPC advertisements) made or withdrawn so far are in
   * effect for remote traffic. At once for transports that receive everything (socket,
   * in-process); a broker round trip for NATS.
   */
  async whenSubscribed(): Promise<void> {
    if (this.state === 'open' && this.transport.whenWatching) await this.transport.whenWatching();
  }

  /**
   * Declares that this process serves the RPC method on `scope` (LocalServer does); returns the
   * function that withdraws it. A no-op on transports that cannot tell callers.
   */
  advertise(scope: Scope): () => void {
    return this.transport.advertise?.(scope) ?? (() => undefined);
  }

  /**
   * Whether some process serves the RPC method on `scope`: `false` only when the transport
   * knows nobody does (NATS no-responders); `undefined` when it cannot tell.
   */
  async hasResponders(scope: Scope): Promise<boolean | undefined> {
    if (this.state !== 'open' || !this.transport.hasResponders) return undefined;
    return this.transport.hasResponders(scope);
  }

  /** True when some sink would receive a notification on `scope`. */
  covers(scope: Scope): boolean {
    return this.tree.covers(scope);
  }

  /**
   * Publishes a notification: local delivery, then one frame to every connection. Throws
   * `BUS_CLOSED` once the bus is closing or closed, and an `RsbError` for a notification the
   * originals could not accept. Never waits: producers that care about backpressure call
   * {@link whenWritable} first.
   */
  publish(notification: Notification): void {
    if (this.state !== 'open') throw this.closedError();
    // Encode (or validate and size) first: nothing is delivered that the wire would refuse.
    let frame: Uint8Array | undefined;
    let size = -1;
    if (this.transport.role === 'inprocess' || this.transport.publishNotification) size = notificationSize(notification);
    else frame = encodeNotificationFrame(notification);
    this.published++;
    if (this.meter !== undefined) this.meter.record(notification.scope, size >= 0 ? size : frame!.length - 4, notification.metaData?.createTime ?? 0);
    this.deliver(notification);
    if (frame !== undefined) this.transport.broadcast(new FramedNotification(frame), notification);
    else if (this.transport.publishNotification) this.transport.publishNotification(notification, size);
  }

  /** False while some connection has frames waiting beyond its send queue. */
  get writable(): boolean {
    return !this.transport.congested;
  }

  /** Resolves when {@link writable}; rejects with `BUS_CLOSED` when the bus ends first. */
  async whenWritable(): Promise<void> {
    if (this.state !== 'open') throw this.closedError();
    if (!this.transport.congested) return;
    await Promise.race([this.transport.whenUncongested(), this.closed]);
    if (this.state !== 'open') throw this.closedError();
  }

  /**
   * Closes in order: stops accepting publishes, flushes, half-closes every connection and waits
   * for the peers (bounded by the connections' close timeout).
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.state = 'closing';
    this.closing = this.transport.drain().then(() => this.finish({ reason: 'closed' }));
    return this.closing;
  }

  stats(): BusStats {
    return { ...this.transport.stats(), published: this.published, delivered: this.delivered, sinks: this.tree.size };
  }

  /** A notification from a peer: metered (when a meter is set), then delivered locally. */
  private receive(notification: Notification, body: Uint8Array | undefined): void {
    if (this.meter !== undefined && this.state !== 'closed') {
      this.meter.record(notification.scope, body?.length ?? notificationSize(notification), notification.metaData?.createTime ?? 0);
    }
    this.deliver(notification);
  }

  private deliver(notification: Notification): void {
    if (this.state === 'closed') return;
    const scope = notification.scope;
    if (!this.tree.covers(scope)) return;
    const receiveTime = nowMicros();
    this.tree.dispatch(scope, (sink) => {
      this.delivered++;
      try {
        sink(notification, receiveTime);
      } catch (err) {
        log.error('in-connector failed', { error: err instanceof Error ? err : String(err) });
      }
    });
  }

  private lose(error: Error): void {
    if (this.state === 'closed') return;
    log.warn('bus lost', { endpoint: this.endpoint, error });
    this.closing ??= this.transport.close();
    this.finish({ reason: 'lost', error });
  }

  private finish(end: BusEnd): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.ending = end;
    this.resolveClosed(end);
  }

  private closedError(): BusError {
    const why = this.ending?.error ? `: ${this.ending.error.message}` : '';
    return new BusError('BUS_CLOSED', `the bus ${this.endpoint} is ${this.state}${why}`, { cause: this.ending?.error });
  }
}
