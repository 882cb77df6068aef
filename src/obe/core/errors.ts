import { ActorwireError } from '../../errors.js';

/**
 * Stable codes of the OBE numeric core. Every error thrown from `src/obe/core` is an
 * {@link ObeCoreError} carrying one of these, and leaves the engine state as it was before the call.
 */
export type ObeCoreErrorCode =
  /** No particle with positive weight has a finite likelihood, or weights given by a caller sum to 0. */
  | 'ZERO_WEIGHTS'
  /** A covariance that neither Cholesky nor the eigen fallback can factor (non-finite entries). */
  | 'COVARIANCE_NOT_FACTORABLE'
  /** A model returned NaN/inf where a finite value is required (every particle, or every setting). */
  | 'MODEL_NOT_FINITE'
  /** Arrays whose lengths or dimensions do not fit together. */
  | 'SHAPE_MISMATCH'
  /** An argument or option outside its domain (negative weight, sigma <= 0, a_param outside [0, 1], ...). */
  | 'INVALID_ARGUMENT'
  /** An unknown utility method, selection method or built-in model name. */
  | 'UNKNOWN_NAME'
  /** A differential-entropy window that does not satisfy `2 <= 2m < n`. */
  | 'ENTROPY_WINDOW'
  /** A thread of the particle pool failed (its model threw, it could not start, or it was closed). */
  | 'POOL_FAILED';

/** Base class of the errors of the OBE numeric core. */
export class ObeCoreError extends ActorwireError {
  declare readonly code: ObeCoreErrorCode;

  constructor(code: ObeCoreErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}

/**
 * Every weight would become 0 (e.g. all likelihoods NaN, or caller-supplied weights that sum to 0).
 * The update is refused and the previous weights are kept (fix of upstream bug B4). Code: `ZERO_WEIGHTS`.
 */
export class ZeroWeightsError extends ObeCoreError {
  constructor(message: string, options?: ErrorOptions) {
    super('ZERO_WEIGHTS', message, options);
  }
}

/** A covariance with non-finite entries: not even the eigen fallback can factor it. Code: `COVARIANCE_NOT_FACTORABLE`. */
export class CovarianceFactorError extends ObeCoreError {
  constructor(message: string, options?: ErrorOptions) {
    super('COVARIANCE_NOT_FACTORABLE', message, options);
  }
}

/** A model produced non-finite output where the engine cannot continue. Code: `MODEL_NOT_FINITE`. */
export class ModelOutputError extends ObeCoreError {
  constructor(message: string, options?: ErrorOptions) {
    super('MODEL_NOT_FINITE', message, options);
  }
}

/** Inputs whose shapes do not agree (row lengths, channel counts, setting length). Code: `SHAPE_MISMATCH`. */
export class ShapeMismatchError extends ObeCoreError {
  constructor(message: string, options?: ErrorOptions) {
    super('SHAPE_MISMATCH', message, options);
  }
}

/** An argument or option outside its domain. Code: `INVALID_ARGUMENT`. */
export class InvalidArgumentError extends ObeCoreError {
  constructor(message: string, options?: ErrorOptions) {
    super('INVALID_ARGUMENT', message, options);
  }
}

/** An unknown method or model name (upstream raised `SyntaxError`). Code: `UNKNOWN_NAME`. */
export class UnknownNameError extends ObeCoreError {
  constructor(message: string, options?: ErrorOptions) {
    super('UNKNOWN_NAME', message, options);
  }
}

/** A differential-entropy window length outside `2 <= 2m < n`. Code: `ENTROPY_WINDOW`. */
export class EntropyWindowError extends ObeCoreError {
  constructor(message: string, options?: ErrorOptions) {
    super('ENTROPY_WINDOW', message, options);
  }
}

/**
 * A thread of the particle pool (`parallel/`) failed: the model threw inside it, it could not load
 * the model or start, or the pool was closed. The call that used the pool changed nothing it
 * reports as done. Code: `POOL_FAILED`.
 */
export class ParticlePoolError extends ObeCoreError {
  constructor(message: string, options?: ErrorOptions) {
    super('POOL_FAILED', message, options);
  }
}
