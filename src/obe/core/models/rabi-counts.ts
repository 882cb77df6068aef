import type { ModelDefinition } from '../model.js';

/**
 * Photon counts after a Rabi pulse (pipulse demo), two setting knobs:
 * `y = base·(1 − e^(−t/T1)·c/2·(1 − cos(2π·f_R·t)) / (z + 1))` with `z = ((Δ − f_c)/B1)²` and
 * `f_R = hypot(Δ − f_c, B1)`. Settings `(t, Δ)` (pulse time, detuning), parameters `(B1, f_c)`,
 * constants `(base, c, T1)`, one channel. The demo reports σ = sqrt(y) (counting noise).
 */
export const rabiCounts: ModelDefinition = {
  name: 'rabi-counts',
  nChannels: 1,
  nSettings: 2,
  nParameters: 2,
  batch(settings, ss, params, ps, constants, out, n) {
    const t = settings[0];
    const df = settings[1];
    const b1 = params[0];
    const fc = params[1];
    const base = constants[0];
    const half = constants[1] / 2;
    const invT1 = 1 / constants[2];
    const y = out[0];
    for (let i = 0; i < n; i++) {
      const j = i * ps;
      const ti = t[i * ss];
      const det = df[i * ss] - fc[j];
      const b = b1[j];
      const z = (det / b) * (det / b);
      const fr = Math.hypot(det, b);
      y[i] = base * (1 - (Math.exp(-ti * invT1) * half * (1 - Math.cos(2 * Math.PI * fr * ti))) / (z + 1));
    }
  },
};
