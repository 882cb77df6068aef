import type { ModelDefinition } from '../model.js';

/**
 * Exponential decay `y = A·exp(−t/τ) + B`. Settings `(t)`, parameters `(A, τ, B)`, one channel.
 */
export const exponentialDecay: ModelDefinition = {
  name: 'exponential-decay',
  nChannels: 1,
  nSettings: 1,
  nParameters: 3,
  batch(settings, ss, params, ps, _constants, out, n) {
    const t = settings[0];
    const a = params[0];
    const tau = params[1];
    const b = params[2];
    const y = out[0];
    for (let i = 0; i < n; i++) {
      const j = i * ps;
      y[i] = a[j] * Math.exp(-t[i * ss] / tau[j]) + b[j];
    }
  },
};
