import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ObeEngineActor, type EngineCommand, type EngineOutcome, type RunSpec } from '../../src/obe/index.js';
import { EngineHost } from '../../src/obe/engine-host.js';

const text = (o: EngineOutcome): string => (o.ok ? Buffer.from(o.body).toString('latin1') : `${o.code}: ${o.message}`);

/** A model module that throws for x < -50 and kills its thread for x > 50. */
function crashyModel(): string {
  const dir = mkdtempSync(join(tmpdir(), 'obe-actor-'));
  const path = join(dir, 'crashy-model.mjs');
  writeFileSync(
    path,
    `export default {
      name: 'crashy', nChannels: 1, nSettings: 1, nParameters: 1,
      point(s, p) {
        if (s[0] > 50) process.exit(3);
        if (s[0] < -50) throw new Error('model blew up');
        return p[0] * s[0];
      },
    };\n`,
  );
  return path;
}

const LINE: RunSpec = {
  model: 'line',
  settings: [[0, 1, 2]],
  prior: [
    { dist: 'uniform', low: 0, high: 1 },
    { dist: 'uniform', low: 0, high: 1 },
  ],
  particles: 500,
  seed: 2,
};

const actors: ObeEngineActor[] = [];
function actor(spec: RunSpec, startRun = true): ObeEngineActor {
  const a = new ObeEngineActor({ baseSpec: spec, startRun });
  actors.push(a);
  return a;
}

afterEach(async () => {
  await Promise.all(actors.splice(0).map((a) => a.stop()));
});

describe('ObeEngineActor', () => {
  it('runs commands strictly in arrival order in its worker', async () => {
    const engine = actor(LINE);
    await engine.start();
    expect(engine.status).toBe('running');
    // Fired without awaiting: each getmean must see exactly the updates sent before it.
    const outcomes = [];
    for (let i = 0; i < 20; i++) {
      outcomes.push(engine.send({ op: 'newdat', x: [2], y: 1 + i / 10, s: 0.5 }));
      outcomes.push(engine.send({ op: 'getmean' }));
    }
    const replies = (await Promise.all(outcomes)).map(text);
    const reference = actor(LINE);
    await reference.start();
    for (let i = 0; i < 20; i++) {
      expect(replies[2 * i]).toBe('"OK"');
      await reference.send({ op: 'newdat', x: [2], y: 1 + i / 10, s: 0.5 });
      expect(replies[2 * i + 1]).toBe(text(await reference.send({ op: 'getmean' })));
    }
  });

  it('keeps order when replies too large for the shared ring travel by port between small ones', async () => {
    // 30 000 particles x 2 parameters: a getpar reply of about 1.2 MB, beyond the ring's record limit.
    const engine = actor({ ...LINE, particles: 30_000 });
    const reference = new EngineHost({ baseSpec: { ...LINE, particles: 30_000 }, startRun: true });
    await Promise.all([engine.start(), reference.start()]);
    const settled: string[] = [];
    const commands: EngineCommand[] = [{ op: 'getpar' }, { op: 'optset' }, { op: 'getwgt' }, { op: 'getpar' }, { op: 'getcov' }];
    const outcomes = commands.map((c, i) => engine.send(c).then((o) => (settled.push(`${i}`), o)));
    const replies = await Promise.all(outcomes);
    expect(settled).toEqual(['0', '1', '2', '3', '4']);
    for (const [i, c] of commands.entries()) expect(text(replies[i])).toBe(text(await reference.execute(c)));
    expect((replies[0] as { body: Uint8Array }).body.byteLength).toBeGreaterThan(1 << 20);
  });

  it('answers snapshot reads at once, and a read after a write once that write is in', async () => {
    const engine = actor(LINE);
    const reference = new EngineHost({ baseSpec: LINE, startRun: true });
    await Promise.all([engine.start(), reference.start()]);
    // The worker's initial state came with its ready message.
    const mean0 = engine.submit({ op: 'getmean' });
    expect(mean0).not.toBeInstanceOf(Promise);
    expect(text(mean0 as EngineOutcome)).toBe(text(await reference.execute({ op: 'getmean' })));
    expect(engine.submit({ op: 'getset' })).not.toBeInstanceOf(Promise);
    // getcov and the particle arrays are on demand.
    expect(engine.submit({ op: 'getcov' })).toBeInstanceOf(Promise);
    // A read issued after a write waits for that write's snapshot, not the one before.
    const write = engine.submit({ op: 'newdat', x: [2], y: 1.5, s: 0.5 });
    const mean1 = engine.submit({ op: 'getmean' });
    const std1 = engine.submit({ op: 'getstd' });
    expect(mean1).toBeInstanceOf(Promise);
    // The grid and constants outlive a newdat: still answered at once.
    expect(text(engine.submit({ op: 'getcon' }) as EngineOutcome)).toBe('[]');
    await reference.execute({ op: 'newdat', x: [2], y: 1.5, s: 0.5 });
    expect(text(await write)).toBe('"OK"');
    expect(text(await mean1)).toBe(text(await reference.execute({ op: 'getmean' })));
    expect(text(await std1)).toBe(text(await reference.execute({ op: 'getstd' })));
    expect(engine.stats()).toMatchObject({ fromSnapshot: 3, afterSnapshot: 2 });
    // Once it is in, reads are synchronous again; a newrun makes the grid wait too.
    expect(engine.submit({ op: 'getstd' })).not.toBeInstanceOf(Promise);
    const newrun = engine.submit({ op: 'newrun', grid: { lolim: 5, hilim: 6, steps: 2 } });
    const grid = engine.submit({ op: 'getset' });
    expect(grid).toBeInstanceOf(Promise);
    expect(text(await newrun)).toBe('"OK"');
    expect(text(await grid)).toBe('[[5.0, 6.0]]');
  });

  it('keeps arrival order for any mix of reads and writes (fast-check)', async () => {
    const engine = actor(LINE);
    await engine.start();
    const step = fc.oneof(
      fc.record({ op: fc.constant('newdat' as const), x: fc.constantFrom([0], [1], [2]), y: fc.double({ min: -2, max: 3, noNaN: true }), s: fc.constant(0.5) }),
      fc.constantFrom<EngineCommand>({ op: 'getmean' }, { op: 'getstd' }, { op: 'getcov' }, { op: 'getset' }, { op: 'getcon' }, { op: 'getwgt' }, { op: 'goodset' }, { op: 'endrun' }, { op: 'newrun' }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 25 }), fc.integer({ min: 1, max: 1000 }), async (steps, seed) => {
        const spec = { ...LINE, particles: 50, seed };
        // The configured run (LINE) is what a newrun restarts, on both sides.
        const reference = new EngineHost({ baseSpec: LINE });
        // All submitted without waiting, as a server does on arrival; each must see the writes before it.
        const outcomes = [engine.submit({ op: 'startrun', spec }), ...steps.map((c) => engine.submit(c))];
        const expected = [await reference.execute({ op: 'startrun', spec })];
        for (const c of steps) expected.push(await reference.execute(c));
        expect((await Promise.all(outcomes)).map(text)).toEqual(expected.map(text));
      }),
      { numRuns: 25 },
    );
    expect(engine.stats().fromSnapshot + engine.stats().afterSnapshot).toBeGreaterThan(0);
  });

  it('keeps several engines apart', async () => {
    const a = actor(LINE);
    const b = actor({ ...LINE, settings: [[5, 6]] });
    await Promise.all([a.start(), b.start()]);
    const [sa, sb] = await Promise.all([a.send({ op: 'getset' }), b.send({ op: 'getset' })]);
    expect(text(sa)).toBe('[[0.0, 1.0, 2.0]]');
    expect(text(sb)).toBe('[[5.0, 6.0]]');
  });

  it('turns a model exception into an error outcome and keeps the run', async () => {
    const engine = actor({ ...LINE, model: { module: crashyModel() }, prior: [{ dist: 'uniform', low: 0, high: 1 }], settings: [[-100, 0, 1, 100]] });
    await engine.start();
    const before = text(await engine.send({ op: 'getmean' }));
    expect(text(await engine.send({ op: 'newdat', x: [-100], y: 1, s: 1 }))).toBe('ENGINE_ERROR: model blew up');
    expect(text(await engine.send({ op: 'getmean' }))).toBe(before);
    expect(engine.stats().crashes).toBe(0);
  });

  it('answers a worker crash with ENGINE_CRASHED and restarts on the next command', async () => {
    const engine = actor({ ...LINE, model: { module: crashyModel() }, prior: [{ dist: 'uniform', low: 0, high: 1 }], settings: [[-100, 0, 1, 100]] });
    await engine.start();
    expect(engine.submit({ op: 'getmean' })).not.toBeInstanceOf(Promise);
    const crash = engine.send({ op: 'newdat', x: [100], y: 1, s: 1 });
    // Parked behind the write, which never publishes its snapshot.
    const queued = engine.send({ op: 'getmean' });
    expect(text(await crash)).toMatch(/^ENGINE_CRASHED: the engine crashed \(worker exited with code 3\)/);
    expect(text(await queued)).toMatch(/^ENGINE_CRASHED/);
    expect(engine.status).toBe('crashed');
    // The crash invalidated the snapshot: reads go to a new worker instead of the dead one's state.
    const grid = engine.submit({ op: 'getset' });
    expect(grid).toBeInstanceOf(Promise);
    expect(text(await grid)).toBe('[[-100.0, 0.0, 1.0, 100.0]]');
    expect(engine.submit({ op: 'getmean' })).not.toBeInstanceOf(Promise);
    // The next command starts a new worker with the configured run.
    expect(text(await engine.send({ op: 'newdat', x: [1], y: 0.5, s: 1 }))).toBe('"OK"');
    expect(engine.status).toBe('running');
    expect(engine.stats()).toMatchObject({ crashes: 1, workersStarted: 2 });
  });

  it('forgets the snapshot on restart: reads wait for the new worker', async () => {
    const engine = actor(LINE);
    await engine.start();
    const before = text(engine.submit({ op: 'getmean' }) as EngineOutcome);
    await engine.send({ op: 'newdat', x: [2], y: 3, s: 0.5 });
    const restarted = engine.restart();
    const mean = engine.submit({ op: 'getmean' });
    expect(mean).toBeInstanceOf(Promise);
    await restarted;
    // The configured run restarted from its seed: the state before the newdat.
    expect(text(await mean)).toBe(before);
  });

  it('fails start() when the configured run cannot start, and answers stopped engines', async () => {
    const engine = actor({ ...LINE, model: { module: '/nonexistent/model.mjs' } });
    await expect(engine.start()).rejects.toThrow(/could not start its run/);
    expect(engine.status).toBe('crashed');
    await engine.stop();
    expect(text(await engine.send({ op: 'getmean' }))).toBe('ENGINE_STOPPED: the engine is stopped');
  });

  it('refuses commands beyond its mailbox bound', async () => {
    const engine = new ObeEngineActor({ baseSpec: LINE, startRun: true, maxPendingCommands: 2 });
    actors.push(engine);
    const outcomes = await Promise.all([0, 1, 2].map(() => engine.send({ op: 'getmean' })));
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false]);
    expect(text(outcomes[2])).toMatch(/^ENGINE_BUSY/);
  });
});
