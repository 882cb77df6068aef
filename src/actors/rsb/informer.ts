import {
  EventId,
  RsbError,
  Scope,
  nowMicros,
  type ConverterRegistry,
  type Notification,
  type UserInfo,
  type UserTime,
} from '../../protocols/rsb/index.js';
import { Participant, holdBus, type BusHold } from './participant.js';
import { convertersOf, type ParticipantOptions } from './participant-options.js';

/** Per-event options of {@link Informer.publish}. */
export interface PublishOptions {
  /** The informer's scope or a sub-scope of it. Default: the informer's scope. */
  readonly scope?: Scope | string;
  /** `REQUEST`, `REPLY`, ... (ASCII). Default: none. */
  readonly method?: string;
  /** Ids of the events that caused this one. */
  readonly causes?: readonly EventId[];
  /** ASCII key/value pairs. */
  readonly userInfos?: Readonly<Record<string, string>>;
  /** Named timestamps in µs since the epoch. */
  readonly userTimes?: Readonly<Record<string, number>>;
  /** Send with this wire schema's converter instead of the one the value's type selects. */
  readonly wireSchema?: string;
  /** The create time (µs). Default: now. */
  readonly createTime?: number;
}

/** An event with its id assigned, ready to send with {@link Informer.send}. */
export interface OutgoingEvent {
  readonly id: EventId;
  readonly notification: Notification;
}

const NO_OPTIONS: PublishOptions = Object.freeze({});
const NO_CAUSES: readonly EventId[] = Object.freeze([]);
const NO_PAIRS: readonly never[] = Object.freeze([]);
const SEQUENCE_WRAP = 0x1_0000_0000;

/**
 * Publishes events on a scope. Each event gets the id (this informer's UUID, next sequence
 * number from 0), a create time and, when sent, a send time; it may carry a method, causes, user
 * infos and user times. Events reach this process's matching listeners too (local delivery).
 *
 * @example
 * ```ts
 * const informer = await Informer.create('/demo/strings');
 * await informer.publish('hello', { userInfos: { lang: 'ts' } });
 * await informer.close();
 * ```
 */
export class Informer extends Participant {
  private readonly converters: ConverterRegistry;
  private sequence = 0;

  private constructor(scope: Scope, hold: BusHold, converters: ConverterRegistry) {
    super(scope, hold, 'informer');
    this.converters = converters;
  }

  /** Creates an informer on `scope`, acquiring the bus the options select. */
  static async create(scope: Scope | string, options: ParticipantOptions = {}): Promise<Informer> {
    const parsed = typeof scope === 'string' ? Scope.parse(scope) : scope;
    return new Informer(parsed, await holdBus(options), convertersOf(options));
  }

  /** The sequence number the next event gets. */
  get nextSequenceNumber(): number {
    return this.sequence;
  }

  /**
   * Publishes `data` once the bus can take it (backpressure from slow connections); resolves
   * with the event's id. Rejects with `BUS_CLOSED` when the bus is gone, `RSB_UNENCODABLE` for
   * a value no converter takes, `RSB_INVALID_SCOPE` for a scope outside the informer's.
   */
  publish(data: unknown, options?: PublishOptions): Promise<EventId> {
    // Not async: the common case (bus writable) costs one settled promise, no generator.
    if (!this.bus.writable) return this.bus.whenWritable().then(() => this.publishNow(data, options));
    try {
      return Promise.resolve(this.publishNow(data, options));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Publishes at once, queueing beyond the connections' send queues if need be. */
  publishNow(data: unknown, options?: PublishOptions): EventId {
    const event = this.createEvent(data, options);
    // Created just now: its send time is its create time.
    this.bus.publish(event.notification);
    return event.id;
  }

  /**
   * Builds the next event (assigning its id) without sending it, e.g. to register an RPC call
   * before its reply can arrive. Send events in creation order.
   */
  createEvent(data: unknown, options: PublishOptions = NO_OPTIONS): OutgoingEvent {
    this.assertOpen('informer');
    const scope = this.eventScope(options.scope);
    const payload = options.wireSchema === undefined ? this.converters.encode(data) : this.converters.encodeAs(options.wireSchema, data);
    const id = new EventId(this.idBytes, this.sequence);
    this.sequence = (this.sequence + 1) % SEQUENCE_WRAP;
    const createTime = options.createTime ?? nowMicros();
    const notification: Notification = {
      eventId: id,
      scope,
      method: options.method,
      wireSchema: payload.wireSchema,
      data: payload.data,
      causes: options.causes ?? NO_CAUSES,
      metaData: {
        createTime,
        sendTime: createTime,
        userInfos: options.userInfos ? Object.entries(options.userInfos).map(([key, value]): UserInfo => ({ key, value })) : NO_PAIRS,
        userTimes: options.userTimes ? Object.entries(options.userTimes).map(([key, timestamp]): UserTime => ({ key, timestamp })) : NO_PAIRS,
      },
    };
    return { id, notification };
  }

  /** Sends an event from {@link createEvent}, stamping its send time. */
  send(event: OutgoingEvent): void {
    this.assertOpen('informer');
    const meta = event.notification.metaData!;
    this.bus.publish({ ...event.notification, metaData: { ...meta, sendTime: Math.max(nowMicros(), meta.createTime) } });
  }

  protected async detach(): Promise<void> {}

  private eventScope(scope: Scope | string | undefined): Scope {
    if (scope === undefined) return this.scope;
    const parsed = typeof scope === 'string' ? Scope.parse(scope) : scope;
    if (!parsed.equals(this.scope) && !parsed.isSubScopeOf(this.scope)) {
      throw new RsbError('RSB_INVALID_SCOPE', `informer on ${this.scope.text} cannot publish to ${parsed.text}`);
    }
    return parsed;
  }
}
