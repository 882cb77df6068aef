import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_RUN_SPEC, parseRunSpec, RunSpecError, samplePrior, Xoshiro128StarStar } from '../../src/obe/index.js';
import { drawPrior, knobValues } from '../../src/obe/run-spec.js';
import { pythonJsonLoads } from '../../src/protocols/obe/index.js';

const base = {
  model: 'lorentzian-dip',
  settings: [{ linspace: [2, 3, 5] }],
  prior: [
    { dist: 'uniform', low: 1.5, high: 3.5 },
    { dist: 'normal', mean: 0.05, std: 0.01 },
    { dist: 'exponential', scale: 0.02 },
  ],
};

describe('run specs', () => {
  it('accepts the documented forms', () => {
    const spec = parseRunSpec({
      ...base,
      settings: [[1, 2, 3], { logspace: [2, 6, 5] }],
      particles: 100,
      constants: [0.5],
      utility: 'max_min',
      selection: 'good',
      pickiness: 6,
      nDraws: 10,
      choke: null,
      tuning: { scale: false, aParam: 0.9 },
      noise: { parameterIndex: 2 },
      seed: 3,
    });
    expect(spec.particles).toBe(100);
    expect(Array.from(knobValues(spec.settings[1]))).toEqual([100, 1000, 10000, 100000, 1000000]);
    expect(Array.from(knobValues(spec.settings[0]))).toEqual([1, 2, 3]);
  });

  it.each([
    [{ ...base, model: 'nope' }, /unknown model 'nope'/],
    [{ ...base, settings: [] }, /settings/],
    [{ ...base, settings: [{ linspace: [2, 3, 0] }] }, /settings\[0\]\.linspace\[2\] must be a positive integer/],
    [{ ...base, settings: [{ logspace: [0, 400, 5] }] }, /settings\[0\]\.logspace\[1\] must be an exponent from -323 to 308/],
    [{ ...base, settings: [{ linspace: [0, 1e309, 5] }] }, /settings\[0\]\.linspace\[1\] must be a finite number/],
    [{ ...base, prior: [{ dist: 'beta' }] }, /prior\[0\]\.dist must be one of/],
    [{ ...base, prior: [{ dist: 'uniform', low: 3, high: 1 }] }, /prior\[0\]\.high/],
    [{ ...base, particles: 2.5 }, /particles must be a positive integer/],
    [{ ...base, utility: 'best' }, /utility must be one of/],
    [{ ...base, tuning: { scal: false } }, /unknown tuning key 'scal'/],
    [{ ...base, noise: { parameterIndex: 7 } }, /noise\.parameterIndex must be a parameter index/],
    [{ ...base, partcles: 5 }, /unknown run spec key 'partcles'/],
    [{ ...base, prior: [{ dist: 'samples', values: [1, 2] }, { dist: 'samples', values: [1] }] }, /exactly 2 values/],
    [[1], /must be a JSON object/],
  ])('rejects %j', (value, message) => {
    expect(() => parseRunSpec(value)).toThrow(RunSpecError);
    expect(() => parseRunSpec(value)).toThrow(message);
  });

  it('reads the example run spec of examples/obe-lorentzian', () => {
    const spec = parseRunSpec(JSON.parse(readFileSync(new URL('../../examples/obe-lorentzian/run.json', import.meta.url), 'utf8')));
    expect(spec).toMatchObject({ model: 'lorentzian-dip', particles: 10000, selection: 'good', pickiness: 6, tuning: { scale: false } });
    expect(knobValues(spec.settings[0])).toHaveLength(200);
  });

  it('records which constants and knobs were written as JSON ints', () => {
    const text = `{"model": "line", "settings": [[1, 2, 3], [1, 2.5], [0.0, 1], {"linspace": [0, 2, 3]}],
      "prior": [{"dist": "uniform", "low": 0, "high": 1}, {"dist": "uniform", "low": 0, "high": 1}], "constants": [1, 2.5]}`;
    const spec = parseRunSpec(pythonJsonLoads(text, { keepInts: true }));
    // The engine still gets numbers.
    expect(spec.constants).toEqual([1, 2.5]);
    expect(spec.settings[0]).toEqual([1, 2, 3]);
    expect(spec.ints).toEqual({ constants: [true, false], settings: [true, false, false, false] });
    // Parsing again (e.g. the CLI applying overrides) keeps the flags, and the spec survives a structured clone.
    expect(parseRunSpec({ ...spec, seed: 2 }).ints).toEqual(spec.ints);
    expect(parseRunSpec(structuredClone(spec)).ints).toEqual(spec.ints);
    // Without keepInts every number is a float, as for a spec built in code.
    expect(parseRunSpec(pythonJsonLoads(text)).ints).toBeUndefined();
    expect(parseRunSpec({ ...base, constants: [1] }).ints).toBeUndefined();
  });

  it.each([
    [{ ...base, ints: [true] }, /ints must be an object/],
    [{ ...base, ints: { knobs: [true] } }, /unknown ints key 'knobs'/],
    [{ ...base, ints: { settings: [true, false] } }, /ints\.settings must be a list of 1 booleans/],
    [{ ...base, ints: { settings: [true] } }, /ints\.settings\[0\] marks a non-integer value as int/],
    [{ ...base, constants: [1.5], ints: { constants: [true] } }, /ints\.constants\[0\] marks a non-integer value as int/],
  ])('rejects bad ints flags %j', (value, message) => {
    expect(() => parseRunSpec(value)).toThrow(message);
  });

  it('refuses model modules from the wire but resolves them from a config file', () => {
    const spec = { ...base, model: { module: './m.mjs', export: 'm' } };
    expect(() => parseRunSpec(spec, { allowModules: false })).toThrow(/config file/);
    expect(parseRunSpec(spec, { baseDir: '/etc/obe' }).model).toEqual({ module: '/etc/obe/m.mjs', export: 'm' });
  });

  it('draws priors with the right moments, reproducibly from a seed', () => {
    const rng = new Xoshiro128StarStar(1);
    const n = 20_000;
    const mean = (a: Float64Array) => a.reduce((s, x) => s + x, 0) / a.length;
    const u = drawPrior({ dist: 'uniform', low: 2, high: 4 }, n, rng);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...u)).toBeLessThan(4);
    expect(mean(u)).toBeCloseTo(3, 1);
    expect(mean(drawPrior({ dist: 'normal', mean: 5, std: 2 }, n, rng))).toBeCloseTo(5, 1);
    expect(mean(drawPrior({ dist: 'exponential', scale: 0.5 }, n, rng))).toBeCloseTo(0.5, 1);
    expect(mean(drawPrior({ dist: 'lognormal', mean: 0, sigma: 0.5 }, n, rng))).toBeCloseTo(Math.exp(0.125), 1);
    const spec = { ...DEMO_RUN_SPEC, particles: 10, seed: 9 };
    expect(samplePrior(spec, new Xoshiro128StarStar(9))).toEqual(samplePrior(spec, new Xoshiro128StarStar(9)));
  });
});
