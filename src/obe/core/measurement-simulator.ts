import { ShapeMismatchError } from './errors.js';
import { ModelEvaluator, type Model } from './model.js';
import { builtinModel } from './models/index.js';
import { resolveRandomSource, type RandomSource } from './rng.js';

/** Options of {@link MeasurementSimulator}. */
export interface MeasurementSimulatorOptions {
  /** Injected random source (wins over `seed`). */
  rng?: RandomSource;
  /** Seed of a fresh generator. */
  seed?: number | bigint;
}

/** Per-call overrides of {@link MeasurementSimulator.simdata}. */
export interface SimdataOptions {
  /** Parameters to use instead of the true ones. */
  params?: ArrayLike<number>;
  /** Noise level to use instead of the configured one. */
  noiseLevel?: number | ArrayLike<number>;
}

/**
 * Simulated instrument (optbayesexpt's `obe_utils.MeasurementSimulator`): the model at the true
 * parameters plus Gaussian noise of std `noiseLevel` (a number, or one per channel).
 *
 * @example
 * ```ts
 * const sim = new MeasurementSimulator('lorentzian-dip', [2.5, 0.02, 0.04], [], 0.005, { seed: 3 });
 * const [y] = sim.simdata([2.49]);
 * ```
 */
export class MeasurementSimulator {
  /** The random source of the noise. */
  readonly rng: RandomSource;
  private readonly model: Model;
  private readonly trueParams: Float64Array;
  private readonly constants: readonly number[];
  private readonly noiseLevel: number | Float64Array;
  private evaluator: ModelEvaluator | undefined;

  constructor(model: Model | string, trueParams: ArrayLike<number>, constants: readonly number[], noiseLevel: number | ArrayLike<number>, options: MeasurementSimulatorOptions = {}) {
    this.model = typeof model === 'string' ? builtinModel(model) : model;
    this.trueParams = Float64Array.from(trueParams);
    this.constants = Array.from(constants);
    this.noiseLevel = typeof noiseLevel === 'number' ? noiseLevel : Float64Array.from(noiseLevel);
    this.rng = resolveRandomSource(options.rng, options.seed);
  }

  private evaluatorFor(nSettings: number): ModelEvaluator {
    if (this.evaluator === undefined) {
      this.evaluator = new ModelEvaluator(this.model, nSettings, this.trueParams.length, this.constants, new Float64Array(nSettings), this.trueParams);
    }
    return this.evaluator;
  }

  /** One simulated measurement at `setting` (length S): one value per channel. */
  simdata(setting: number | ArrayLike<number>, options: SimdataOptions = {}): Float64Array {
    const s = typeof setting === 'number' ? [setting] : setting;
    return Float64Array.from(this.simdataOverSettings(Array.from(s, (v) => [v]), options), (row) => row[0]);
  }

  /**
   * Simulated measurements over many settings (`S` rows of G values, e.g. a grid's `allSettings`):
   * `C` rows of G values, with independent noise per point.
   */
  simdataOverSettings(settings: readonly ArrayLike<number>[], options: SimdataOptions = {}): Float64Array[] {
    const g = settings[0]?.length ?? 0;
    const params = options.params === undefined ? this.trueParams : Float64Array.from(options.params);
    if (params.length !== this.trueParams.length) {
      throw new ShapeMismatchError(`expected ${this.trueParams.length} parameters, got ${params.length}`);
    }
    const ev = this.evaluatorFor(settings.length);
    const out = Array.from({ length: ev.nChannels }, () => new Float64Array(g));
    ev.evaluate(settings.map((r) => Float64Array.from(r)), 1, Array.from(params, (v) => Float64Array.of(v)), 0, out, g);
    const level = options.noiseLevel ?? this.noiseLevel;
    out.forEach((row, c) => {
      const sd = typeof level === 'number' ? level : level[c];
      for (let i = 0; i < g; i++) row[i] += sd * this.rng.nextNormal();
    });
    return out;
  }
}
