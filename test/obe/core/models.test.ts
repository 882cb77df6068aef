import { describe, expect, it } from 'vitest';
import { BUILTIN_MODELS, builtinModel, UnknownNameError, Xoshiro128StarStar, type ModelDefinition } from '../../../src/obe/core/index.js';

/** Independent pointwise formulas of spec §5 (one channel each unless stated). */
const reference: Record<string, { s: number; d: number; cons: number[]; f: (s: number[], p: number[], c: number[]) => number[] }> = {
  'lorentzian-dip': { s: 1, d: 3, cons: [], f: ([x], [f0, a, lw]) => [1 - a / (((x - f0) * 2 / lw) ** 2 + 1)] },
  'lorentzian-peak': { s: 1, d: 4, cons: [0.1], f: ([x], [x0, a, b], [d]) => [b + a / (((x - x0) / d) ** 2 + 1)] },
  'lorentzian-fwhm': { s: 1, d: 4, cons: [], f: ([x], [x0, a, b, d]) => [b + a / (((x - x0) * 2 / d) ** 2 + 1)] },
  line: { s: 1, d: 3, cons: [], f: ([x], [m, b]) => [m * x + b] },
  'gaussian-peak': { s: 1, d: 4, cons: [], f: ([x], [x0, a, b, w]) => [b + a * Math.exp(-(((x - x0) / w) ** 2) / 2)] },
  'exponential-decay': { s: 1, d: 3, cons: [], f: ([t], [a, tau, b]) => [a * Math.exp(-t / tau) + b] },
  'rabi-counts': {
    s: 2,
    d: 2,
    cons: [1e5, 0.01, 0.5],
    f: ([t, df], [b1, fc], [base, c, t1]) => {
      const zz = ((df - fc) / b1) ** 2;
      const fr = Math.hypot(df - fc, b1);
      return [base * (1 - (Math.exp(-t / t1) * c) / 2 * (1 - Math.cos(Math.PI * 2 * fr * t)) / (zz + 1))];
    },
  },
  'lockin-rlc': {
    s: 1,
    d: 4,
    cons: [],
    f: ([w], [l, r, c]) => {
      // Complex arithmetic spelled out: Y1 = 1/(R + iωL), Y2 = iωC, Z = 1/(Y1 + Y2).
      const inv = (re: number, im: number): [number, number] => [re / (re * re + im * im), -im / (re * re + im * im)];
      const [y1r, y1i] = inv(r, w * l);
      return inv(y1r, y1i + w * c);
    },
  },
};

function evalBatch(def: ModelDefinition, settings: number[][], params: number[][], ss: 0 | 1, ps: 0 | 1, cons: number[], n: number): number[][] {
  const out = Array.from({ length: def.nChannels! }, () => new Float64Array(n));
  def.batch!(settings.map((r) => Float64Array.from(r)), ss, params.map((r) => Float64Array.from(r)), ps, cons, out, n);
  return out.map((r) => Array.from(r));
}

describe('built-in models', () => {
  it('registers every workload of spec §5', () => {
    expect(Object.keys(BUILTIN_MODELS).sort()).toEqual(Object.keys(reference).sort());
    expect(() => builtinModel('nope')).toThrow(UnknownNameError);
    expect(() => builtinModel('toString')).toThrow(UnknownNameError);
  });

  for (const [name, ref] of Object.entries(reference)) {
    it(`${name}: batch form matches the formula in both broadcast directions`, () => {
      const def = builtinModel(name);
      const rng = new Xoshiro128StarStar(name.length);
      const n = 7;
      const pos = () => 0.5 + rng.nextDouble();
      const params = Array.from({ length: ref.d }, () => Array.from({ length: n }, pos));
      const settings = Array.from({ length: ref.s }, () => Array.from({ length: n }, pos));
      // One setting over all particles.
      const s0 = settings.map((r) => [r[0]]);
      const overParticles = evalBatch(def, s0, params, 0, 1, ref.cons, n);
      // One parameter vector over all settings.
      const p0 = params.map((r) => [r[0]]);
      const overSettings = evalBatch(def, settings, p0, 1, 0, ref.cons, n);
      for (let i = 0; i < n; i++) {
        const a = ref.f(s0.map((r) => r[0]), params.map((r) => r[i]), ref.cons);
        const b = ref.f(settings.map((r) => r[i]), p0.map((r) => r[0]), ref.cons);
        a.forEach((v, c) => expect(overParticles[c][i]).toBeCloseTo(v, 9));
        b.forEach((v, c) => expect(overSettings[c][i]).toBeCloseTo(v, 9));
      }
      expect(def.nChannels).toBe(ref.f(s0.map((r) => r[0]), params.map((r) => r[0]), ref.cons).length);
    });
  }
});
