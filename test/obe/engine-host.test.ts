import { describe, expect, it } from 'vitest';
import { EngineHost, PythonInt, pythonJsonLoads, type EngineCommand, type EngineOutcome, type PythonJsonObject, type RunSpec } from '../../src/obe/index.js';

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

async function host(spec: RunSpec = LINEAR, startRun = true): Promise<EngineHost> {
  const h = new EngineHost({ baseSpec: spec, startRun });
  await h.start();
  return h;
}

describe('EngineHost', () => {
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
    expect(await run({ op: 'goodset', pickiness: null })).toMatch(/^\[[012]\.0\]$/);
  });

  it('updates with newdat and keeps the run on a bad measurement', async () => {
    const h = await host();
    expect(text(await h.execute({ op: 'newdat', x: [1], y: 6, s: 1 }))).toBe('"OK"');
    const mean = JSON.parse(text(await h.execute({ op: 'getmean' }))) as number[];
    expect(mean[0] + mean[1]).toBeGreaterThan(4);
    const before = text(await h.execute({ op: 'getwgt' }));
    expect(text(await h.execute({ op: 'newdat', x: [1], y: NaN, s: 1 }))).toMatch(/^INVALID_ARGUMENT: measured y must be finite/);
    expect(text(await h.execute({ op: 'newdat', x: [1], y: 1, s: undefined as never }))).toBe("BAD_ARGUMENT: newdat: the request has no 's' key");
    expect(text(await h.execute({ op: 'newdat', x: [1, 2], y: 1, s: 1 }))).toMatch(/^SHAPE_MISMATCH/);
    expect(text(await h.execute({ op: 'newdat', x: 'a', y: 1, s: 1 }))).toMatch(/^BAD_ARGUMENT: newdat: 'x' must be a number/);
    expect(text(await h.execute({ op: 'goodset', pickiness: 'high' }))).toMatch(/^BAD_ARGUMENT/);
    expect(text(await h.execute({ op: 'getwgt' }))).toBe(before);
  });

  it('has no run before newrun when started without one', async () => {
    const h = await host(LINEAR, false);
    expect(text(await h.execute({ op: 'getmean' }))).toBe('NO_RUN: no run: send newrun first');
    expect(text(await h.execute({ op: 'newrun', message: { command: 'newrun' } }))).toBe('"OK"');
    expect(text(await h.execute({ op: 'getmean' }))).toBe('[1.5, 2.5]');
  });

  it('runs the demo newrun on linspace(lolim, hilim, steps) from the same prior', async () => {
    const h = await host();
    const prior = text(await h.execute({ op: 'getpar' }));
    await h.execute({ op: 'newdat', x: [1], y: 4, s: 1 });
    expect(text(await h.execute({ op: 'newrun', message: { command: 'newrun', lolim: 2, hilim: 3, steps: 3 } }))).toBe('"OK"');
    expect(text(await h.execute({ op: 'getset' }))).toBe('[[2.0, 2.5, 3.0]]');
    expect(text(await h.execute({ op: 'getpar' }))).toBe(prior);
    expect(text(await h.execute({ op: 'getwgt' }))).toBe('[0.25, 0.25, 0.25, 0.25]');
    expect(text(await h.execute({ op: 'newrun', message: { command: 'newrun', lolim: 2, hilim: 3, steps: 2.5 } }))).toMatch(/^BAD_ARGUMENT/);
  });

  it('starts a run from a spec in the message, and refuses a bad one', async () => {
    const h = await host(LINEAR, false);
    const spec = { ...LINEAR, settings: [[5, 6]], constants: [7] };
    expect(text(await h.execute({ op: 'newrun', message: { command: 'newrun', spec: spec as never } }))).toBe('"OK"');
    expect(text(await h.execute({ op: 'getset' }))).toBe('[[5.0, 6.0]]');
    expect(text(await h.execute({ op: 'getcon' }))).toBe('[7.0]');
    expect(text(await h.execute({ op: 'newrun', message: { command: 'newrun', spec: { model: 'x' } } }))).toMatch(/^INVALID_RUN_SPEC/);
    expect(text(await h.execute({ op: 'getset' }))).toBe('[[5.0, 6.0]]');
    expect(text(await h.execute({ op: 'endrun' }))).toBe('"OK"');
    expect(text(await h.execute({ op: 'getset' }))).toMatch(/^NO_RUN/);
  });

  it('serves warmed moments only while the state they describe lasts', async () => {
    const warm = await host();
    const cold = await host();
    for (const [i, h] of [warm, cold].entries()) {
      await h.execute({ op: 'newdat', x: [2], y: 7, s: 1 });
      if (i === 0) h.warmMoments();
      await h.execute({ op: 'goodset' });
    }
    expect(text(await warm.execute({ op: 'getmean' }))).toBe(text(await cold.execute({ op: 'getmean' })));
    expect(text(await warm.execute({ op: 'getstd' }))).toBe(text(await cold.execute({ op: 'getstd' })));
    const before = text(await warm.execute({ op: 'getmean' }));
    await warm.execute({ op: 'newdat', x: [0], y: 3, s: 1 });
    expect(text(await warm.execute({ op: 'getmean' }))).not.toBe(before);
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
    expect(text(await h.execute({ op: 'newdat', x: [new PythonInt(2)], y: 7, s: 1 }))).toBe('"OK"');
    // The demo newrun's linspace axis is float.
    await h.execute({ op: 'newrun', message: { command: 'newrun', lolim: 0, hilim: 2, steps: 3 } });
    expect(text(await h.execute({ op: 'getset' }))).toBe('[[0.0, 1.0, 2.0]]');
    expect(text(await h.execute({ op: 'optset' }))).toBe('[2.0]');
  });

  it('types each knob of a grid by its own axis; a mixed axis is float', async () => {
    // As the server receives it: ints parsed as PythonInt, then structured-cloned to the worker.
    const spec = pythonJsonLoads(
      `{"model": "rabi-counts", "settings": [[1, 2, 3], [-0.5, 0, 0.5]], "constants": [100000, 0.01, 0.5], "seed": 4,
        "prior": [{"dist": "samples", "values": [0.9, 1.0, 1.1]}, {"dist": "samples", "values": [-0.1, 0.0, 0.1]}]}`,
      { keepInts: true },
    ) as PythonJsonObject;
    const h = await host(LINEAR, false);
    expect(text(await h.execute(structuredClone<EngineCommand>({ op: 'newrun', message: { command: 'newrun', spec } })))).toBe('"OK"');
    expect(text(await h.execute({ op: 'getcon' }))).toBe('[100000, 0.01, 0.5]');
    expect(text(await h.execute({ op: 'getset' }))).toBe('[[1, 1, 1, 2, 2, 2, 3, 3, 3], [-0.5, 0.0, 0.5, -0.5, 0.0, 0.5, -0.5, 0.0, 0.5]]');
    expect(text(await h.execute({ op: 'optset' }))).toMatch(/^\[[123], (-0\.5|0\.0|0\.5)\]$/);
    expect(text(await h.execute({ op: 'goodset' }))).toMatch(/^\[[123], (-0\.5|0\.0|0\.5)\]$/);
    const newdat = structuredClone<EngineCommand>({ op: 'newdat', x: [new PythonInt(2), 0.5], y: new PythonInt(90000), s: 300 });
    expect(text(await h.execute(newdat))).toBe('"OK"');
    // One float in the list makes the axis float (NumPy's common type).
    const mixed = pythonJsonLoads('{"model": "line", "settings": [[0, 1.5, 2]], "prior": [{"dist": "samples", "values": [0, 1, 2, 3]}, {"dist": "samples", "values": [1, 3, 2, 4]}]}', { keepInts: true });
    await h.execute(structuredClone<EngineCommand>({ op: 'newrun', message: { command: 'newrun', spec: mixed } }));
    expect(text(await h.execute({ op: 'getset' }))).toBe('[[0.0, 1.5, 2.0]]');
    expect(text(await h.execute({ op: 'optset' }))).toBe('[2.0]');
    expect(text(await h.execute({ op: 'getcon' }))).toBe('[]');
  });

  it('reads demo newrun numbers sent as ints after a structured clone', async () => {
    const h = await host();
    const message = pythonJsonLoads('{"command": "newrun", "lolim": 2, "hilim": 3, "steps": 3}', { keepInts: true }) as PythonJsonObject;
    expect(text(await h.execute(structuredClone<EngineCommand>({ op: 'newrun', message })))).toBe('"OK"');
    expect(text(await h.execute({ op: 'getset' }))).toBe('[[2.0, 2.5, 3.0]]');
    expect(text(await h.execute(structuredClone<EngineCommand>({ op: 'goodset', pickiness: new PythonInt(3) })))).toMatch(/^\[(2\.0|2\.5|3\.0)\]$/);
  });
});
