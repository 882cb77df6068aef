import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_RUN_SPEC, ObeServer, type RunSpec } from '../../src/obe/index.js';
import { EngineHost } from '../../src/obe/engine-host.js';
import { parseEngineCommand } from '../../src/obe/engine-commands.js';
import { parseObeRequest, pythonFloatRepr, pythonJsonLoads, type ObeEngineCommandName } from '../../src/protocols/obe/index.js';
import { eventually, turns } from '../helpers/eventually.js';
import { RawPeer } from '../helpers/raw-peer.js';
import { frame, replies, tcpcmd } from './obe-peer.js';

const SPEC: RunSpec = { ...DEMO_RUN_SPEC, particles: 2000, seed: 5 };

const expectReady = async (port: number): Promise<void> => {
  expect(await tcpcmd(port, '{"command": "ready"}')).toBe('"OK"');
};

describe('ObeServer without a run', () => {
  // A server of its own per test: each test starts the run it needs, so any one passes alone and in any order.
  let server: ObeServer;
  let port: number;

  beforeEach(async () => {
    server = new ObeServer({ port: 0, run: SPEC, startRun: false, onDone: 'end-run' });
    ({ port } = await server.start());
  });
  afterEach(async () => {
    RawPeer.destroyAll();
    await server.stop();
  });

  /** Starts the demo run, as the original demo client's newrun does. */
  const demoRun = async (): Promise<void> => {
    expect(await tcpcmd(port, '{"command": "newrun", "lolim": 2, "hilim": 3, "steps": 25}')).toBe('"OK"');
  };

  it('answers engine commands before newrun with NO_RUN, then serves the demo newrun', async () => {
    expect(await tcpcmd(port, '{"command": "getmean"}')).toBe('{"error": "no run: send newrun first", "command": "getmean", "code": "NO_RUN"}');
    await expectReady(port);
    expect(await tcpcmd(port, '{"command": "newrun", "lolim": 2, "hilim": 3, "steps": 25}')).toBe('"OK"');
    expect(JSON.parse(await tcpcmd(port, '{"command": "getset"}'))[0]).toHaveLength(25);
    expect(await tcpcmd(port, '{"command": "getcon"}')).toBe('[]');
    expect(JSON.parse(await tcpcmd(port, '{"command": "getwgt"}'))).toHaveLength(2000);
    const par = JSON.parse(await tcpcmd(port, '{"command": "getpar"}'));
    expect(par.map((row: number[]) => row.length)).toEqual([2000, 2000, 2000]);
    expect(await tcpcmd(port, '{"command": "getpdf"}')).toBe(await tcpcmd(port, '{"command": "getpar"}'));
    const cov = JSON.parse(await tcpcmd(port, '{"command": "getcov"}'));
    expect(cov.map((row: number[]) => row.length)).toEqual([3, 3, 3]);
    expect(await tcpcmd(port, '{"command": "optsetting"}')).toMatch(/^\[\d\.\d+\]$/);
    // done ends the run (policy end-run) and the server keeps listening.
    expect(await tcpcmd(port, '{"command": "done"}')).toBe('"OK"');
    expect(await tcpcmd(port, '{"command": "getmean"}')).toMatch(/"code": "NO_RUN"/);
    await expectReady(port);
  });

  it('runs the instrument-controller loop with read-after-write across connections', async () => {
    expect(await tcpcmd(port, '{"command": "newrun", "lolim": 2.0, "hilim": 3.0, "steps": 200}')).toBe('"OK"');
    let before = await tcpcmd(port, '{"command": "getmean"}');
    for (let i = 0; i < 20; i++) {
      const [f] = JSON.parse(await tcpcmd(port, '{"command": "goodset", "pickiness": 6}')) as number[];
      const y = 1 - 0.02 / ((((f - 2.5) * 2) / 0.04) ** 2 + 1);
      expect(await tcpcmd(port, `{"command": "newdata", "x": [${f}], "y": ${y}, "s": 0.005}`)).toBe('"OK"');
      const after = await tcpcmd(port, '{"command": "getmean"}');
      expect(after).not.toBe(before);
      before = after;
      expect(JSON.parse(await tcpcmd(port, '{"command": "getstd"}'))).toHaveLength(3);
    }
  });

  it('writes ints where the original has ints: constants as given, integer knobs (Q3, Q9)', async () => {
    const prior = '"prior": [{"dist": "samples", "values": [0, 1, 2, 3]}, {"dist": "samples", "values": [1, 3, 2, 4]}]';
    const spec = `{"model": "line", "settings": [[0, 1, 2]], "constants": [1, 2.5], ${prior}, "seed": 1}`;
    expect(await tcpcmd(port, `{"command": "newrun", "spec": ${spec}}`)).toBe('"OK"');
    expect(await tcpcmd(port, '{"command": "getcon"}')).toBe('[1, 2.5]');
    expect(await tcpcmd(port, '{"command": "getset"}')).toBe('[[0, 1, 2]]');
    // Whole frames, header included: the original would crash here on NumPy int64 (Q9).
    const peer = await RawPeer.connect(port);
    peer.write(Buffer.concat([frame('{"command": "optset"}'), frame('{"command": "goodset", "pickiness": 6}')]));
    const [opt, good] = await replies(peer, 2);
    expect(peer.bytes.subarray(0, 13).toString('latin1')).toBe('0000000003[2]');
    expect(opt).toBe('[2]');
    expect(good).toMatch(/^\[[012]\]$/);
    // A client sends the int setting straight back.
    expect(await tcpcmd(port, '{"command": "newdat", "x": [2], "y": 7, "s": 1}')).toBe('"OK"');
    // One float in the axis makes it float, as NumPy's common type.
    expect(await tcpcmd(port, `{"command": "newrun", "spec": {"model": "line", "settings": [[0, 1.5, 2]], ${prior}}}`)).toBe('"OK"');
    expect(await tcpcmd(port, '{"command": "getset"}')).toBe('[[0.0, 1.5, 2.0]]');
    expect(await tcpcmd(port, '{"command": "optset"}')).toBe('[2.0]');
  });

  it('replies getpdfw with [particles, weights], by exact name only (Q15)', async () => {
    await demoRun();
    const par = await tcpcmd(port, '{"command": "getpar"}');
    const wgt = await tcpcmd(port, '{"command": "getwgt"}');
    expect(await tcpcmd(port, '{"command": "getpdfw"}')).toBe(`[${par}, ${wgt}]`);
    // The original's substring fallback still decides for any other name containing getpdf.
    expect(await tcpcmd(port, '{"command": "xgetpdfw"}')).toBe(par);
    expect(server.stats().byCommand.getpdfw).toBe(1);
  });

  it('answers bad requests with error replies and keeps serving', async () => {
    await tcpcmd(port, '{"command": "newrun"}');
    const cases: Array<[string | Buffer, string]> = [
      [frame('[1, 2]'), '"code": "NOT_AN_OBJECT"'],
      [frame('5'), '"code": "NOT_AN_OBJECT"'],
      [frame('"ready"'), '"code": "NOT_AN_OBJECT"'],
      [frame('{"cmd": "ready"}'), '"command": null, "code": "MISSING_COMMAND"'],
      [frame('{"command": 5}'), '"command": null, "code": "BAD_COMMAND"'],
      [frame('{"command": "READY"}'), '"command": "READY", "code": "UNKNOWN_COMMAND"'],
      [frame('{"command": "getmean"'), '"code": "INVALID_JSON"'],
      [frame(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), '"code": "INVALID_UTF8"'],
      [frame('{"command": "newdat", "x": [2.5], "y": 1.0}'), `{"error": "newdat: the request has no 's' key", "command": "newdat", "code": "BAD_ARGUMENT"}`],
      [frame('{"command": "newdat", "x": [2.5, 3], "y": 1.0, "s": 0.1}'), '"code": "SHAPE_MISMATCH"'],
      [frame('{"command": "newdat", "x": "f", "y": 1.0, "s": 0.1}'), '"code": "BAD_ARGUMENT"'],
      [frame('{"command": "newdat", "x": [2.5], "y": NaN, "s": 0.005}'), '"code": "INVALID_ARGUMENT"'],
      [frame('{"command": "newdat", "x": [2.5], "y": 1, "s": -1}'), '"code": "INVALID_ARGUMENT"'],
      [frame('{"command": "goodset", "pickiness": "x"}'), '"code": "BAD_ARGUMENT"'],
      [frame('{"command": "newrun", "spec": {"model": "nope"}}'), '"code": "INVALID_RUN_SPEC"'],
      [frame('{"command": "newrun", "lolim": 2}'), '"code": "BAD_ARGUMENT"'],
    ];
    for (const [request, expected] of cases) {
      expect(await tcpcmd(port, request)).toContain(expected);
      await expectReady(port);
    }
    // The run survived all of it.
    expect(JSON.parse(await tcpcmd(port, '{"command": "getmean"}'))).toHaveLength(3);
  });

  it('reads headers as Python int() does and closes cleanly on unreadable ones', async () => {
    expect(await tcpcmd(port, Buffer.from('  +20     {"command": "ready"}', 'latin1'))).toBe('"OK"');
    for (const header of ['abcdefghij', '-000000020', '0x00000014']) {
      const peer = await RawPeer.connect(port);
      peer.write(header + '{"command": "ready"}');
      const [reply] = await replies(peer, 1);
      expect(reply).toContain('"code": "BAD_HEADER"');
      await peer.waitForEnd();
      expect(peer.ended).toBe('fin');
      await expectReady(port);
    }
  });

  it('closes on a truncated request, a port probe and a silent client, and keeps serving', async () => {
    await demoRun();
    const truncated = await RawPeer.connect(port);
    truncated.write('0000000100{"command": "ready"}');
    truncated.end();
    await truncated.waitForEnd();
    expect(truncated.bytes.length).toBe(0);
    await expectReady(port);

    const probe = await RawPeer.connect(port);
    probe.end();
    await probe.waitForEnd();
    await expectReady(port);

    const silent = await RawPeer.connect(port);
    await expectReady(port);
    expect(await tcpcmd(port, '{"command": "getstd"}')).toMatch(/^\[/);
    expect(silent.ended).toBeUndefined();
  });

  it('refuses a 20 MB body with an error reply and a close', async () => {
    const peer = await RawPeer.connect(port);
    const body = Buffer.alloc(20_000_000, 0x20);
    peer.write(Buffer.concat([Buffer.from('0020000000', 'latin1'), body]));
    const [reply] = await replies(peer, 1);
    expect(reply).toMatch(/^\{"error": ".*20000000 bytes.*", "command": null, "code": "FRAME_TOO_LARGE"\}$/);
    await peer.waitForEnd(10_000);
    await expectReady(port);
  });

  it('serves 200 clients at once', async () => {
    const peers = await Promise.all(Array.from({ length: 200 }, () => RawPeer.connect(port)));
    for (const peer of peers) peer.write(frame('{"command": "ready"}'));
    const all = await Promise.all(peers.map((peer) => replies(peer, 1)));
    expect(all.flat()).toEqual(Array.from({ length: 200 }, () => '"OK"'));
    // Served at once: all 200 are open together.
    expect(server.stats().connectionsActive).toBe(200);
    for (const peer of peers) peer.socket.destroy();
    await expectReady(port);
  });

  it('keeps a connection open for more requests and replies in order (Q11)', async () => {
    await demoRun();
    const accepted = server.stats().connectionsAccepted;
    const peer = await RawPeer.connect(port);
    peer.write(Buffer.concat([frame('{"command": "getmean"}'), frame('{"command": "ready"}'), frame('{"command": "bogus"}'), frame('{"command": "getcov"}')]));
    const got = await replies(peer, 4);
    expect(got[0]).toMatch(/^\[.*\]$/);
    expect(got[1]).toBe('"OK"');
    expect(got[2]).toContain('UNKNOWN_COMMAND');
    expect(got[3]).toMatch(/^\[\[/);
    peer.end();
    await peer.waitForEnd();
    expect(peer.ended).toBe('fin');
    // All four requests came over that one connection.
    expect(server.stats().connectionsAccepted).toBe(accepted + 1);
  });

  it('answers a deep pipeline in order, pausing the reader beyond its bound', async () => {
    // A newrun hook the test releases holds the first reply, so every reply behind it waits too.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const gated = new ObeServer({ port: 0, run: SPEC, startRun: false, maxPipelined: 32, newrun: () => gate.then(() => undefined) });
    const { port: gatedPort } = await gated.start();
    try {
      const peer = await RawPeer.connect(gatedPort);
      // Replies that name their request (an unknown command is echoed in its error) show the order.
      const bodies = ['{"command": "newrun"}', ...Array.from({ length: 149 }, (_, i) => (i % 3 === 0 ? `{"command": "nr${i}"}` : '{"command": "ready"}'))];
      // One frame per write, each read before the next is sent, up to the bound of 32 waiting replies.
      for (let i = 0; i < 32; i++) {
        peer.write(frame(bodies[i]));
        await eventually(() => gated.stats().requests === i + 1, `request ${i + 1} read`);
      }
      await new Promise<void>((resolve) => peer.socket.write(Buffer.concat(bodies.slice(32).map((b) => frame(b))), () => resolve()));
      // The rest is on the server's side of the socket, and the paused reader does not take it.
      const bytesIn = gated.stats().bytesIn;
      for (let sample = 0; sample < 5; sample++) {
        await turns(20);
        expect(gated.stats()).toMatchObject({ requests: 32, bytesIn });
      }
      expect(peer.bytes.length).toBe(0);
      release();
      const got = await replies(peer, 150);
      expect(got[0]).toBe('"OK"');
      const named = got.slice(1).map((reply) => (reply === '"OK"' ? reply : (JSON.parse(reply) as { command: string }).command));
      expect(named).toEqual(bodies.slice(1).map((_, i) => (i % 3 === 0 ? `nr${i}` : '"OK"')));
      expect(gated.stats().requests).toBe(150);
    } finally {
      RawPeer.destroyAll();
      await gated.stop();
    }
  });
});

describe('ObeServer lifecycle', () => {
  it('answers an engine crash with an error reply, keeps serving and restarts the engine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'obe-server-'));
    const module = join(dir, 'fragile.mjs');
    writeFileSync(module, `export default { nChannels: 1, nSettings: 1, nParameters: 1, point: (s, p) => (s[0] > 5 ? process.exit(7) : p[0] * s[0]) };\n`);
    const server = new ObeServer({ port: 0, run: { model: { module }, settings: [[1, 2, 10]], prior: [{ dist: 'uniform', low: 0, high: 1 }], particles: 100, seed: 1 } });
    const { port } = await server.start();
    try {
      expect(await tcpcmd(port, '{"command": "newdat", "x": [10], "y": 1, "s": 1}')).toMatch(/^\{"error": "the engine crashed \(worker exited with code 7\).*", "command": "newdat", "code": "ENGINE_CRASHED"\}$/);
      await expectReady(port);
      expect(await tcpcmd(port, '{"command": "getset"}')).toBe('[[1.0, 2.0, 10.0]]');
      expect(server.stats().engine).toMatchObject({ crashes: 1, workersStarted: 2 });
    } finally {
      await server.stop();
    }
  });

  it('replies to done, then stops (the original behaviour)', async () => {
    const server = new ObeServer({ port: 0, run: SPEC });
    const { port } = await server.start();
    expect(await tcpcmd(port, '{"command": "done"}')).toBe('"OK"');
    await server.stopped;
    await expect(RawPeer.connect(port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('keeps run and server with ignore, and runs a code-defined newrun hook', async () => {
    const server = new ObeServer({
      port: 0,
      run: SPEC,
      onDone: 'ignore',
      newrun: (message) => (message.grid === 'wide' ? { ...SPEC, settings: [{ linspace: [1, 4, 7] }] } : undefined),
    });
    const { port } = await server.start();
    try {
      expect(await tcpcmd(port, '{"command": "newrun", "grid": "wide"}')).toBe('"OK"');
      expect(await tcpcmd(port, '{"command": "getset"}')).toBe('[[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0]]');
      expect(await tcpcmd(port, '{"command": "done"}')).toBe('"OK"');
      expect(await tcpcmd(port, '{"command": "getset"}')).toBe('[[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0]]');
    } finally {
      await server.stop();
    }
  });

  it('runs the commands pipelined behind a hook newrun after its run, from any connection', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = new ObeServer({ port: 0, startRun: false, newrun: () => gate.then(() => ({ ...SPEC, settings: [{ linspace: [1, 4, 7] }] })) });
    const { port } = await server.start();
    try {
      const first = await RawPeer.connect(port);
      first.write(Buffer.concat([frame('{"command": "newrun"}'), frame('{"command": "getset"}'), frame('{"command": "getmean"}')]));
      await eventually(() => server.stats().requests === 3, 'all three requests read');
      // A second client, after the newrun, while its hook still decides: it must see the new run too.
      const second = await RawPeer.connect(port);
      second.write(frame('{"command": "getset"}'));
      await eventually(() => server.stats().requests === 4, 'the second client read');
      release();
      const got = await replies(first, 3);
      expect(got[0]).toBe('"OK"');
      expect(got[1]).toBe('[[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0]]');
      expect(got[2]).toMatch(/^\[/);
      expect(await replies(second, 1)).toEqual(['[[1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0]]']);
    } finally {
      RawPeer.destroyAll();
      await server.stop();
    }
  });

  it('ends the run a hook newrun started when done (end-run) arrives behind it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = new ObeServer({ port: 0, run: SPEC, onDone: 'end-run', newrun: () => gate.then(() => undefined) });
    const { port } = await server.start();
    try {
      const peer = await RawPeer.connect(port);
      peer.write(Buffer.concat([frame('{"command": "newrun"}'), frame('{"command": "done"}'), frame('{"command": "getmean"}')]));
      await eventually(() => server.stats().requests === 3, 'all three requests read');
      release();
      const got = await replies(peer, 3);
      expect(got.slice(0, 2)).toEqual(['"OK"', '"OK"']);
      expect(JSON.parse(got[2])).toMatchObject({ code: 'NO_RUN' });
    } finally {
      RawPeer.destroyAll();
      await server.stop();
    }
  });
});

describe('ObeServer reads from the engine snapshot', () => {
  const LINE_SPEC = (seed: number): string =>
    `{"model": "line", "settings": [[0, 1, 2]], "prior": [{"dist": "uniform", "low": 0, "high": 1}, {"dist": "uniform", "low": 0, "high": 1}], "particles": 300, "seed": ${seed}}`;
  let server: ObeServer;
  let port: number;

  beforeAll(async () => {
    server = new ObeServer({ port: 0, onDone: 'ignore', connection: { maxQueuedBytes: 4096 } });
    ({ port } = await server.start());
  });
  afterEach(() => RawPeer.destroyAll());
  afterAll(() => server.stop());

  /** The reply the engine gives to the same request text, run in order in-process. */
  async function expectedReply(host: EngineHost, body: string): Promise<string> {
    const request = parseObeRequest(pythonJsonLoads(body, { keepInts: true }));
    const outcome = await host.execute(parseEngineCommand(request.command as ObeEngineCommandName, request.message));
    return outcome.ok ? Buffer.from(outcome.body).toString('latin1') : `{"error": ${JSON.stringify(outcome.message)}, "command": ${JSON.stringify(request.sentCommand)}, "code": "${outcome.code}"}`;
  }

  /** Resolves once the server has received `count` requests in all (polled each event-loop turn, bounded). */
  async function arrived(count: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (server.stats().requests < count) {
      if (Date.now() > deadline) throw new Error(`only ${server.stats().requests} of ${count} requests arrived`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  it('answers reads pipelined right behind a write with the state after it', async () => {
    const host = new EngineHost({});
    const bodies = [`{"command": "newrun", "spec": ${LINE_SPEC(3)}}`, '{"command": "getmean"}', '{"command": "newdat", "x": [2], "y": 1.5, "s": 0.5}', '{"command": "getmean"}', '{"command": "getstd"}', '{"command": "getcov"}', '{"command": "getset"}', '{"command": "newdata", "x": [1], "y": 0.2, "s": 0.5}', '{"command": "getstd"}'];
    const peer = await RawPeer.connect(port);
    peer.write(Buffer.concat(bodies.map((b) => frame(b))));
    const got = await replies(peer, bodies.length);
    const expected = [];
    for (const body of bodies) expected.push(await expectedReply(host, body));
    expect(got).toEqual(expected);
    expect(got[3]).not.toBe(got[1]);
  });

  it('keeps arrival order for reads and writes interleaved over several connections (fast-check)', async () => {
    const command = fc.oneof(
      fc.record({ x: fc.constantFrom(0, 1, 2), y: fc.double({ min: -1, max: 3, noNaN: true, noDefaultInfinity: true }) }).map(({ x, y }) => `{"command": "newdat", "x": [${x}], "y": ${pythonFloatRepr(y)}, "s": 0.5}`),
      fc.constantFrom('{"command": "getmean"}', '{"command": "getstd"}', '{"command": "getcov"}', '{"command": "getset"}', '{"command": "goodset"}', '{"command": "ready"}', '{"command": "getwgt"}'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(2), command), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 999 }), async (steps, seed) => {
        const peers = await Promise.all([0, 1, 2].map(() => RawPeer.connect(port)));
        const host = new EngineHost({});
        const all: Array<[number, string]> = [[0, `{"command": "newrun", "spec": ${LINE_SPEC(seed)}}`], ...steps];
        const expected: string[][] = [[], [], []];
        let sent = server.stats().requests;
        for (const [p, body] of all) {
          // Each request is in before the next is sent: writes are often still running in the worker.
          peers[p].write(frame(body));
          await arrived(++sent);
          expected[p].push(body.includes('"ready"') ? '"OK"' : await expectedReply(host, body));
        }
        const got = await Promise.all(peers.map((peer, p) => replies(peer, expected[p].length)));
        expect(got).toEqual(expected);
        for (const peer of peers) peer.socket.destroy();
      }),
      { numRuns: 8 },
    );
    expect(server.stats().engine.fromSnapshot + server.stats().engine.afterSnapshot).toBeGreaterThan(0);
  });

  it('keeps replies in order when the send queue is full, and resumes', async () => {
    expect(await tcpcmd(port, `{"command": "newrun", "spec": ${LINE_SPEC(9)}}`)).toBe('"OK"');
    const wgt = await tcpcmd(port, '{"command": "getwgt"}');
    const mean = await tcpcmd(port, '{"command": "getmean"}');
    // getwgt replies are larger than the whole send queue (4 KiB): each waits for room.
    const bodies = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? '{"command": "getwgt"}' : i % 3 === 1 ? '{"command": "getmean"}' : '{"command": "ready"}'));
    const peer = await RawPeer.connect(port);
    peer.write(Buffer.concat(bodies.map((b) => frame(b))));
    const got = await replies(peer, bodies.length);
    got.forEach((reply, i) => expect(reply).toBe(i % 3 === 0 ? wgt : i % 3 === 1 ? mean : '"OK"'));
  });

  it('answers done in turn and keeps serving with policy ignore', async () => {
    const peer = await RawPeer.connect(port);
    peer.write(Buffer.concat([frame('{"command": "getcov"}'), frame('{"command": "done"}'), frame('{"command": "ready"}')]));
    const got = await replies(peer, 3);
    expect(got.slice(1)).toEqual(['"OK"', '"OK"']);
    expect(server.stats().byCommand.done).toBeGreaterThan(0);
  });
});
