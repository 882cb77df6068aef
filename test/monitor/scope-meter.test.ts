import { describe, expect, it } from 'vitest';
import { Scope } from '../../src/protocols/rsb/index.js';
import { ScopeMeter } from '../../src/monitor/index.js';

describe('ScopeMeter', () => {
  it('counts events, bytes, sizes and create-to-receive latency per scope', () => {
    const meter = new ScopeMeter();
    const a = Scope.parse('/a/');
    meter.record(a, 100, 1_000, 3_000);
    meter.record(a, 300, 1_000, 2_000);
    meter.record(Scope.parse('/a/b/'), 10, 0, 5_000);
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

  it('keeps at most maxScopes apart and sums the rest as (other), since peers choose scopes', () => {
    const meter = new ScopeMeter(2);
    for (const s of ['/a/', '/b/', '/c/', '/d/', '/a/']) meter.record(Scope.parse(s), 1, 0, 0);
    expect(meter.all().map((c) => [c.scope, c.events])).toEqual([
      ['/a/', 2],
      ['/b/', 1],
      ['(other)', 2],
    ]);
    expect(meter.get('/c/')).toBeUndefined();
    expect(meter.get('(other)')?.events).toBe(2);
  });
});
