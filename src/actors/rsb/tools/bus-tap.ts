import { Observable, Subject } from 'rxjs';
import { Scope, type Notification } from '../../../protocols/rsb/index.js';
import type { Bus } from '../../bus/bus.js';
import { ReceivedEvent } from '../event.js';
import type { EventFilter } from '../filters.js';
import { holdBus, type BusHold } from '../participant.js';
import type { ParticipantOptions } from '../participant-options.js';

/** A notification a {@link BusTap} kept, with what its filters saw. */
export interface TappedNotification {
  readonly notification: Notification;
  /** When this process received it (µs since the epoch). */
  readonly receiveTime: number;
  /** The event's header as filters see it (`data` is not decoded). */
  readonly header: ReceivedEvent;
}

/** Options of {@link BusTap.create}. */
export interface BusTapOptions extends ParticipantOptions {
  /** Every filter must keep a notification (docs/RSB.md, "rsb logger"). */
  readonly filters?: readonly EventFilter[];
}

/** The scopes that are not below another one of the list: listening on those sees each event once. */
export function outermostScopes(scopes: readonly Scope[]): Scope[] {
  const unique = [...new Map(scopes.map((s) => [s.text, s])).values()];
  return unique.filter((s) => !unique.some((other) => other !== s && s.isSubScopeOf(other)));
}

/**
 * Sees the notifications on some scopes of a bus, undecoded, each once even when the scopes
 * overlap: what the RSB logger and recorder listen with. The stream errors when the bus is
 * lost and completes on {@link close}.
 */
export class BusTap {
  /** The kept notifications, in arrival order. */
  readonly notifications$: Observable<TappedNotification>;
  private readonly subject = new Subject<TappedNotification>();
  private readonly unsubscribe: Array<() => void>;
  private closing: Promise<void> | undefined;

  private constructor(
    /** The scopes listened on, without those inside another. */
    readonly scopes: readonly Scope[],
    private readonly hold: BusHold,
    filters: readonly EventFilter[],
  ) {
    this.notifications$ = this.subject.asObservable();
    const sink = (notification: Notification, receiveTime: number): void => {
      const header = new ReceivedEvent(notification, receiveTime);
      for (const keep of filters) if (!keep(header)) return;
      this.subject.next({ notification, receiveTime, header });
    };
    this.unsubscribe = scopes.map((scope) => hold.bus.subscribe(scope, sink));
    void hold.bus.closed.then((end) => {
      if (end.reason === 'lost') this.subject.error(end.error);
    });
  }

  /** Listens on `scopes` (default: the root) of the bus the options select. */
  static async create(scopes: ReadonlyArray<Scope | string>, options: BusTapOptions = {}): Promise<BusTap> {
    const parsed = (scopes.length === 0 ? ['/'] : scopes).map((s) => (typeof s === 'string' ? Scope.parse(s) : s));
    const tap = new BusTap(outermostScopes(parsed), await holdBus(options), options.filters ?? []);
    // On a broker (NATS) a subscription takes a round trip to take effect.
    await tap.bus.whenSubscribed();
    return tap;
  }

  /** The bus listened on. */
  get bus(): Bus {
    return this.hold.bus;
  }

  /** Stops listening and lets go of the bus; the stream completes. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const unsubscribe of this.unsubscribe) unsubscribe();
      this.subject.complete();
      await this.hold.release();
    })();
    return this.closing;
  }
}
