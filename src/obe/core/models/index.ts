import { UnknownNameError } from '../errors.js';
import type { ModelDefinition } from '../model.js';
import { exponentialDecay } from './exponential-decay.js';
import { gaussianPeak } from './gaussian-peak.js';
import { line } from './line.js';
import { lockinRlc } from './lockin-rlc.js';
import { lorentzianDip } from './lorentzian-dip.js';
import { lorentzianFwhm } from './lorentzian-fwhm.js';
import { lorentzianPeak } from './lorentzian-peak.js';
import { rabiCounts } from './rabi-counts.js';

export { exponentialDecay, gaussianPeak, line, lockinRlc, lorentzianDip, lorentzianFwhm, lorentzianPeak, rabiCounts };

/**
 * The built-in models by name, so that a server can be configured without code (a name crosses a
 * thread or a config file; a function does not).
 */
export const BUILTIN_MODELS: Readonly<Record<string, ModelDefinition>> = Object.freeze({
  'lorentzian-dip': lorentzianDip,
  'lorentzian-peak': lorentzianPeak,
  'lorentzian-fwhm': lorentzianFwhm,
  line,
  'gaussian-peak': gaussianPeak,
  'exponential-decay': exponentialDecay,
  'rabi-counts': rabiCounts,
  'lockin-rlc': lockinRlc,
});

/**
 * The built-in model called `name`.
 * @throws {@link UnknownNameError} for an unknown name.
 */
export function builtinModel(name: string): ModelDefinition {
  const m = Object.hasOwn(BUILTIN_MODELS, name) ? BUILTIN_MODELS[name] : undefined;
  if (m === undefined) {
    throw new UnknownNameError(`unknown model '${name}'; built-in models: ${Object.keys(BUILTIN_MODELS).join(', ')}`);
  }
  return m;
}
