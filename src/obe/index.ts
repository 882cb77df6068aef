/**
 * actorwire's OBE service: the optbayesexpt numeric core, its engine in a worker thread, and the
 * OBE TCP server and client (wire-compatible with optbayesexpt's `OBE_Server` and `tcpcmd`). The
 * wire format itself (framing, Python-compatible JSON, commands) is `actorwire/obe/protocol`.
 * @packageDocumentation
 */
// The numeric core's public part; its building blocks (samplers, sums, exp, entropy, utilities,
// setting selection) stay internal: import them from their modules inside the package.
export * from './core/errors.js';
export { Xoshiro128StarStar, type RandomSource } from './core/rng.js';
export { linspace, type KnobValues } from './core/settings-grid.js';
export type { BatchModel, Model, ModelDefinition, PointModel } from './core/model.js';
export * from './core/models/index.js';
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
} from './core/particle-pdf.js';
export type { DifferentialEntropyOptions, EntropyMethod } from './core/differential-entropy.js';
export { UTILITY_METHODS, type UtilityMethod } from './core/utility-methods.js';
export { SELECTION_METHODS, type SelectionMethod } from './core/setting-selection.js';
export {
  DEFAULT_N_DRAWS,
  OptBayesExpt,
  type CheckedRecord,
  type LikelihoodMath,
  type MeasurementRecord,
  type NanPolicy,
  type OptBayesExptConfig,
  type PdfUpdateResult,
} from './core/opt-bayes-expt.js';
export { OptBayesExptNoiseParameter, type OptBayesExptNoiseParameterConfig } from './core/opt-bayes-expt-noise-parameter.js';
export { MeasurementSimulator, type MeasurementSimulatorOptions, type SimdataOptions } from './core/measurement-simulator.js';
export { ParticlePool, type ParticlePoolOptions, type ParticlePoolStats } from './core/parallel/particle-pool.js';
export type { PoolModelShape, PoolModelSource } from './core/parallel/thread-context.js';
export {
  BadArgumentError,
  RunTooLargeError,
  ReplyTooLargeError,
  EngineBusyError,
  EngineCrashedError,
  EngineStoppedError,
  NoRunError,
  ObeCommandError,
  ObeReplyError,
  ObeServiceError,
  RunSpecError,
  type ObeServiceErrorCode,
} from './errors.js';
export {
  DEFAULT_PARTICLES,
  DEMO_RUN_SPEC,
  parseRunSpec,
  samplePrior,
  type KnobSpec,
  type ModelSpec,
  type ParseRunSpecOptions,
  type PriorSpec,
  type RunSpec,
  type RunSpecInts,
} from './run-spec.js';
export type { EngineCommand, EngineInit, EngineOp, EngineOutcome, NewrunGrid, NumberOrList } from './engine-commands.js';
export type { EngineCoreStats } from './engine-snapshot.js';
export { DEFAULT_MAX_REPLY_BYTES } from './engine-host.js';
export { ObeEngineActor, type EngineStats, type EngineStatus, type ObeEngineActorOptions } from './engine-actor.js';
export { OBE_DEFAULT_PORT, ObeServer, type ObeDonePolicy, type ObeNewrunHook, type ObeServerOptions, type ObeServerStats } from './server.js';
export { ObeClient, type ObeClientMode, type ObeClientOptions } from './client.js';
export { DEFAULT_MAX_RUN_BYTES } from './run-budget.js';
