import type { BusMeter } from '../actors/bus/bus-meter.js';
import { nowMicros, type Scope } from '../protocols/rsb/index.js';
import { LogHistogram } from './log-histogram.js';

/** Events per scope and sampling window that always go into the size and latency distributions. */
export const SAMPLED_PER_WINDOW = 64;
/** Beyond those, one event in this many (a power of two) does. */
export const SAMPLE_EVERY = 16;

/** Traffic counters of one scope. */
export class ScopeCounters {
  /** Notifications on the scope. */
  events = 0;
  /** Their encoded bytes. */
  bytes = 0;
  /** Encoded sizes, bytes. */
  readonly sizes = new LogHistogram();
  /** Create → receive, µs. */
  readonly latency = new LogHistogram();
  /** Events whose size and latency went into the histograms since the window was last closed. */
  private sampled = 0;

  constructor(
    /** The scope's text, e.g. `/demo/`, or `(other)`. */
    readonly scope: string,
  ) {}

  /**
   * Whether this event's size and latency go into the histograms: the first
   * {@link SAMPLED_PER_WINDOW} events of each sampling window, then one in {@link SAMPLE_EVERY}.
   * Call after counting the event.
   */
  samples(): boolean {
    if (this.sampled >= SAMPLED_PER_WINDOW && (this.events & (SAMPLE_EVERY - 1)) !== 0) return false;
    this.sampled++;
    return true;
  }

  /** Ends the sampling window: both histograms' windows close and sampling starts over. */
  closeWindow(): void {
    this.sampled = 0;
    this.latency.closeWindow();
    this.sizes.closeWindow();
  }
}

/** How many scopes a meter keeps apart by default; traffic on later new scopes is summed as `(other)`. */
export const DEFAULT_MAX_SCOPES = 1000;

/**
 * The monitor's {@link BusMeter}: per scope, events, bytes, the size distribution and the
 * create → receive latency (from each notification's own create time). Recording one
 * notification is a map lookup and a few increments; a scope's counters are made the first time
 * it is seen. The number of scopes is bounded, since peers choose them.
 *
 * @example
 * ```ts
 * const meter = new ScopeMeter();
 * bus.meter = meter;
 * meter.get('/demo/')?.events;
 * ```
 */
export class ScopeMeter implements BusMeter {
  private readonly byScope = new Map<string, ScopeCounters>();
  private readonly other = new ScopeCounters('(other)');
  private lastScope: Scope | undefined;
  private lastCounters: ScopeCounters | undefined;

  constructor(
    readonly maxScopes = DEFAULT_MAX_SCOPES,
    /** The local time in µs since the epoch, read only for the events whose latency is sampled. */
    private readonly now: () => number = nowMicros,
  ) {}

  record(scope: Scope, bytes: number, createTime: number): void {
    // A stream repeats its scope, and decoders hand out the same Scope object for it: one compare.
    let counters = scope === this.lastScope ? this.lastCounters : this.byScope.get(scope.text);
    if (counters === undefined) counters = this.add(scope.text);
    this.lastScope = scope;
    this.lastCounters = counters;
    counters.events++;
    counters.bytes += bytes;
    // Every event counts; the distributions take the first SAMPLED_PER_WINDOW events of each
    // sampling window and one in SAMPLE_EVERY after that, so a busy scope costs no clock read
    // and no logarithm per event and a quiet one still shows every event.
    if (counters.samples()) {
      counters.sizes.add(bytes);
      if (createTime > 0) counters.latency.add(this.now() - createTime);
    }
  }

  /** The counters of `scope` (its text, e.g. `/demo/`), if it was seen. */
  get(scope: string): ScopeCounters | undefined {
    return scope === this.other.scope ? (this.other.events > 0 ? this.other : undefined) : this.byScope.get(scope);
  }

  /** Every scope seen, `(other)` last when traffic went there. */
  all(): ScopeCounters[] {
    const out = [...this.byScope.values()];
    if (this.other.events > 0) out.push(this.other);
    return out;
  }

  private add(scope: string): ScopeCounters {
    if (this.byScope.size >= this.maxScopes) return this.other;
    const counters = new ScopeCounters(scope);
    this.byScope.set(scope, counters);
    return counters;
  }
}
