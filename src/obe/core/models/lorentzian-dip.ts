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
    if (ss === 0 && ps === 1) {
      // One setting over all particles: the hot loop of every pdfUpdate, without index arithmetic.
      const fv = f[0];
      for (let i = 0; i < n; i++) {
        const x = (fv - f0[i]) * 2;
        const l = lw[i];
        y[i] = 1 - (a[i] * l * l) / (x * x + l * l);
      }
      return;
    }
    if (ps === 0) {
      // One parameter vector over the grid (the utility's K draws): constants hoisted.
      const f0v = f0[0];
      const al2 = a[0] * lw[0] * lw[0];
      const l2 = lw[0] * lw[0];
      for (let i = 0; i < n; i++) {
        const x = (f[i * ss] - f0v) * 2;
        y[i] = 1 - al2 / (x * x + l2);
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      const j = i * ps;
      // A/(((f−f0)·2/lw)² + 1) rewritten as A·lw²/((2(f−f0))² + lw²): one division instead of two.
      const x = (f[i * ss] - f0[j]) * 2;
      const l = lw[j];
      y[i] = 1 - (a[j] * l * l) / (x * x + l * l);
    }
  },
};
