import type { ModelDefinition } from '../model.js';

/**
 * Impedance of a coil measured with a lock-in amplifier (lockin demo), **two channels**: the real and
 * imaginary parts of `Z = 1 / (1/(R + iωL) + iωC)` (inductance L in series with resistance R, both in
 * parallel with the turn-to-turn capacitance C). Settings `(ω)` (angular frequency), parameters
 * `(L, R, C, σ)` (σ, the noise parameter, is not used by the model).
 */
export const lockinRlc: ModelDefinition = {
  name: 'lockin-rlc',
  nChannels: 2,
  nSettings: 1,
  nParameters: 4,
  batch(settings, ss, params, ps, _constants, out, n) {
    const w = settings[0];
    const l = params[0];
    const r = params[1];
    const c = params[2];
    const re = out[0];
    const im = out[1];
    for (let i = 0; i < n; i++) {
      const j = i * ps;
      const wi = w[i * ss];
      const wl = wi * l[j];
      const ri = r[j];
      const den1 = ri * ri + wl * wl;
      // Admittance Y = a + ib of both branches; Z = 1/Y = (a − ib)/(a² + b²).
      const a = ri / den1;
      const b = -wl / den1 + wi * c[j];
      const den = a * a + b * b;
      re[i] = a / den;
      im[i] = -b / den;
    }
  },
};
