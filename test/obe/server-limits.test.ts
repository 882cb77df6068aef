import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_RUN_BYTES, DEMO_RUN_SPEC, ObeServer, type ObeServerOptions } from '../../src/obe/index.js';
import { checkRunBudget, runBytes } from '../../src/obe/run-budget.js';
import { eventually } from '../helpers/eventually.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { RawPeer } from '../helpers/raw-peer.js';
import { frame, tcpcmd } from './obe-peer.js';

const servers: ObeServer[] = [];
afterEach(async () => {
  RawPeer.destroyAll();
  for (const s of servers.splice(0)) await s.stop();
});

/** A started server without a run (stopped after the test) and its port. */
async function serve(options: ObeServerOptions): Promise<{ server: ObeServer; port: number }> {
  const server = new ObeServer({ port: 0, startRun: false, ...options });
  servers.push(server);
  const { port } = await server.start();
  return { server, port };
}

const READY = frame('{"command": "ready"}');

describe('ObeServer under clients that start requests and never finish them', () => {
  it('closes a connection whose request is not complete within the request timeout, freeing its slot', async () => {
    const clock = new ManualClock();
    const { server, port } = await serve({ maxConnections: 2, requestTimeoutMs: 1_000, connection: { clock } });
    const hoarders = [await RawPeer.connect(port), await RawPeer.connect(port)];
    for (const h of hoarders) h.write('00000000'); // 8 of the 10 header digits
    await eventually(() => server.stats().bytesIn === 16, 'both half headers read');
    const locked = await RawPeer.connect(port);
    await locked.waitForEnd();
    expect(locked.bytes.length).toBe(0); // at the cap: refused
    clock.advance(1_000);
    for (const h of hoarders) await h.waitForEnd();
    await eventually(() => server.stats().connectionsActive === 0, 'the hoarders closed');
    const client = await RawPeer.connect(port);
    client.write(READY);
    await client.waitForText('"OK"');
    expect(client.text).toBe('0000000004"OK"');
    expect(server.stats().connectionErrors).toBe(2);
  });

  it('at its cap, serves a new client by evicting the connection silent the longest (1 s or more)', async () => {
    const clock = new ManualClock();
    const { server, port } = await serve({ maxConnections: 2, requestTimeoutMs: 0, connection: { clock } });
    const hoarders = [await RawPeer.connect(port), await RawPeer.connect(port)];
    for (const h of hoarders) h.write('0000');
    await eventually(() => server.stats().bytesIn === 8, 'both hoarders heard');
    clock.advance(1_000);
    const client = await RawPeer.connect(port);
    client.write(READY);
    await client.waitForText('"OK"');
    expect(server.stats().connectionsEvicted).toBe(1);
    expect(hoarders.filter((h) => h.ended !== undefined).length).toBeLessThanOrEqual(1);
  });

  it('by default gives a started request 10 s, and never times out a client between requests', async () => {
    const clock = new ManualClock();
    const { server, port } = await serve({ connection: { clock } });
    const slow = await RawPeer.connect(port);
    slow.write(READY.subarray(0, 12));
    await eventually(() => server.stats().bytesIn === 12, 'part of the request read');
    clock.advance(9_999);
    slow.write(READY.subarray(12));
    await slow.waitForText('"OK"');
    expect(server.stats().connectionErrors).toBe(0);
  });
});

describe('ObeServer run budget: a newrun that would take too much memory is refused before anything is built', () => {
  const spec = (extra: string): string =>
    `{"command": "newrun", "spec": {"model": "lorentzian-dip", "settings": [{"linspace": [2, 3, 200]}], "prior": [{"dist": "uniform", "low": 2, "high": 3}, {"dist": "uniform", "low": 0.01, "high": 0.1}, {"dist": "uniform", "low": 0.003, "high": 0.05}]${extra}}}`;

  it.each([
    ['1e9 particles', spec(', "particles": 1000000000')],
    ['5e7 particles', spec(', "particles": 50000000')],
    ['an axis of 1e9 values', spec('').replace('[2, 3, 200]', '[2, 3, 1000000000]')],
    ['a 3000^3 grid', `{"command": "newrun", "spec": {"model": "line", "settings": [{"linspace": [0, 1, 3000]}, {"linspace": [0, 1, 3000]}, {"linspace": [0, 1, 3000]}], "prior": [{"dist": "uniform", "low": 0, "high": 1}, {"dist": "uniform", "low": 0, "high": 1}]}}`],
    ['the demo form with 1e9 steps', '{"command": "newrun", "lolim": 1, "hilim": 2, "steps": 1000000000}'],
    ['the demo form with 1e8 steps', '{"command": "newrun", "lolim": 1, "hilim": 2, "steps": 100000000}'],
  ])('%s: RUN_TOO_LARGE at once, and the server keeps serving', async (_what, request) => {
    const { port } = await serve({ run: DEMO_RUN_SPEC });
    const reply = await tcpcmd(port, request);
    expect(reply).toMatch(/"code": "RUN_TOO_LARGE"/);
    expect(reply).toMatch(/--max-run-mib/);
    expect(await tcpcmd(port, '{"command": "newrun", "lolim": 2, "hilim": 3, "steps": 200}')).toBe('"OK"');
    expect(JSON.parse(await tcpcmd(port, '{"command": "getmean"}'))).toHaveLength(3);
  });

  it('answers 100 000 nested brackets with our own INVALID_JSON message, not an engine internal', async () => {
    const { port } = await serve({});
    const reply = await tcpcmd(port, '['.repeat(100_000));
    expect(reply).toMatch(/Nesting deeper than 512 levels/);
    expect(reply).toMatch(/"code": "INVALID_JSON"/);
    expect(reply).not.toMatch(/call stack/);
  });

  it('estimates the demo far inside the default budget and refuses what a lower budget cannot hold', () => {
    expect(runBytes(DEMO_RUN_SPEC)).toBeLessThan(DEFAULT_MAX_RUN_BYTES / 50);
    expect(() => checkRunBudget(DEMO_RUN_SPEC, runBytes(DEMO_RUN_SPEC) - 1)).toThrowError(expect.objectContaining({ code: 'RUN_TOO_LARGE' }));
    expect(() => checkRunBudget(DEMO_RUN_SPEC, runBytes(DEMO_RUN_SPEC))).not.toThrow();
  });
});
