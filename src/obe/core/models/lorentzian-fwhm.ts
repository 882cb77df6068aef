import type { ModelDefinition } from '../model.js';

/**
 * Lorentzian with the full width as a parameter, as in the seqLor_pdfevolve demo:
 * `y = B + A / (((x − x0)·2/d)² + 1)`. Settings `(x)`, parameters `(x0, A, B, d)`, one channel.
 */
export const lorentzianFwhm: ModelDefinition = {
  name: 'lorentzian-fwhm',
  nChannels: 1,
  nSettings: 1,
  nParameters: 4,
  batch(settings, ss, params, ps, _constants, out, n) {
    const xs = settings[0];
    const x0 = params[0];
    const a = params[1];
    const b = params[2];
    const d = params[3];
    const y = out[0];
    for (let i = 0; i < n; i++) {
      const j = i * ps;
      const u = ((xs[i * ss] - x0[j]) * 2) / d[j];
      y[i] = b[j] + a[j] / (u * u + 1);
    }
  },
};
