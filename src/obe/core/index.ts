/**
 * The OBE numeric core: a TypeScript port of optbayesexpt 1.2.0 (sequential Bayesian experiment
 * design) over parameter-major `Float64Array`s, with a seedable RNG and no I/O. Specified in
 * `specs/obe.md` §1–3 and §5–6.
 * @packageDocumentation
 */
export * from './errors.js';
export { Xoshiro128StarStar, resolveRandomSource, type RandomSource } from './rng.js';
export { expNonPositive } from './fast-exp.js';
export { accurateExp } from './accurate-exp.js';
export { pairwiseSum } from './pairwise-sum.js';
export { factorCovariance, type FactorMethod } from './covariance-factor.js';
export { AliasTable, BlockCdf, buildCdf, searchSortedRight, systematicIndices } from './weighted-sampler.js';
export {
  autoEntropyMethod,
  checkEntropyWindow,
  defaultEntropyWindow,
  differentialEntropy,
  entropyOfSorted,
  type DifferentialEntropyOptions,
  type EntropyMethod,
} from './differential-entropy.js';
export { buildSettingGrid, linspace, type KnobValues } from './settings-grid.js';
export { ModelEvaluator, type BatchModel, type Model, type ModelDefinition, type PointModel } from './model.js';
export * from './models/index.js';
export {
  DEFAULT_POOL_MIN_PARTICLES,
  DEFAULT_TUNING,
  ParticlePDF,
  type ParticlePdfOptions,
  type ParticlePdfStats,
  type ParticleSamples,
  type ResampleReason,
  type ResampleScheme,
  type TuningParameters,
  type UpdateArithmetic,
} from './particle-pdf.js';
export {
  createUtilityScratch,
  fullKldUtility,
  maxMinUtility,
  pseudoUtility,
  UTILITY_METHODS,
  varianceUtility,
  type DrawSpace,
  type UtilityMethod,
  type UtilityScratch,
} from './utility-methods.js';
export { argmaxUtility, drawFromProbabilities, goodSettingProbabilities, SELECTION_METHODS, type SelectionMethod } from './setting-selection.js';
export {
  DEFAULT_N_DRAWS,
  NATIVE_LIKELIHOOD_MATH,
  OptBayesExpt,
  type CheckedRecord,
  type LikelihoodMath,
  type MeasurementRecord,
  type NanPolicy,
  type OptBayesExptConfig,
  type PdfUpdateResult,
} from './opt-bayes-expt.js';
export { OptBayesExptNoiseParameter, type OptBayesExptNoiseParameterConfig } from './opt-bayes-expt-noise-parameter.js';
export { MeasurementSimulator, type MeasurementSimulatorOptions, type SimdataOptions } from './measurement-simulator.js';
export { traceSort, type SortedTrace } from './trace-sort.js';
export { ParticlePool, type ParticlePoolOptions, type ParticlePoolStats } from './parallel/particle-pool.js';
export type { PoolModelShape, PoolModelSource } from './parallel/thread-context.js';
