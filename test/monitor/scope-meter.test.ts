import { describe, expect, it } from 'vitest';
import { Scope } from '../../src/protocols/rsb/index.js';
import { ScopeMeter } from '../../src/monitor/index.js';
import { SAMPLE_EVERY, SAMPLED_PER_WINDOW } from '../../src/monitor/scope-meter.js';

describe('ScopeMeter', () => {
  it('counts events, bytes, sizes and create-to-receive latency per scope', () => {
    const times = [3_000, 2_000];
    const meter = new ScopeMeter(undefined, () => times.shift()!);
    const a = Scope.parse('/a/');
    meter.record(a, 100, 1_000);
    meter.record(a, 300, 1_000);
    meter.record(Scope.parse('/a/b/'), 10, 0);
    expect(times).toEqual([]);
    const counters = meter.get('/a/')!;
    expect(counters).toMatchObject({ events: 2, bytes: 400 });
    expect(counters.latency.closeWindow()).toBe(2);
    expect(counters.latency.quantile(1)).toBeGreaterThanOrEqual(2_000);
    // No create time: no latency, but the event counts.
    const b = meter.get('/a/b/')!;
    expect(b.events).toBe(1);
    expect(b.latency.closeWindow()).toBe(0);
    expect(meter.all().map((c) => c.scope)).toEqual(['/a/', '/a/b/']);
  });

  it('counts every event of a busy scope and samples its distributions: all of the first events of a window, then one in SAMPLE_EVERY', () => {
    let reads = 0;
    const meter = new ScopeMeter(undefined, () => (reads++, 2_000));
    const a = Scope.parse('/a/');
    const n = SAMPLED_PER_WINDOW + 10 * SAMPLE_EVERY;
    for (let i = 0; i < n; i++) meter.record(a, 8, 1_000);
    const counters = meter.get('/a/')!;
    expect(counters).toMatchObject({ events: n, bytes: 8 * n });
    expect(reads).toBe(SAMPLED_PER_WINDOW + 10);
    expect(counters.sizes.closeWindow()).toBe(SAMPLED_PER_WINDOW + 10);
    expect(counters.latency.closeWindow()).toBe(SAMPLED_PER_WINDOW + 10);
    expect(counters.latency.quantile(0.5)).toBeGreaterThanOrEqual(1_000);
  });

  it('keeps at most maxScopes apart and sums the rest as (other), since peers choose scopes', () => {
    const meter = new ScopeMeter(2);
    for (const s of ['/a/', '/b/', '/c/', '/d/', '/a/']) meter.record(Scope.parse(s), 1, 0);
    expect(meter.all().map((c) => [c.scope, c.events])).toEqual([
      ['/a/', 2],
      ['/b/', 1],
      ['(other)', 2],
    ]);
    expect(meter.get('/c/')).toBeUndefined();
    expect(meter.get('(other)')?.events).toBe(2);
  });
});
