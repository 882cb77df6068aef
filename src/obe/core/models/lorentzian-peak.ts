import type { ModelDefinition } from '../model.js';

/**
 * Lorentzian with a constant half width, as in the find_peak, fit_vs_obe and sweeper demos:
 * `y = b + a / (((x − x0)/d)² + 1)`. Settings `(x)`, parameters `(x0, a, b)` (further parameters,
 * e.g. a noise σ, are ignored), constants `(d)`, one channel.
 */
export const lorentzianPeak: ModelDefinition = {
  name: 'lorentzian-peak',
  nChannels: 1,
  nSettings: 1,
  batch(settings, ss, params, ps, constants, out, n) {
    const xs = settings[0];
    const x0 = params[0];
    const a = params[1];
    const b = params[2];
    const invD = 1 / constants[0];
    const y = out[0];
    for (let i = 0; i < n; i++) {
      const j = i * ps;
      const u = (xs[i * ss] - x0[j]) * invD;
      y[i] = b[j] + a[j] / (u * u + 1);
    }
  },
};
