import { Observable, Subject } from 'rxjs';
import { createLogger } from '../../logger.js';
import { Scope, type ConverterRegistry, type Notification } from '../../protocols/rsb/index.js';
import { ReceivedEvent, type RsbEvent } from './event.js';
import type { EventFilter } from './filters.js';
import { Participant, holdBus, type BusHold } from './participant.js';
import { convertersOf, type ParticipantOptions } from './participant-options.js';

/** Called once per event that passes a listener's filters. Errors are logged, never fatal. */
export type EventHandler = (event: RsbEvent) => void | Promise<void>;

/** Options of {@link Listener.create}. */
export interface ListenerOptions extends ParticipantOptions {
  /** Filters applied to every event, all of which must keep it. */
  readonly filters?: readonly EventFilter[];
  /** Handlers registered from the start (no event can slip past them). */
  readonly handlers?: readonly EventHandler[];
}

const log = createLogger('rsb.listener');

/**
 * Receives the events on a scope and its sub-scopes, from other processes and from this one
 * (local delivery). Each event passes the filters (on its header, before its payload is
 * decoded), is decoded by its wire schema (an unknown schema gives a `RawPayload`, a payload
 * that does not decode is logged and dropped), then goes to `events$` and to the handlers.
 *
 * `events$` is hot: it completes when the listener is closed and errors with `BUS_CLOSED` when
 * the bus is lost (e.g. the bus server went away).
 *
 * @example
 * ```ts
 * const listener = await Listener.create('/demo', { filters: [methodFilter('REPLY', { invert: true })] });
 * listener.events$.subscribe((event) => console.log(event.scope.text, event.data));
 * ```
 */
export class Listener extends Participant {
  /** Every event that passes the filters. */
  readonly events$: Observable<RsbEvent>;

  private readonly subject = new Subject<RsbEvent>();
  private readonly filters: EventFilter[];
  private readonly handlers: EventHandler[];
  private readonly converters: ConverterRegistry;
  private readonly unsubscribe: () => void;

  private constructor(scope: Scope, hold: BusHold, options: ListenerOptions) {
    super(scope, hold, 'listener');
    this.filters = [...(options.filters ?? [])];
    this.handlers = [...(options.handlers ?? [])];
    this.converters = convertersOf(options);
    this.events$ = this.subject.asObservable();
    this.unsubscribe = hold.bus.subscribe(scope, (notification, receiveTime) => this.onNotification(notification, receiveTime));
    void hold.bus.closed.then((end) => {
      if (end.reason === 'lost') this.subject.error(end.error);
    });
  }

  /** Creates a listener on `scope`, acquiring the bus the options select. */
  static async create(scope: Scope | string, options: ListenerOptions = {}): Promise<Listener> {
    const parsed = typeof scope === 'string' ? Scope.parse(scope) : scope;
    const listener = new Listener(parsed, await holdBus(options), options);
    // On a broker (NATS) the subscription takes a round trip to take effect.
    await listener.bus.whenSubscribed();
    return listener;
  }

  /** Adds a handler; returns the function that removes it. */
  addHandler(handler: EventHandler): () => void {
    this.handlers.push(handler);
    return () => {
      const index = this.handlers.indexOf(handler);
      if (index >= 0) this.handlers.splice(index, 1);
    };
  }

  /** Adds a filter for the events that arrive from now on. */
  addFilter(filter: EventFilter): void {
    this.filters.push(filter);
  }

  protected async detach(): Promise<void> {
    this.unsubscribe();
    this.subject.complete();
  }

  private onNotification(notification: Notification, receiveTime: number): void {
    const event = new ReceivedEvent(notification, receiveTime);
    for (const filter of this.filters) if (!filter(event)) return;
    try {
      event.data = this.converters.decode(notification.wireSchema, notification.data);
    } catch (err) {
      log.warn('dropping an event whose payload does not decode', { scope: event.scope.text, wireSchema: event.wireSchema, error: err as Error });
      return;
    }
    // Delivery is synchronous with receipt (same call), so both times are the same instant.
    event.deliverTime = receiveTime;
    this.subject.next(event);
    for (const handler of this.handlers) {
      try {
        const result = handler(event);
        if (result instanceof Promise) result.catch((err: unknown) => log.error('event handler failed', { error: err as Error }));
      } catch (err) {
        log.error('event handler failed', { error: err as Error });
      }
    }
  }
}
