import type { ModelDefinition } from '../model.js';

/**
 * Gaussian peak `y = B + A·exp(−((x − x0)/w)² / 2)`. Settings `(x)`, parameters `(x0, A, B, w)`
 * (w the standard width), one channel.
 */
export const gaussianPeak: ModelDefinition = {
  name: 'gaussian-peak',
  nChannels: 1,
  nSettings: 1,
  nParameters: 4,
  batch(settings, ss, params, ps, _constants, out, n) {
    const xs = settings[0];
    const x0 = params[0];
    const a = params[1];
    const b = params[2];
    const w = params[3];
    const y = out[0];
    for (let i = 0; i < n; i++) {
      const j = i * ps;
      const u = (xs[i * ss] - x0[j]) / w[j];
      y[i] = b[j] + a[j] * Math.exp(-0.5 * u * u);
    }
  },
};
