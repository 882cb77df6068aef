import type { ModelDefinition } from '../model.js';

/**
 * The Lorentzian dip of the OBE server demo (spec §5, §7.2): `y = 1 − A / (((f − f0)·2/lw)² + 1)`
 * with full width `lw`. Settings `(f)`, parameters `(f0, A, lw)`, no constants, one channel.
 */
export const lorentzianDip: ModelDefinition = {
  name: 'lorentzian-dip',
  nChannels: 1,
  nSettings: 1,
  nParameters: 3,
  batch(settings, ss, params, ps, _constants, out, n) {
    const f = settings[0];
    const f0 = params[0];
    const a = params[1];
    const lw = params[2];
    const y = out[0];
    for (let i = 0; i < n; i++) {
      const j = i * ps;
      const x = ((f[i * ss] - f0[j]) * 2) / lw[j];
      y[i] = 1 - a[j] / (x * x + 1);
    }
  },
};
