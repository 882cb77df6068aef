import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ObeEngineActor, type EngineOutcome, type RunSpec } from '../../src/obe/index.js';

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

  it('answers getmean and getstd after an update without a worker round trip, and only then', async () => {
    const engine = actor(LINE);
    const reference = actor(LINE);
    await Promise.all([engine.start(), reference.start()]);
    for (const e of [engine, reference]) await e.send({ op: 'newdat', x: [2], y: 1.5, s: 0.5 });
    // A round trip after the update: the worker has sent its moments by then.
    await engine.send({ op: 'getwgt' });
    const ahead = [text(await engine.send({ op: 'getmean' })), text(await engine.send({ op: 'getstd' }))];
    expect(engine.stats().answeredAhead).toBe(2);
    expect(ahead).toEqual([text(await reference.send({ op: 'getmean' })), text(await reference.send({ op: 'getstd' }))]);
    // A newdat in flight makes the moments stale: the next getmean goes to the worker, after it.
    const pending = engine.send({ op: 'newdat', x: [0], y: 0.2, s: 0.5 });
    const after = engine.send({ op: 'getmean' });
    expect(engine.stats().answeredAhead).toBe(2);
    await pending;
    await reference.send({ op: 'newdat', x: [0], y: 0.2, s: 0.5 });
    expect(text(await after)).toBe(text(await reference.send({ op: 'getmean' })));
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
    const crash = engine.send({ op: 'newdat', x: [100], y: 1, s: 1 });
    const queued = engine.send({ op: 'getmean' });
    expect(text(await crash)).toMatch(/^ENGINE_CRASHED: the engine crashed \(worker exited with code 3\)/);
    expect(text(await queued)).toMatch(/^ENGINE_CRASHED/);
    expect(engine.status).toBe('crashed');
    // The next command starts a new worker with the configured run.
    expect(text(await engine.send({ op: 'newdat', x: [1], y: 0.5, s: 1 }))).toBe('"OK"');
    expect(engine.status).toBe('running');
    expect(engine.stats()).toMatchObject({ crashes: 1, workersStarted: 2 });
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
