/**
 * The numeric core's public part, what `actorwire/obe` exports of it: the engines, the models, the
 * RNG, the tuning and the particle pool. Its building blocks (samplers, pairwise sums, exp,
 * entropy, utilities, setting selection) are exported by `./index.ts` for the package only.
 * @packageDocumentation
 */
export * from './errors.js';
export { Xoshiro128StarStar, type RandomSource } from './rng.js';
export { linspace, type KnobValues } from './settings-grid.js';
export type { BatchModel, Model, ModelDefinition, PointModel } from './model.js';
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
export type { DifferentialEntropyOptions, EntropyMethod } from './differential-entropy.js';
export { UTILITY_METHODS, type UtilityMethod } from './utility-methods.js';
export { SELECTION_METHODS, type SelectionMethod } from './setting-selection.js';
export {
  DEFAULT_N_DRAWS,
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
export { ParticlePool, type ParticlePoolOptions, type ParticlePoolStats } from './parallel/particle-pool.js';
export type { PoolModelShape, PoolModelSource } from './parallel/thread-context.js';
