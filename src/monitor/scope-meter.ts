import type { BusMeter } from '../actors/bus/bus-meter.js';
import type { Scope } from '../protocols/rsb/index.js';
import { LogHistogram } from './log-histogram.js';

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

  constructor(
    /** The scope's text, e.g. `/demo/`, or `(other)`. */
    readonly scope: string,
  ) {}
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

  constructor(readonly maxScopes = DEFAULT_MAX_SCOPES) {}

  record(scope: Scope, bytes: number, createTime: number, now: number): void {
    // A stream repeats its scope, and decoders hand out the same Scope object for it: one compare.
    let counters = scope === this.lastScope ? this.lastCounters : this.byScope.get(scope.text);
    if (counters === undefined) counters = this.add(scope.text);
    this.lastScope = scope;
    this.lastCounters = counters;
    counters.events++;
    counters.bytes += bytes;
    counters.sizes.add(bytes);
    if (createTime > 0) counters.latency.add(now - createTime);
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
