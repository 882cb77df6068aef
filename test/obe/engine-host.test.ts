import { describe, expect, it } from 'vitest';
import { type EngineCommand, type EngineOutcome, type RunSpec } from '../../src/obe/index.js';
import { EngineHost } from '../../src/obe/engine-host.js';
import { parseEngineCommand } from '../../src/obe/engine-commands.js';
import { PythonInt, pythonJsonLoads, type ObeEngineCommandName, type PythonJsonObject } from '../../src/protocols/obe/index.js';
import { SNAPSHOT_MAX_GRID_VALUES } from '../../src/obe/engine-snapshot.js';

/** The spec's wire example (§4.3): four particles of a linear model, uniform weights. */
const LINEAR: RunSpec = {
  model: 'line',
  settings: [[0, 1, 2]],
  prior: [
    { dist: 'samples', values: [0, 1, 2, 3] },
    { dist: 'samples', values: [1, 3, 2, 4] },
  ],
  constants: [],
  seed: 1,
};

const text = (o: EngineOutcome): string => (o.ok ? Buffer.from(o.body).toString('latin1') : `${o.code}: ${o.message}`);

/** A command as the worker receives it: typed at the server boundary, then structured-cloned. */
const wire = (op: ObeEngineCommandName | 'newrun', message: PythonJsonObject): EngineCommand => structuredClone(parseEngineCommand(op, message));

async function host(spec: RunSpec = LINEAR, startRun = true): Promise<EngineHost> {
  const h = new EngineHost({ baseSpec: spec, startRun });
  await h.start();
  return h;
}

describe('EngineHost', () => {
  it('refuses a reply over its budget before serialising it (REPLY_TOO_LARGE), and keeps the run', async () => {
    const h = new EngineHost({ baseSpec: { ...LINEAR, prior: [{ dist: 'uniform', low: 0, high: 1 }, { dist: 'uniform', low: 0, high: 1 }], particles: 1_000 }, startRun: true, maxReplyBytes: 20_000 });
    await h.start();
    expect(text(await h.execute({ op: 'getpar' }))).toMatch(/^REPLY_TOO_LARGE: getpar: the reply would be/);
    expect(text(await h.execute({ op: 'getpdfw' }))).toMatch(/^REPLY_TOO_LARGE/);
    expect(text(await h.execute({ op: 'getwgt' }))).toMatch(/^REPLY_TOO_LARGE/);
    expect(text(await h.execute({ op: 'getmean' }))).toMatch(/^\[/);
    expect(text(await h.execute({ op: 'getset' }))).toBe('[[0.0, 1.0, 2.0]]');
  });

  it('refuses a measurement whose y or s does not have one value per channel', async () => {
    const h = await host();
    expect(text(await h.execute({ op: 'newdat', x: [1], y: [0.1, 0.2, 0.3], s: 0.5 }))).toMatch(/^BAD_ARGUMENT: newdat: 'y' has 3 values, the model has 1 channel$/);
    expect(text(await h.execute({ op: 'newdat', x: [1], y: 0.1, s: [0.5, 0.5] }))).toMatch(/^BAD_ARGUMENT: newdat: 's' has 2 values/);
    expect(text(await h.execute({ op: 'newdat', x: [1], y: [0.1], s: [0.5] }))).toBe('"OK"');
  });

  it('gives reads and later updates the same bits whatever reads came before them', async () => {
    const spec: RunSpec = { model: 'line', settings: [[0, 1, 2]], prior: [{ dist: 'uniform', low: 0, high: 1 }, { dist: 'uniform', low: 0, high: 1 }], particles: 50, seed: 7 };
    const first = { op: 'newdat', x: [0], y: 0.3, s: 0.5 } as const;
    const second = { op: 'newdat', x: [1], y: 0.6, s: 0.5 } as const;
    // Reads between the writes (as the snapshot and a client's getwgt do) against none at all.
    const quiet = await host(spec);
    await quiet.execute(first);
    const weighed = await host(spec);
    await weighed.execute(first);
    await weighed.execute({ op: 'getwgt' });
    for (const op of ['getstd', 'getmean', 'getcov'] as const) {
      const fresh = await host(spec);
      await fresh.execute(first);
      expect(text(await weighed.execute({ op })), op).toBe(text(await fresh.execute({ op })));
    }
    await quiet.execute(second);
    await weighed.execute(second);
    for (const op of ['getwgt', 'getstd'] as const) expect(text(await weighed.execute({ op })), op).toBe(text(await quiet.execute({ op })));
  });

  it('replies with the wire bytes of the original', async () => {
    const h = await host();
    const run = async (command: EngineCommand) => text(await h.execute(command));
    // The spec's bytes, last digit included (NumPy's 1/fact multiplication on normalised weights).
    expect(await run({ op: 'getcov' })).toBe('[[1.6666666666666665, 1.3333333333333333], [1.3333333333333333, 1.6666666666666665]]');
    expect(await run({ op: 'getmean' })).toBe('[1.5, 2.5]');
    expect(await run({ op: 'getstd' })).toBe('[1.118033988749895, 1.118033988749895]');
    expect(await run({ op: 'getpar' })).toBe('[[0.0, 1.0, 2.0, 3.0], [1.0, 3.0, 2.0, 4.0]]');
    expect(await run({ op: 'getpdf' })).toBe(await run({ op: 'getpar' }));
    expect(await run({ op: 'getwgt' })).toBe('[0.25, 0.25, 0.25, 0.25]');
    expect(await run({ op: 'getset' })).toBe('[[0.0, 1.0, 2.0]]');
    expect(await run({ op: 'getcon' })).toBe('[]');
    // Slope uncertainty dominates, so the farthest setting has the highest variance utility.
    expect(await run({ op: 'optset' })).toBe('[2.0]');
    expect(await run({ op: 'goodset' })).toMatch(/^\[[012]\.0\]$/);
  });

  it('updates with newdat and keeps the run on a bad measurement', async () => {
    const h = await host();
    expect(text(await h.execute({ op: 'newdat', x: [1], y: 6, s: 1 }))).toBe('"OK"');
    const mean = JSON.parse(text(await h.execute({ op: 'getmean' }))) as number[];
    expect(mean[0] + mean[1]).toBeGreaterThan(4);
    const before = text(await h.execute({ op: 'getwgt' }));
    expect(text(await h.execute({ op: 'newdat', x: [1], y: NaN, s: 1 }))).toMatch(/^INVALID_ARGUMENT: measured y must be finite/);
    expect(text(await h.execute({ op: 'newdat', x: [1, 2], y: 1, s: 1 }))).toMatch(/^SHAPE_MISMATCH/);
    expect(text(await h.execute({ op: 'getwgt' }))).toBe(before);
  });

  it('has no run before newrun when started without one', async () => {
    const h = await host(LINEAR, false);
    expect(text(await h.execute({ op: 'getmean' }))).toBe('NO_RUN: no run: send newrun first');
    expect(text(await h.execute({ op: 'newrun' }))).toBe('"OK"');
    expect(text(await h.execute({ op: 'getmean' }))).toBe('[1.5, 2.5]');
  });

  it('runs the demo newrun on linspace(lolim, hilim, steps) from the same prior', async () => {
    const h = await host();
    const prior = text(await h.execute({ op: 'getpar' }));
    await h.execute({ op: 'newdat', x: [1], y: 4, s: 1 });
    expect(text(await h.execute({ op: 'newrun', grid: { lolim: 2, hilim: 3, steps: 3 } }))).toBe('"OK"');
    expect(text(await h.execute({ op: 'getset' }))).toBe('[[2.0, 2.5, 3.0]]');
    expect(text(await h.execute({ op: 'getpar' }))).toBe(prior);
    expect(text(await h.execute({ op: 'getwgt' }))).toBe('[0.25, 0.25, 0.25, 0.25]');
    // A grid needs a run with one knob.
    const twoKnobs = await host({ ...LINEAR, model: 'rabi-counts', settings: [[1, 2], [0, 0.5]], constants: [100000, 0.01, 0.5] });
    expect(text(await twoKnobs.execute({ op: 'newrun', grid: { lolim: 2, hilim: 3, steps: 3 } }))).toMatch(/^BAD_ARGUMENT: newrun: lolim\/hilim\/steps need/);
    // No configured run: only a spec can start one.
    const bare = new EngineHost({});
    expect(text(await bare.execute({ op: 'newrun' }))).toMatch(/^NO_RUN: newrun: this server has no configured run/);
  });

  it('starts a run from a spec in the message, and refuses a bad one', async () => {
    const h = await host(LINEAR, false);
    const spec = { ...LINEAR, settings: [[5, 6]], constants: [7] };
    expect(text(await h.execute(wire('newrun', { command: 'newrun', spec: spec as never })))).toBe('"OK"');
    expect(text(await h.execute({ op: 'getset' }))).toBe('[[5.0, 6.0]]');
    expect(text(await h.execute({ op: 'getcon' }))).toBe('[7.0]');
    // A module model loads fine from a config file, but the engine refuses a failing one and keeps its run.
    expect(text(await h.execute({ op: 'startrun', spec: { ...LINEAR, model: { module: '/nonexistent/model.mjs' } } }))).toMatch(/^ENGINE_ERROR|^ERR/);
    expect(text(await h.execute({ op: 'getset' }))).toBe('[[5.0, 6.0]]');
    expect(text(await h.execute({ op: 'endrun' }))).toBe('"OK"');
    expect(text(await h.execute({ op: 'getset' }))).toMatch(/^NO_RUN/);
  });

  it('snapshots the reads the actor answers, with the bytes execute gives', async () => {
    const h = await host(LINEAR, false);
    // No run yet: the snapshot holds the NO_RUN errors a read would get.
    const empty = h.snapshot();
    expect(text(empty.state.getmean)).toBe('NO_RUN: no run: send newrun first');
    expect(empty.run && text(empty.run.getset!)).toBe('NO_RUN: no run: send newrun first');
    // The run reads come again only when the run changes.
    expect(h.snapshot().run).toBeUndefined();
    await h.execute({ op: 'newrun' });
    for (let i = 0; i < 3; i++) {
      const snap = h.snapshot();
      for (const op of ['getmean', 'getstd'] as const) expect(text(snap.state[op])).toBe(text(await h.execute({ op })));
      if (i === 0) {
        expect(text(snap.run!.getset!)).toBe(text(await h.execute({ op: 'getset' })));
        expect(text(snap.run!.getcon!)).toBe('[]');
      } else expect(snap.run).toBeUndefined();
      await h.execute({ op: 'newdat', x: [i], y: 3 + i, s: 1 });
    }
    // A failed newrun keeps the run, so no run reads follow it.
    await h.execute({ op: 'startrun', spec: { ...LINEAR, model: { module: '/nonexistent/model.mjs' } } });
    expect(h.snapshot().run).toBeUndefined();
    await h.execute({ op: 'endrun' });
    expect(text(h.snapshot().run!.getcon!)).toMatch(/^NO_RUN/);
  });

  it('leaves a large grid out of the snapshot', async () => {
    const h = await host({ ...LINEAR, settings: [{ linspace: [0, 1, SNAPSHOT_MAX_GRID_VALUES + 1] }] });
    const snap = h.snapshot();
    expect(snap.run).toEqual({ getcon: expect.anything() });
    expect(JSON.parse(text(await h.execute({ op: 'getset' })))[0]).toHaveLength(SNAPSHOT_MAX_GRID_VALUES + 1);
  });

  it('replies getpdfw with [getpar, getwgt]', async () => {
    const h = await host();
    await h.execute({ op: 'newdat', x: [1], y: 6, s: 1 });
    const par = text(await h.execute({ op: 'getpar' }));
    const wgt = text(await h.execute({ op: 'getwgt' }));
    const both = text(await h.execute({ op: 'getpdfw' }));
    expect(both).toBe(`[${par}, ${wgt}]`);
    const [p, w] = JSON.parse(both) as [number[][], number[]];
    expect(p.map((row) => row.length)).toEqual([4, 4]);
    expect(w).toHaveLength(4);
  });

  it('echoes constants as given: ints stay ints (Q3)', async () => {
    const h = await host({ ...LINEAR, constants: [1, 2.5], ints: { constants: [true, false] } });
    expect(text(await h.execute({ op: 'getcon' }))).toBe('[1, 2.5]');
    // Without flags the constants are floats, as before.
    expect(text(await (await host({ ...LINEAR, constants: [1, 2.5] })).execute({ op: 'getcon' }))).toBe('[1.0, 2.5]');
  });

  it('writes an integer knob as ints in getset, optset and goodset (Q9 fixed)', async () => {
    const h = await host({ ...LINEAR, ints: { settings: [true] } });
    expect(text(await h.execute({ op: 'getset' }))).toBe('[[0, 1, 2]]');
    expect(text(await h.execute({ op: 'optset' }))).toBe('[2]');
    expect(text(await h.execute({ op: 'goodset', pickiness: 6 }))).toMatch(/^\[[012]\]$/);
    // A client sends the int back as x; the engine computes with the number.
    expect(text(await h.execute(wire('newdat', { command: 'newdat', x: [new PythonInt(2)], y: 7, s: 1 })))).toBe('"OK"');
    // The demo newrun's linspace axis is float.
    await h.execute(wire('newrun', { command: 'newrun', lolim: 0, hilim: 2, steps: 3 }));
    expect(text(await h.execute({ op: 'getset' }))).toBe('[[0.0, 1.0, 2.0]]');
    expect(text(await h.execute({ op: 'optset' }))).toBe('[2.0]');
  });

  it('types each knob of a grid by its own axis; a mixed axis is float', async () => {
    // As the server receives it: ints parsed as PythonInt, typed at the boundary, then cloned to the worker.
    const spec = pythonJsonLoads(
      `{"model": "rabi-counts", "settings": [[1, 2, 3], [-0.5, 0, 0.5]], "constants": [100000, 0.01, 0.5], "seed": 4,
        "prior": [{"dist": "samples", "values": [0.9, 1.0, 1.1]}, {"dist": "samples", "values": [-0.1, 0.0, 0.1]}]}`,
      { keepInts: true },
    ) as PythonJsonObject;
    const h = await host(LINEAR, false);
    expect(text(await h.execute(wire('newrun', { command: 'newrun', spec })))).toBe('"OK"');
    expect(text(await h.execute({ op: 'getcon' }))).toBe('[100000, 0.01, 0.5]');
    expect(text(await h.execute({ op: 'getset' }))).toBe('[[1, 1, 1, 2, 2, 2, 3, 3, 3], [-0.5, 0.0, 0.5, -0.5, 0.0, 0.5, -0.5, 0.0, 0.5]]');
    expect(text(await h.execute({ op: 'optset' }))).toMatch(/^\[[123], (-0\.5|0\.0|0\.5)\]$/);
    expect(text(await h.execute({ op: 'goodset' }))).toMatch(/^\[[123], (-0\.5|0\.0|0\.5)\]$/);
    const newdat = wire('newdat', { command: 'newdat', x: [new PythonInt(2), 0.5], y: new PythonInt(90000), s: 300 });
    expect(text(await h.execute(newdat))).toBe('"OK"');
    // One float in the list makes the axis float (NumPy's common type).
    const mixed = pythonJsonLoads('{"model": "line", "settings": [[0, 1.5, 2]], "prior": [{"dist": "samples", "values": [0, 1, 2, 3]}, {"dist": "samples", "values": [1, 3, 2, 4]}]}', { keepInts: true });
    await h.execute(wire('newrun', { command: 'newrun', spec: mixed }));
    expect(text(await h.execute({ op: 'getset' }))).toBe('[[0.0, 1.5, 2.0]]');
    expect(text(await h.execute({ op: 'optset' }))).toBe('[2.0]');
    expect(text(await h.execute({ op: 'getcon' }))).toBe('[]');
  });

  it('reads demo newrun numbers sent as ints after a structured clone', async () => {
    const h = await host();
    const message = pythonJsonLoads('{"command": "newrun", "lolim": 2, "hilim": 3, "steps": 3}', { keepInts: true }) as PythonJsonObject;
    expect(text(await h.execute(wire('newrun', message)))).toBe('"OK"');
    expect(text(await h.execute({ op: 'getset' }))).toBe('[[2.0, 2.5, 3.0]]');
    expect(text(await h.execute(wire('goodset', { command: 'goodset', pickiness: new PythonInt(3) })))).toMatch(/^\[(2\.0|2\.5|3\.0)\]$/);
  });

  it('runs large runs on its particle pool with the same replies, and reports the core in the snapshot', async () => {
    const spec: RunSpec = {
      model: 'lorentzian-dip',
      settings: [{ linspace: [2, 3, 600] }],
      prior: [
        { dist: 'uniform', low: 2.2, high: 2.8 },
        { dist: 'uniform', low: 0.01, high: 0.1 },
        { dist: 'uniform', low: 0.003, high: 0.05 },
      ],
      particles: 4000,
      tuning: { scale: false },
      seed: 9,
    };
    const replies = async (h: EngineHost): Promise<string[]> => {
      const out: string[] = [];
      for (let i = 0; i < 8; i++) {
        const x = text(await h.execute({ op: 'goodset' }));
        out.push(x, text(await h.execute({ op: 'newdat', x: JSON.parse(x) as number[], y: 0.99, s: 0.01 })), text(await h.execute({ op: 'getmean' })), text(await h.execute({ op: 'getcov' })));
      }
      return out;
    };
    const alone = new EngineHost({ baseSpec: spec, startRun: true, threads: 1 });
    const pooled = new EngineHost({ baseSpec: { ...spec, tuning: { scale: false, arithmetic: 'original' } }, startRun: true, threads: 2, poolMinParticles: 1000 });
    try {
      await Promise.all([alone.start(), pooled.start()]);
      expect(await replies(pooled)).toEqual(await replies(alone));
      expect(pooled.snapshot().core).toEqual({ updates: 8, logSpaceUpdates: 0, resamples: expect.any(Number), arithmetic: 'original', threads: 2, effectiveSampleSize: expect.any(Number) });
      expect(alone.snapshot().core).toMatchObject({ updates: 8, threads: 1 });
      // A run spec may ask for fewer threads than the engine's limit, never more.
      expect(text(await pooled.execute(wire('newrun', { command: 'newrun', spec: { ...spec, threads: 8, tuning: { arithmetic: 'fast' } } as unknown as PythonJsonObject })))).toBe('"OK"');
      expect(pooled.snapshot().core).toMatchObject({ threads: 2, arithmetic: 'fast', updates: 0 });
    } finally {
      await Promise.all([alone.close(), pooled.close()]);
    }
  });
});
