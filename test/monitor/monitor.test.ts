import { afterEach, describe, expect, it } from 'vitest';
import { acquireBus } from '../../src/actors/bus/bus-registry.js';
import { ConnectionEndings } from '../../src/actors/connection/connection-endings.js';
import { zeroConnectionStats } from '../../src/actors/connection/connection-stats.js';
import type { ServerStats } from '../../src/actors/server.js';
import { Scope } from '../../src/protocols/rsb/index.js';
import { Monitor, MonitorError, type WatchedConnection, type WatchedServer } from '../../src/monitor/index.js';
import { ManualClock } from '../helpers/manual-clock.js';

const monitors: Monitor[] = [];
afterEach(() => {
  for (const m of monitors.splice(0)) m.close();
});

/** A monitor on a manual clock, and how many samplings it has made. */
function monitor(options: { intervalMs?: number; idleIntervalMs?: number } = {}): { monitor: Monitor; clock: ManualClock; samples: () => number } {
  const clock = new ManualClock();
  const m = new Monitor({ clock, intervalMs: 200, idleIntervalMs: 1000, ...options });
  monitors.push(m);
  let samples = 0;
  m.sampled$.subscribe(() => samples++);
  return { monitor: m, clock, samples: () => samples };
}

// Connections share their machine's state objects, as interned connections do.
const FLOWING = { open: { receiving: 'flowing', sending: 'idle' } };
const PUSHED_BACK = { open: { receiving: 'paused', sending: 'backpressured' } };

/** A server with `n` connections, every tenth pushed back, and counters the test moves. */
function fakeServer(n: number): WatchedServer & { counters: ServerStats } {
  const connections = new Set<WatchedConnection>();
  for (let i = 0; i < n; i++) {
    connections.add({
      status: 'open',
      state: i % 10 === 0 ? PUSHED_BACK : FLOWING,
      remoteAddress: '127.0.0.1',
      remotePort: 20_000 + i,
      peerId: undefined,
      stats: () => ({ ...zeroConnectionStats(), framesIn: i }),
    });
  }
  const counters: ServerStats = { ...zeroConnectionStats(), connectionsAccepted: n, connectionsActive: n, connectionsHeld: 0, connectionsRefused: 0, connectionsEvicted: 0, connectionErrors: 0 };
  return { address: { host: '127.0.0.1', port: 1 }, connections, endings: new ConnectionEndings(), counters, stats: () => ({ ...counters }) };
}

describe('Monitor', () => {
  it('samples every idleIntervalMs, every intervalMs while someone watches, on its clock', () => {
    const { monitor: m, clock, samples } = monitor();
    clock.advance(999);
    expect(samples()).toBe(0);
    clock.advance(1);
    expect(samples()).toBe(1);
    const unwatch = m.watch();
    expect(samples()).toBe(2); // at once, so that a new watcher gets fresh numbers
    expect(m.intervalMs).toBe(200);
    clock.advance(200);
    clock.advance(200);
    expect(samples()).toBe(4);
    unwatch();
    clock.advance(200); // the sampling already due
    clock.advance(999);
    expect(samples()).toBe(5);
    clock.advance(1);
    expect(samples()).toBe(6);
  });

  it('does not sample while nobody watches with idleIntervalMs 0', () => {
    const { monitor: m, clock, samples } = monitor({ intervalMs: 100, idleIntervalMs: 0 });
    clock.advance(10_000);
    expect(samples()).toBe(0);
    const unwatch = m.watch();
    clock.advance(100);
    expect(samples()).toBe(2);
    unwatch();
    clock.advance(100); // the one already due
    clock.advance(10_000);
    expect(samples()).toBe(3);
  });

  it('takes rates over the clock between samplings; a scrape reads counters without moving them', () => {
    const { monitor: m, clock } = monitor();
    const server = fakeServer(0);
    m.addServer(server, 'svc');
    m.sampleNow();
    server.counters.framesIn += 500;
    server.counters.bytesOut += 2048;
    clock.advance(1000); // samples
    const s = m.snapshot().services[0];
    expect(s.rates).toMatchObject({ framesIn: 500, bytesOut: 2048 });
    server.counters.framesIn += 7;
    expect(m.fullSnapshot().services[0].traffic.framesInTotal).toBe(507);
    clock.advance(1000);
    expect(m.snapshot().services[0].rates.framesIn).toBe(7);
  });

  it('stays usable at 1,000 connections and 100 scopes: pages of them, states aggregated, busiest scopes first', async () => {
    const { monitor: m, clock } = monitor();
    m.addServer(fakeServer(1000), 'big');
    const lease = await acquireBus({ transport: 'inprocess' });
    try {
      m.addBus(lease.bus, 'bus');
      m.sampleNow();
      for (let s = 0; s < 100; s++) for (let e = 0; e <= s; e++) lease.bus.meter!.record(Scope.parse(`/scope/s${s}/`), 100, 0);
      clock.advance(1000);
      const first = m.snapshot();
      expect(first.connections).toMatchObject({ total: 1000, offset: 0, limit: 50 });
      expect(first.connections.items).toHaveLength(50);
      expect(first.connections.items[0]).toMatchObject({ service: 'big', peer: '127.0.0.1:20000', state: 'open (paused, backpressured)' });
      expect(first.services[0].states).toEqual({ 'open (paused, backpressured)': 100, 'open (flowing, idle)': 900 });
      expect(first.scopes.total).toBe(100);
      expect(first.scopes.items.map((s) => s.scope).slice(0, 2)).toEqual(['/scope/s99/', '/scope/s98/']);
      expect(first.scopes.items[0]).toMatchObject({ eventsTotal: 100, eventsPerSec: 100, bytesTotal: 10_000 });
      // The whole update a browser receives stays small.
      expect(JSON.stringify(first).length).toBeLessThan(64 * 1024);
      const last = m.snapshot({ offset: 990, limit: 50, scopeOffset: 95, scopeLimit: 10 });
      expect(last.connections.items.map((c) => c.peer.split(':')[1])).toEqual(Array.from({ length: 10 }, (_, i) => String(20_990 + i)));
      expect(last.scopes.items.map((s) => s.scope)).toEqual(['/scope/s4/', '/scope/s3/', '/scope/s2/', '/scope/s1/', '/scope/s0/']);
      // Every scope is in /metrics' view.
      expect(m.fullSnapshot().scopes.items).toHaveLength(100);
    } finally {
      m.close();
      expect(lease.bus.meter).toBeUndefined();
      await lease.release();
    }
  });

  it('refuses two sources of one name (MONITOR_DUPLICATE_NAME) and any after close (MONITOR_CLOSED)', () => {
    const { monitor: m } = monitor();
    const detach = m.addServer(fakeServer(1), 'one');
    expect(() => m.addServer(fakeServer(1), 'one')).toThrow(expect.objectContaining({ code: 'MONITOR_DUPLICATE_NAME' }));
    detach();
    m.addServer(fakeServer(1), 'one');
    m.close();
    expect(() => m.addServer(fakeServer(1), 'two')).toThrow(MonitorError);
    expect(() => m.addServer(fakeServer(1), 'two')).toThrow(expect.objectContaining({ code: 'MONITOR_CLOSED' }));
  });
});
