/**
 * The OBE numeric core: a TypeScript port of optbayesexpt 1.2.0 (sequential Bayesian experiment
 * design) over parameter-major `Float64Array`s, with a seedable RNG and no I/O. Specified in
 * `specs/obe.md` §1–3 and §5–6. Its public part is `./public.ts`; what follows is for the package.
 * @packageDocumentation
 */
export * from './public.js';
export { resolveRandomSource } from './rng.js';
export { expNonPositive } from './fast-exp.js';
export { accurateExp } from './accurate-exp.js';
export { pairwiseSum } from './pairwise-sum.js';
export { factorCovariance, type FactorMethod } from './covariance-factor.js';
export { AliasTable, BlockCdf, buildCdf, searchSortedRight, systematicIndices } from './weighted-sampler.js';
export { autoEntropyMethod, checkEntropyWindow, defaultEntropyWindow, differentialEntropy, entropyOfSorted } from './differential-entropy.js';
export { buildSettingGrid } from './settings-grid.js';
export { ModelEvaluator } from './model.js';
export {
  createUtilityScratch,
  fullKldUtility,
  maxMinUtility,
  pseudoUtility,
  varianceUtility,
  type DrawSpace,
  type UtilityScratch,
} from './utility-methods.js';
export { argmaxUtility, drawFromProbabilities, goodSettingProbabilities } from './setting-selection.js';
export { NATIVE_LIKELIHOOD_MATH } from './opt-bayes-expt.js';
export { traceSort, type SortedTrace } from './trace-sort.js';
