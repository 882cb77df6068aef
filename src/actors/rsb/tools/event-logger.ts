import { ConverterRegistry, notificationSize } from '../../../protocols/rsb/index.js';
import { systemClock, type Clock, type ClockTimer } from '../../clock.js';
import type { TappedNotification } from './bus-tap.js';
import { ProtobufTextTypes } from './protobuf-text.js';
import { eventFormatter, type EventFormatter, type LoggerStyle } from './event-styles.js';
import { renderScopeTree, renderStatistics, ScopeStatistics } from './scope-statistics.js';

/** Options of {@link EventLogger}. */
export interface EventLoggerOptions {
  readonly style: LoggerStyle;
  /** Where the text goes (e.g. stdout). */
  readonly write: (text: string) => void;
  /** Stop after this many events (default: never). */
  readonly stopAfter?: number;
  /** Converters for payloads. Default: every fundamental converter. */
  readonly converters?: ConverterRegistry;
  /**
   * Protobuf message types whose payloads are shown decoded (a `ProtobufPayload` as the
   * event's data), before {@link converters} are tried. Default: the built-in ones
   * (`.rsb.protocol.EventId`).
   */
  readonly protobufTypes?: ProtobufTextTypes;
  /** Refresh period of the `statistics` and `monitor` styles, in ms. Default 1000. */
  readonly refreshMs?: number;
  /** Timers and time for the refresh. Default: the process's. */
  readonly clock?: Clock;
}

/**
 * The RSB logger (docs/RSB.md, "rsb logger"): prints each tapped event in a per-event style, or
 * counts them for `statistics` and `monitor`, which print per-scope tables every refresh period
 * and once more, over the whole run, at the end. {@link done} resolves after `stopAfter` events.
 */
export class EventLogger {
  /** Resolves when `stopAfter` events have been logged. */
  readonly done: Promise<void>;
  private readonly formatter: EventFormatter | undefined;
  private readonly statistics: ScopeStatistics | undefined;
  private readonly converters: ConverterRegistry;
  private readonly protobufTypes: ProtobufTextTypes;
  private readonly clock: Clock;
  private timer: ClockTimer | undefined;
  private seen = 0;
  private finished = false;
  private resolveDone!: () => void;

  constructor(private readonly options: EventLoggerOptions) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.converters = options.converters ?? ConverterRegistry.withDefaults();
    this.protobufTypes = options.protobufTypes ?? ProtobufTextTypes.builtIn();
    this.clock = options.clock ?? systemClock;
    if (options.style === 'statistics' || options.style === 'monitor') {
      this.statistics = new ScopeStatistics(() => this.clock.now());
      this.schedule();
    } else {
      this.formatter = eventFormatter(options.style);
    }
    if (options.stopAfter === 0) this.finish();
  }

  /** Events logged so far. */
  get count(): number {
    return this.seen;
  }

  /** Logs one event (ignored once the logger has stopped). */
  log({ notification, receiveTime, header }: TappedNotification): void {
    if (this.finished) return;
    const size = notificationSize(notification);
    if (this.statistics !== undefined) {
      this.statistics.add(notification.scope, size, header.sendTime, receiveTime);
    } else {
      let data: unknown;
      try {
        data = this.protobufTypes.decode(notification.wireSchema, notification.data) ?? this.converters.decode(notification.wireSchema, notification.data);
      } catch (err) {
        data = `<payload does not decode as ${notification.wireSchema}: ${(err as Error).message}>`;
      }
      header.data = data;
      header.deliverTime = receiveTime;
      this.options.write(this.formatter!({ event: header, size }));
    }
    if (++this.seen === this.options.stopAfter) this.finish();
  }

  /** Stops: clears the refresh timer and prints the final table of the statistics styles. */
  stop(): void {
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.clock.clearTimeout(this.timer);
    if (this.statistics !== undefined) this.options.write(this.render(this.statistics.overall()));
    this.resolveDone();
  }

  private render(window: ReturnType<ScopeStatistics['take']>): string {
    return this.options.style === 'monitor' ? renderScopeTree(window) : renderStatistics(window);
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => {
      if (this.finished) return;
      this.options.write(this.render(this.statistics!.take()));
      this.schedule();
    }, this.options.refreshMs ?? 1000);
  }
}
