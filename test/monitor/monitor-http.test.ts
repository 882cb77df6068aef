import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireBus, type BusLease } from '../../src/actors/bus/bus-registry.js';
import { MasepEngine, MasepInterface, createGameRegistry, createResourceGrid, greedyPolicy } from '../../src/actors/masep/index.js';
import { OnelineClient } from '../../src/actors/oneline/oneline-client.js';
import { OnelineServer } from '../../src/actors/oneline/oneline-server.js';
import { CommandRegistry } from '../../src/actors/oneline/command-registry.js';
import { Informer } from '../../src/actors/rsb/informer.js';
import { ObeClient } from '../../src/obe/client.js';
import { DEMO_RUN_SPEC, parseRunSpec } from '../../src/obe/run-spec.js';
import { ObeServer } from '../../src/obe/server.js';
import { startMonitor, type MonitorSnapshot, type RunningMonitor } from '../../src/monitor/index.js';
import { eventually } from '../helpers/eventually.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** GETs a path of the monitor: status, content type and body. */
function get(port: number, path: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The samples of a Prometheus text, `name{labels}` → value. */
function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

/** Reads `count` SSE events from `/api/events`, with the times they arrived. */
function readEvents(port: number, count: number): Promise<Array<{ at: number; snapshot: MonitorSnapshot }>> {
  return new Promise((resolve, reject) => {
    const events: Array<{ at: number; snapshot: MonitorSnapshot }> = [];
    const req = request({ host: '127.0.0.1', port, path: '/api/events?limit=5' }, (res) => {
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (block.includes('event: snapshot') && data) events.push({ at: performance.now(), snapshot: JSON.parse(data.slice(6)) as MonitorSnapshot });
          if (events.length === count) {
            req.destroy();
            resolve(events);
            return;
          }
        }
      });
    });
    req.on('error', (err) => (events.length >= count ? undefined : reject(err)));
    req.end();
  });
}

interface Rig {
  readonly monitor: RunningMonitor;
  readonly oneline: OnelineServer;
  readonly obe: ObeServer;
  readonly engine: MasepEngine;
  readonly bus: BusLease;
}

async function rig(): Promise<Rig> {
  const oneline = new OnelineServer({ handlers: new CommandRegistry().register('cmd01', () => 'ack') });
  await oneline.start();
  cleanups.push(() => oneline.stop());
  const obe = new ObeServer({ port: 0, run: parseRunSpec({ ...DEMO_RUN_SPEC, particles: 400, seed: 3 }), startRun: false, onDone: 'ignore' });
  await obe.start();
  cleanups.push(() => obe.stop());
  const games = createGameRegistry([createResourceGrid({ name: 'test.ShortGrid', width: 4, height: 4, resources: 3, maxSteps: 4 })]);
  const engine = new MasepEngine({ games, game: 'test.ShortGrid', port: 0, players: 1, episodes: 2 });
  await engine.listen();
  cleanups.push(() => engine.stop());
  const bus = await acquireBus({ transport: 'socket', host: '127.0.0.1', port: 0, server: 'server' });
  cleanups.push(() => bus.release());
  const monitor = await startMonitor({ host: '127.0.0.1', port: 0 }, { intervalMs: 100, idleIntervalMs: 100 });
  cleanups.push(() => monitor.close());
  monitor.monitor.addOneline(oneline);
  monitor.monitor.addObe(obe);
  monitor.monitor.addMasep(engine);
  monitor.monitor.addBus(bus.bus);
  return { monitor, oneline, obe, engine, bus };
}

describe('the monitor over HTTP', () => {
  it('counts in /metrics exactly the traffic sent: oneline commands, RSB events per scope, OBE steps, a masep game', async () => {
    const { monitor, oneline, obe, engine, bus } = await rig();
    const port = monitor.address.port;

    const client = new OnelineClient({ port: oneline.address!.port });
    expect(await client.connect()).toBe(true); // one ping
    for (let i = 0; i < 3; i++) {
      client.send('cmd01');
      expect(await client.recv()).toBe('ack');
    }
    await client.disconnect();

    const a = await Informer.create('/monitor/a/', { bus: bus.bus });
    const b = await Informer.create('/monitor/b/', { bus: bus.bus });
    for (let i = 0; i < 3; i++) await a.publish(`event ${i}`);
    for (let i = 0; i < 2; i++) await b.publish(`event ${i}`);
    cleanups.push(() => Promise.all([a.close(), b.close()]));

    const obeClient = new ObeClient({ port: obe.address!.port });
    await obeClient.newrun({ lolim: 2, hilim: 3, steps: 50 });
    for (let i = 0; i < 4; i++) {
      const [x] = await obeClient.goodset();
      await obeClient.newdat([x], 1, 0.05);
    }

    const player = await MasepInterface.connect({ game: 'test.ShortGrid', port: engine.address!.port, policy: greedyPolicy });
    await player.done;

    const scrape = async (): Promise<Map<string, number>> => parseMetrics((await get(port, '/metrics')).body);
    const metrics = await scrape();
    expect(metrics.get('actorwire_oneline_commands_total{service="oneline",command="ping"}')).toBe(1);
    expect(metrics.get('actorwire_oneline_commands_total{service="oneline",command="cmd01"}')).toBe(3);
    expect(metrics.get('actorwire_rsb_events_total{bus="rsb",scope="/monitor/a/"}')).toBe(3);
    expect(metrics.get('actorwire_rsb_events_total{bus="rsb",scope="/monitor/b/"}')).toBe(2);
    expect(metrics.get('actorwire_rsb_published_total{bus="rsb"}')).toBe(5);
    expect(metrics.get('actorwire_rsb_participants{bus="rsb",kind="informer",scope="/monitor/a/"}')).toBe(1);
    expect(metrics.get('actorwire_obe_requests_total{service="obe",command="newdat"}')).toBe(4);
    expect(metrics.get('actorwire_obe_requests_total{service="obe",command="goodset"}')).toBe(4);
    expect(metrics.get('actorwire_obe_run_steps{service="obe"}')).toBe(4);
    expect(metrics.get('actorwire_obe_runs_total{service="obe"}')).toBe(1);
    expect(metrics.get('actorwire_obe_particles{service="obe"}')).toBe(400);
    expect(metrics.get('actorwire_obe_run_resamples{service="obe"}')).toBeGreaterThanOrEqual(0);
    const ess = metrics.get('actorwire_obe_effective_sample_size{service="obe"}')!;
    expect(ess).toBeGreaterThan(0);
    expect(ess).toBeLessThanOrEqual(400);
    expect(metrics.get('actorwire_masep_episodes_total{service="masep"}')).toBe(2);
    expect(metrics.get('actorwire_masep_steps_total{service="masep"}')).toBeGreaterThan(0);
    // Connections: oneline served one client; OBE's per-command client made nine connections.
    expect(metrics.get('actorwire_connections_accepted_total{service="oneline"}')).toBe(1);
    expect(metrics.get('actorwire_connections_accepted_total{service="obe"}')).toBe(9);
    expect(metrics.get('actorwire_frames_received_total{service="obe"}')).toBe(9);
    // ping, three cmd01, disconnect.
    expect(metrics.get('actorwire_frames_received_total{service="oneline"}')).toBe(5);
    expect(metrics.get('actorwire_oneline_commands_total{service="oneline",command="disconnect"}')).toBe(1);
    // The posterior's moments arrive with a sample after the steps.
    await expect
      .poll(async () => (await scrape()).get('actorwire_obe_parameter_std{service="obe",parameter="f0"}'), { timeout: 5_000, interval: 20 })
      .toBeGreaterThan(0);
    // Every OBE connection has ended by now or soon, each counted once by its reason.
    await expect
      .poll(async () => [...(await scrape())].filter(([k]) => k.startsWith('actorwire_connections_ended_total{service="obe"')).reduce((n, [, v]) => n + v, 0), { timeout: 5_000, interval: 20 })
      .toBe(9);
    // Each ending names its peer, though its socket was gone by then (the snapshot is the latest sampling's).
    const obeEnds = async (): Promise<MonitorSnapshot['services'][number]['recentEnds']> =>
      (JSON.parse((await get(port, '/api/snapshot')).body) as MonitorSnapshot).services.find((s) => s.name === 'obe')!.recentEnds;
    await expect.poll(async () => (await obeEnds()).length, { timeout: 5_000, interval: 20 }).toBe(9);
    for (const end of await obeEnds()) expect(end.peer).toMatch(/^127\.0\.0\.1:\d+$/);
    const text = (await get(port, '/metrics')).body;
    expect(text).toMatch(/^# TYPE actorwire_rsb_events_total counter$/m);
    expect(text).toMatch(/^actorwire_process_cpu_user_seconds_total /m);
  });

  it('pushes snapshots on /api/events at most 10 times a second, and serves /api/snapshot, the page and uPlot; read-only', async () => {
    const { monitor, oneline } = await rig();
    const port = monitor.address.port;
    const client = new OnelineClient({ port: oneline.address!.port });
    expect(await client.connect()).toBe(true);
    cleanups.push(() => client.disconnect());
    const events = await readEvents(port, 4);
    for (const { snapshot } of events) {
      expect(snapshot.version).toBe(1);
      expect(snapshot.intervalMs).toBeGreaterThanOrEqual(100);
      expect(snapshot.services.map((s) => s.name)).toEqual(['oneline', 'obe', 'masep', 'rsb']);
    }
    // Each update after the first follows a sampling, at most one per 100 ms (timer precision aside).
    for (let i = 2; i < events.length; i++) expect(events[i].at - events[i - 1].at).toBeGreaterThan(80);
    expect(new Set(events.map((e) => e.snapshot.time)).size).toBe(events.length);
    const live = events.at(-1)!.snapshot.connections.items.find((c) => c.service === 'oneline');
    expect(live).toMatchObject({ status: 'open', state: expect.stringMatching(/^open \(/) });

    const snapshot = await get(port, '/api/snapshot?limit=1&scopeLimit=3');
    expect(snapshot.type).toMatch(/^application\/json/);
    expect(JSON.parse(snapshot.body)).toMatchObject({ version: 1, connections: { total: 1, limit: 1 }, scopes: { limit: 3 } });
    const page = await get(port, '/');
    expect(page.body).toContain('<script src="/vendor/uPlot.iife.min.js">');
    expect((await get(port, '/vendor/uPlot.iife.min.js')).body).toContain('uPlot');
    expect((await get(port, '/monitor.js')).type).toMatch(/javascript/);
    expect((await get(port, '/api/snapshot', 'POST')).status).toBe(405);
    expect((await get(port, '/nothing')).status).toBe(404);
  });
});
