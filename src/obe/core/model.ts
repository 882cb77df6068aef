import { ShapeMismatchError } from './errors.js';

/**
 * A model evaluated at one point: `settings` has one value per knob (length S), `params` one value
 * per model parameter (length D). Returns the predicted measurement: a number for a one-channel
 * model, or one number per channel.
 *
 * This is the plain-function form of the original `model(settings, parameters, constants)`; the
 * engine calls it once per particle or per grid point. Give a {@link BatchModel} too when speed
 * matters.
 */
export type PointModel = (settings: Float64Array, params: Float64Array, constants: readonly number[]) => number | ArrayLike<number>;

/**
 * The batch form of a model: fills `out[c][i]` for `i < n` and every channel `c`, reading knob `s` at
 * `settings[s][i * settingStride]` and parameter `d` at `params[d][i * paramStride]`. A stride of 0
 * broadcasts one value: the engine uses (stride 0 settings, stride 1 params) to evaluate one setting
 * over all particles, and (stride 1, stride 0) for one parameter vector over the whole grid.
 */
export type BatchModel = (
  settings: readonly Float64Array[],
  settingStride: 0 | 1,
  params: readonly Float64Array[],
  paramStride: 0 | 1,
  constants: readonly number[],
  out: readonly Float64Array[],
  n: number,
) => void;

/** A model with metadata and optional batch form. At least one of `point` and `batch` is required. */
export interface ModelDefinition {
  /** Name, for messages (built-in models use their registry name). */
  readonly name?: string;
  /** Number of measurement channels; detected with one point evaluation when absent. */
  readonly nChannels?: number;
  /** Expected number of model parameters, checked against the prior when given. */
  readonly nParameters?: number;
  /** Expected number of setting knobs, checked against the grid when given. */
  readonly nSettings?: number;
  /** Pointwise form. */
  readonly point?: PointModel;
  /** Batch form (preferred by the engine when present). */
  readonly batch?: BatchModel;
}

/** Anything the engine accepts as a model. */
export type Model = PointModel | ModelDefinition;

/**
 * A model bound to its dimensions: evaluates either form over broadcast rows, reusing scratch
 * buffers (no allocation per call once built).
 */
export class ModelEvaluator {
  /** Number of channels C. */
  readonly nChannels: number;
  /** Name for messages. */
  readonly name: string;
  private readonly batchFn: BatchModel | undefined;
  private readonly pointFn: PointModel | undefined;
  private readonly sBuf: Float64Array;
  private readonly pBuf: Float64Array;

  /**
   * @param probeSetting one setting (length S) and `probeParams` one parameter vector (length D),
   *   used to detect the channel count when the definition does not state it.
   */
  constructor(model: Model, nSettings: number, nParams: number, readonly constants: readonly number[], probeSetting: Float64Array, probeParams: Float64Array) {
    const def: ModelDefinition = typeof model === 'function' ? { point: model } : model;
    if (def.point === undefined && def.batch === undefined) {
      throw new ShapeMismatchError('a model definition needs a point or a batch function');
    }
    this.name = def.name ?? (typeof model === 'function' && model.name !== '' ? model.name : 'model');
    if (def.nParameters !== undefined && def.nParameters !== nParams) {
      throw new ShapeMismatchError(`model '${this.name}' takes ${def.nParameters} parameters, the prior has ${nParams}`);
    }
    if (def.nSettings !== undefined && def.nSettings !== nSettings) {
      throw new ShapeMismatchError(`model '${this.name}' takes ${def.nSettings} setting knobs, the grid has ${nSettings}`);
    }
    this.batchFn = def.batch;
    this.pointFn = def.point;
    this.sBuf = new Float64Array(nSettings);
    this.pBuf = new Float64Array(nParams);
    this.nChannels = def.nChannels ?? this.detectChannels(probeSetting, probeParams);
    if (!(Number.isInteger(this.nChannels) && this.nChannels >= 1)) {
      throw new ShapeMismatchError(`model '${this.name}' must have at least one channel`);
    }
  }

  private detectChannels(setting: Float64Array, params: Float64Array): number {
    if (this.pointFn === undefined) {
      throw new ShapeMismatchError(`model '${this.name}' has only a batch form: declare nChannels`);
    }
    const y = this.pointFn(setting, params, this.constants);
    return typeof y === 'number' ? 1 : y.length;
  }

  /** Evaluates over `n` broadcast points into `out` (C rows of at least `n`). */
  evaluate(
    settings: readonly Float64Array[],
    settingStride: 0 | 1,
    params: readonly Float64Array[],
    paramStride: 0 | 1,
    out: readonly Float64Array[],
    n: number,
  ): void {
    if (this.batchFn !== undefined) {
      this.batchFn(settings, settingStride, params, paramStride, this.constants, out, n);
      return;
    }
    const point = this.pointFn!;
    const s = this.sBuf;
    const p = this.pBuf;
    const nc = this.nChannels;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < s.length; k++) s[k] = settings[k][i * settingStride];
      for (let d = 0; d < p.length; d++) p[d] = params[d][i * paramStride];
      const y = point(s, p, this.constants);
      if (typeof y === 'number') {
        out[0][i] = y;
      } else {
        if (y.length < nc) throw new ShapeMismatchError(`model '${this.name}' returned ${y.length} channels, expected ${nc}`);
        for (let c = 0; c < nc; c++) out[c][i] = y[c];
      }
    }
  }
}
