import type { ModelDefinition } from '../model.js';

/**
 * Straight line `y = m·x + b` (line_plus_noise demo). Settings `(x)`, parameters `(m, b)` optionally
 * followed by a noise σ (used by the noise-parameter engine, ignored here), one channel.
 */
export const line: ModelDefinition = {
  name: 'line',
  nChannels: 1,
  nSettings: 1,
  batch(settings, ss, params, ps, _constants, out, n) {
    const xs = settings[0];
    const m = params[0];
    const b = params[1];
    const y = out[0];
    for (let i = 0; i < n; i++) y[i] = m[i * ps] * xs[i * ss] + b[i * ps];
  },
};
