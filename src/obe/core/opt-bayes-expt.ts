import { accurateExp } from './accurate-exp.js';
import { InvalidArgumentError, ModelOutputError, ShapeMismatchError, UnknownNameError, ZeroWeightsError } from './errors.js';
import { expNonPositive } from './fast-exp.js';
import { isDirectPlan, likelihoodRange, productLeaves, UpdateChunks, type LikelihoodPlan } from './likelihood-products.js';
import { ModelEvaluator, type Model } from './model.js';
import { builtinModel } from './models/index.js';
import type { ParticlePool } from './parallel/particle-pool.js';
import type { PoolModelSource } from './parallel/thread-context.js';
import { ParticlePDF, type ParticlePdfOptions, type ParticleSamples } from './particle-pdf.js';
import { argmaxUtility, drawFromProbabilities, goodSettingProbabilities, SELECTION_METHODS, type SelectionMethod } from './setting-selection.js';
import { buildSettingGrid, type KnobValues } from './settings-grid.js';
import {
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

/**
 * One measurement, the original's `(settings, y, sigma)` record (the `x`, `y`, `s` of `newdat`).
 * `y` and `sigma` are a number or one value per channel; channels are zipped to the shortest, so
 * extra entries are ignored (as in the original).
 */
export interface MeasurementRecord {
  /** The setting combination measured (length S; a number for one knob). */
  readonly settings: number | ArrayLike<number>;
  /** Measured value(s). */
  readonly y: number | ArrayLike<number>;
  /** Noise standard deviation(s); required by {@link OptBayesExpt}, ignored by the noise-parameter engine. */
  readonly sigma?: number | ArrayLike<number>;
}

/**
 * What to do with particles whose model output is NaN during an update: `'zero-weight'` (the
 * original's `nan_to_num` behaviour; the default) or `'throw'` ({@link ModelOutputError}, state
 * unchanged). Either way an update where every particle is NaN throws.
 */
export type NanPolicy = 'zero-weight' | 'throw';

/**
 * The elementary functions of the likelihood. The default is {@link accurateExp} (correctly rounded
 * but for about 1 argument in 10 000, where V8's `Math.exp`, fdlibm's, misses on about 1 in 12)
 * and `Math.pow`; a test seam replaces them with NumPy's own values to check the rest of the
 * arithmetic bit for bit.
 */
export interface LikelihoodMath {
  exp(x: number): number;
  pow(x: number, y: number): number;
}

/** {@link accurateExp} and `Math.pow`. */
export const NATIVE_LIKELIHOOD_MATH: LikelihoodMath = Object.freeze({ exp: accurateExp, pow: Math.pow });

/**
 * A measurement record checked once per update: the `nc` channels it covers (model channels, y
 * and σ zipped to the shortest) and their values; `sigmas` is absent where σ comes from elsewhere
 * (the noise-parameter engine).
 */
export interface CheckedRecord {
  readonly nc: number;
  readonly ys: ArrayLike<number>;
  readonly sigmas?: ArrayLike<number>;
}

/** Construction parameters of {@link OptBayesExpt}: all plain data except a user model function. */
export interface OptBayesExptConfig extends ParticlePdfOptions {
  /** The model: a built-in name (see `BUILTIN_MODELS`), a point function, or a definition. */
  model: Model | string;
  /** The candidate values of each setting knob (the original's `setting_values`). */
  settingValues: readonly KnobValues[];
  /** Prior samples, parameter-major `D × N` (copied). */
  prior: ParticleSamples;
  /** Model constants (the original's `cons`). Default `[]`. */
  constants?: readonly number[];
  /** K, parameter draws per utility evaluation. Default 30. */
  nDraws?: number;
  /** Exponent applied to the likelihood (`L ** choke`), or null. Default null. */
  choke?: number | null;
  /** Default `'variance_approx'`. */
  utilityMethod?: UtilityMethod;
  /** Default `'optimal'`. */
  selectionMethod?: SelectionMethod;
  /** Default pickiness of `goodSetting`. Default 15. */
  pickiness?: number;
  /** Noise std assumed by the utility: a number, or one per channel (B9 fixed). Default 1. */
  defaultNoiseStd?: number | ArrayLike<number>;
  /** Measurement cost: a number or one per grid point (used by `costEstimate`). Default 1. */
  cost?: number | ArrayLike<number>;
  /** Default `'zero-weight'`. */
  nanPolicy?: NanPolicy;
  /** The `exp` and `pow` of the likelihood (a test seam). Default {@link NATIVE_LIKELIHOOD_MATH}. */
  likelihoodMath?: LikelihoodMath;
}

/** Result of {@link OptBayesExpt.pdfUpdate}: live views of the particles and weights. */
export interface PdfUpdateResult {
  readonly particles: readonly Float64Array[];
  readonly weights: Float64Array;
}

/** Number of parameter draws used when none is given (the original's `N_DRAWS` default). */
export const DEFAULT_N_DRAWS = 30;

/** Smallest draw space (K × grid points) whose model evaluations go to the pool (measured, docs/OBE-NUMERICS.md). */
const POOL_MIN_DRAW_SPACE = 100_000;

/**
 * The update result, with `weights` as an own, enumerable getter that reads the PDF when accessed:
 * an update whose caller never looks at the weights does not pay for normalising them, and the
 * object still spreads and serialises like a plain record.
 */
function updateResult(pdf: ParticlePDF): PdfUpdateResult {
  return {
    particles: pdf.particles,
    get weights() {
      return pdf.weights;
    },
  };
}

/**
 * The fused Gaussian update over particles `from..to`: `out[j] = w[j]·exp(−((y − yObs)·inv)²/2)`
 * with the model output of particle j at `y[j − yBase]`; adds the sum of the products and of their
 * squares to `acc[0]` and `acc[1]`. A NaN model output gives 0.
 */
function gaussianProducts(
  y: Float64Array,
  yBase: number,
  w: Float64Array,
  out: Float64Array,
  from: number,
  to: number,
  yObs: number,
  inv: number,
  acc: Float64Array,
): void {
  let s = 0;
  let q = 0;
  for (let j = from; j < to; j++) {
    const r = (y[j - yBase] - yObs) * inv;
    const v = w[j] * expNonPositive(-0.5 * r * r);
    out[j] = v;
    s += v;
    q += v * v;
  }
  acc[0] += s;
  acc[1] += q;
}

function countNaN(rows: readonly Float64Array[], nc: number, n: number): number {
  let nan = 0;
  for (let c = 0; c < nc; c++) {
    const row = rows[c];
    for (let j = 0; j < n; j++) if (row[j] !== row[j]) nan++;
  }
  return nan;
}

function asList(v: number | ArrayLike<number>): ArrayLike<number> {
  return typeof v === 'number' ? [v] : v;
}

/**
 * Sequential Bayesian experiment design (optbayesexpt's `OptBayesExpt`, spec §2): a
 * {@link ParticlePDF} over model parameters plus a grid of candidate settings, a utility per setting,
 * and the three ways to choose the next setting.
 *
 * One call per command of the OBE server: `optSetting` (optset), `goodSetting` (goodset, with an
 * optional pickiness), `pdfUpdate` (newdat), `mean`/`std`/`covariance` (getmean/getstd/getcov),
 * `particles`/`weights` (getpar, getpdf/getwgt), `allSettings` (getset), `constants` (getcon).
 * Everything in the state is typed arrays and plain numbers; a built-in model is chosen by name.
 *
 * @example
 * ```ts
 * const obe = new OptBayesExpt({
 *   model: 'lorentzian-dip',
 *   settingValues: [linspace(2, 3, 200)],
 *   prior: [f0Samples, aSamples, lwSamples],
 *   scale: false,
 *   seed: 7,
 * });
 * const [f] = obe.goodSetting(6);
 * obe.pdfUpdate({ settings: [f], y: measure(f), sigma: 0.005 });
 * obe.mean();
 * ```
 */
export class OptBayesExpt extends ParticlePDF {
  /** Model constants. */
  readonly constants: readonly number[];
  /** Number of measurement channels C. */
  readonly nChannels: number;
  /** Default pickiness of {@link goodSetting}. */
  pickiness: number;
  /** Index into the grid of the setting chosen last. */
  lastSettingIndex = 0;
  /** What to do with NaN model outputs during an update. */
  nanPolicy: NanPolicy;
  /** The measurement cost returned by the default {@link costEstimate}. */
  cost: number | Float64Array;
  /** The `exp` and `pow` of the likelihood. */
  protected readonly math: LikelihoodMath;

  private chokeValue: number | null = null;
  private grid: Float64Array[] = [];
  private readonly evaluator: ModelEvaluator;
  private utilityName: UtilityMethod = 'variance_approx';
  private selectionName: SelectionMethod = 'optimal';
  private readonly noiseStd: Float64Array;
  private kDraws = DEFAULT_N_DRAWS;
  // Scratch, reused across calls.
  private readonly settingRows: Float64Array[];
  private readonly drawRows: Float64Array[];
  private yModel: Float64Array[] = [];
  private ll: Float64Array = new Float64Array(0);
  private drawIdx: Int32Array = new Int32Array(0);
  private ySpace!: DrawSpace;
  private yViews: Float64Array[][] = [];
  private uScratch!: UtilityScratch;
  private uOut: Float64Array = new Float64Array(0);
  private probs: Float64Array = new Float64Array(0);
  private probCdf: Float64Array = new Float64Array(0);
  private chunks!: UpdateChunks;
  private productSumsByLeaf: Float64Array = new Float64Array(0);
  private yChunk: Float64Array[] = [];
  private lChunk: Float64Array = new Float64Array(0);
  private readonly productSums = new Float64Array(2);
  private readonly builtinName: string | undefined;
  /** The model's id in the particle pool, once {@link attachPoolModel} loaded it there. */
  private poolModel: number | undefined;
  /** The K drawn parameter vectors of the utility, draw-major (`K × D`), for the pool. */
  private drawParams: Float64Array = new Float64Array(0);
  /** The utility's noise variances and per-setting cost, copied where the pool's threads read them. */
  private noiseVarShared: Float64Array = new Float64Array(0);
  private costShared: Float64Array = new Float64Array(0);

  constructor(config: OptBayesExptConfig) {
    super(config.prior, config);
    this.constants = Object.freeze(Array.from(config.constants ?? []));
    this.grid = this.shared(buildSettingGrid(config.settingValues));
    const model = typeof config.model === 'string' ? builtinModel(config.model) : config.model;
    this.builtinName = typeof config.model === 'string' ? config.model : undefined;
    const probeSetting = Float64Array.from(this.grid, (row) => row[0]);
    const probeParams = Float64Array.from(this.particles, (row) => row[0]);
    this.evaluator = new ModelEvaluator(model, this.grid.length, this.nDims, this.constants, probeSetting, probeParams);
    this.nChannels = this.evaluator.nChannels;
    this.settingRows = this.grid.map(() => new Float64Array(1));
    this.drawRows = this.particles.map(() => new Float64Array(1));
    this.choke = config.choke ?? null;
    this.pickiness = config.pickiness ?? 15;
    this.nanPolicy = config.nanPolicy ?? 'zero-weight';
    this.math = config.likelihoodMath ?? NATIVE_LIKELIHOOD_MATH;
    this.cost = typeof config.cost === 'object' ? Float64Array.from(config.cost) : (config.cost ?? 1);
    const std = config.defaultNoiseStd ?? 1;
    if (typeof std !== 'number' && std.length !== this.nChannels) {
      throw new ShapeMismatchError(`defaultNoiseStd has ${std.length} values for ${this.nChannels} channels`);
    }
    this.noiseStd = Float64Array.from({ length: this.nChannels }, (_, c) => (typeof std === 'number' ? std : std[c]));
    this.utilityMethod = config.utilityMethod ?? 'variance_approx';
    this.selectionMethod = config.selectionMethod ?? 'optimal';
    this.resizeParticleScratch();
    this.setNDraws(config.nDraws ?? DEFAULT_N_DRAWS);
  }

  /**
   * Loads the model in the threads of the particle pool (`config.pool`), so that the update's model
   * and likelihood and the utility's model evaluations are split between them too. `source`
   * names the model as every thread can load it: a built-in name (the default when the engine was
   * given one) or a module and export. Without it the pool still splits the sums and moments.
   * @throws {@link InvalidArgumentError} without a pool, or without a source for a model given as code;
   *   {@link ParticlePoolError} if a thread cannot load it.
   */
  async attachPoolModel(source?: PoolModelSource): Promise<void> {
    const pool = this.pool;
    if (pool === undefined) throw new InvalidArgumentError('attachPoolModel needs an engine created with a pool');
    const src = source ?? (this.builtinName === undefined ? undefined : { builtin: this.builtinName });
    if (src === undefined) throw new InvalidArgumentError('a model given as code needs a module source to run in the pool');
    this.poolModel = await pool.addModel(src, { nSettings: this.grid.length, nParams: this.nDims, nChannels: this.nChannels, constants: this.constants });
  }

  /** Rows copied into the pool's shared memory when there is a pool (as they are otherwise). */
  private shared(rows: Float64Array[]): Float64Array[] {
    return this.pool === undefined ? rows : rows.map((row) => {
      const out = this.allocate(row.length);
      out.set(row);
      return out;
    });
  }

  /**
   * Replaces the particles (and weights) as {@link ParticlePDF.setPdf} does; the number of model
   * parameters must stay the same. The model is evaluated on the new particles from then on (B1 fixed).
   * @throws {@link ShapeMismatchError} for a different number of parameter rows (state unchanged).
   */
  override setPdf(samples: ParticleSamples, weights?: ArrayLike<number>): void {
    if (samples.length !== this.nDims) {
      throw new ShapeMismatchError(`the engine has ${this.nDims} parameters, got ${samples.length} rows`);
    }
    super.setPdf(samples, weights);
  }

  protected override particlesReplaced(reshaped: boolean): void {
    // Runs inside the ParticlePDF constructor too, before this class's fields exist.
    if (reshaped && this.evaluator !== undefined) this.resizeParticleScratch();
  }

  private resizeParticleScratch(): void {
    const n = this.nParticles;
    if (this.drawRows.length !== this.nDims) {
      throw new ShapeMismatchError(`the engine was built for ${this.drawRows.length} parameters, got ${this.nDims}`);
    }
    this.yModel = Array.from({ length: this.nChannels }, () => new Float64Array(n));
    this.chunks = new UpdateChunks(this.pairwiseTree);
    this.productSumsByLeaf = this.allocate(this.pairwiseTree.leafCount);
    this.yChunk = Array.from({ length: this.nChannels }, () => new Float64Array(this.chunks.maxLength));
    this.lChunk = new Float64Array(this.chunks.maxLength);
    this.ll = new Float64Array(n);
  }

  /** Exponent applied to the likelihood (`L ** choke`), or null. Must be finite and >= 0. */
  get choke(): number | null {
    return this.chokeValue;
  }

  set choke(value: number | null) {
    if (value !== null && !(value >= 0 && value < Infinity)) {
      throw new InvalidArgumentError(`choke must be finite and >= 0, got ${value}`);
    }
    this.chokeValue = value;
  }

  /** The setting grid, `S` rows of `G` values (the original's `allsettings`, ij order). Live. */
  get allSettings(): readonly Float64Array[] {
    return this.grid;
  }

  /** Number of grid points G. */
  get nSettings(): number {
    return this.grid[0].length;
  }

  /** The particles the model is evaluated on: the same store as {@link particles} (B1 fixed). */
  get parameters(): readonly Float64Array[] {
    return this.particles;
  }

  /** K, the number of parameter draws per utility evaluation. */
  get nDraws(): number {
    return this.kDraws;
  }

  /** Name of the utility method. Setting it to an unknown name throws {@link UnknownNameError}. */
  get utilityMethod(): UtilityMethod {
    return this.utilityName;
  }

  set utilityMethod(name: UtilityMethod) {
    if (!UTILITY_METHODS.includes(name)) throw new UnknownNameError(`unknown utility method '${String(name)}'`);
    this.utilityName = name;
  }

  /** Name of the selection method used by {@link getSetting}. */
  get selectionMethod(): SelectionMethod {
    return this.selectionName;
  }

  set selectionMethod(name: SelectionMethod) {
    if (!SELECTION_METHODS.includes(name)) throw new UnknownNameError(`unknown selection method '${String(name)}'`);
    this.selectionName = name;
  }

  /**
   * Sets K: `'default'` gives 30, a positive integer sets it, `null`/`undefined`/0 keeps it. Always
   * reallocates the draw space. Returns K.
   */
  setNDraws(n?: number | 'default' | null): number {
    if (n === 'default') n = DEFAULT_N_DRAWS;
    if (n !== undefined && n !== null && n !== 0) {
      if (!(Number.isInteger(n) && n > 0)) throw new InvalidArgumentError(`nDraws must be a positive integer, got ${n}`);
      this.kDraws = n;
    }
    this.allocateDrawSpace();
    return this.kDraws;
  }

  /**
   * Replaces the setting grid (e.g. for the server's `newrun`), keeping the particles. The number of
   * knobs must stay the same. A per-setting cost array no longer fits and is reset to 1.
   */
  setSettingValues(knobs: readonly KnobValues[]): void {
    const grid = buildSettingGrid(knobs);
    if (grid.length !== this.grid.length) {
      throw new ShapeMismatchError(`the model takes ${this.grid.length} setting knobs, got ${grid.length}`);
    }
    this.giveBack(this.grid);
    this.grid = this.shared(grid);
    if (typeof this.cost !== 'number' && this.cost.length !== this.nSettings) this.cost = 1;
    this.lastSettingIndex = 0;
    this.allocateDrawSpace();
  }

  private allocateDrawSpace(): void {
    const k = this.kDraws;
    const c = this.nChannels;
    const g = this.nSettings;
    // The previous draw space (another K or grid) goes back to the pool, if there is one.
    this.giveBack([this.ySpace?.values, this.drawParams, this.uOut, this.costShared]);
    const values = this.allocate(k * c * g);
    this.drawParams = this.allocate(k * this.nDims);
    this.ySpace = { values, nDraws: k, nChannels: c, nSettings: g };
    this.yViews = Array.from({ length: k }, (_, i) =>
      Array.from({ length: c }, (_, ch) => values.subarray((i * c + ch) * g, (i * c + ch + 1) * g)),
    );
    this.uScratch = createUtilityScratch(k, g);
    this.drawIdx = new Int32Array(k);
    this.uOut = this.allocate(g);
    this.costShared = this.allocate(typeof this.cost === 'number' ? 0 : g);
    this.probs = new Float64Array(g);
    this.probCdf = new Float64Array(g);
  }

  /** The setting combination at grid index `i`, as plain numbers (length S). */
  settingAt(i: number): number[] {
    return this.grid.map((row) => row[i]);
  }

  private checkSetting(settings: number | ArrayLike<number>): ArrayLike<number> {
    const s = asList(settings);
    if (s.length !== this.grid.length) {
      throw new ShapeMismatchError(`a setting has ${this.grid.length} values, got ${s.length}`);
    }
    for (let k = 0; k < s.length; k++) {
      if (!Number.isFinite(s[k])) throw new InvalidArgumentError(`setting value ${k} is ${s[k]}`);
    }
    return s;
  }

  /**
   * The model at one setting over all particles, `C` rows of length N. Without `out`, the rows are
   * the engine's scratch (valid until the next call).
   */
  evalOverAllParameters(settings: number | ArrayLike<number>, out: readonly Float64Array[] = this.yModel): readonly Float64Array[] {
    this.setSettingRows(settings);
    this.evaluator.evaluate(this.settingRows, 0, this.particles, 1, out, this.nParticles);
    return out;
  }

  /** Checks a setting and stores it as the one-value rows the evaluator broadcasts. */
  private setSettingRows(settings: number | ArrayLike<number>): void {
    const s = this.checkSetting(settings);
    for (let k = 0; k < s.length; k++) this.settingRows[k][0] = s[k];
  }

  /** The model for one parameter vector (length D) over the whole grid: `C` new rows of length G. */
  evalOverAllSettings(params: ArrayLike<number>): Float64Array[] {
    if (params.length !== this.nDims) throw new ShapeMismatchError(`expected ${this.nDims} parameters, got ${params.length}`);
    const rows = Array.from(params, (v) => Float64Array.of(v));
    const out = Array.from({ length: this.nChannels }, () => new Float64Array(this.nSettings));
    this.evaluator.evaluate(this.grid, 1, rows, 0, out, this.nSettings);
    return out;
  }

  /**
   * Log-likelihood of `record` for every particle, given the model outputs `yModel` (`C × N`):
   * `ℓ_j = choke · Σ_c (−((y_model[c][j] − y_c)/σ_c)²/2 − ln σ_c)`, channels zipped to the shortest
   * of model, y and σ. Returns max_j ℓ_j when it is known for free (one channel), else NaN.
   * Subclasses override this (the noise-parameter engine does).
   * @throws {@link InvalidArgumentError} for a missing or non-positive σ or a non-finite y.
   */
  logLikelihood(yModel: readonly Float64Array[], record: MeasurementRecord, out: Float64Array): number {
    const { nc, ys, sigmas } = this.checkRecord(record);
    const sig = sigmas as ArrayLike<number>;
    const n = this.nParticles;
    if (nc === 0) out.fill(0, 0, n);
    let max = nc === 0 ? 0 : -Infinity;
    for (let c = 0; c < nc; c++) {
      const y = ys[c];
      const inv = 1 / sig[c];
      const lnS = Math.log(sig[c]);
      const ym = yModel[c];
      if (c === 0 && nc === 1) {
        // The common single-channel case also tracks the maximum, saving the update a pass.
        for (let j = 0; j < n; j++) {
          const r = (ym[j] - y) * inv;
          const v = -0.5 * r * r - lnS;
          out[j] = v;
          if (v > max) max = v;
        }
      } else if (c === 0) {
        for (let j = 0; j < n; j++) {
          const r = (ym[j] - y) * inv;
          out[j] = -0.5 * r * r - lnS;
        }
      } else {
        for (let j = 0; j < n; j++) {
          const r = (ym[j] - y) * inv;
          out[j] += -0.5 * r * r - lnS;
        }
      }
    }
    if (nc > 1) max = Number.NaN;
    return this.applyChoke(out, max);
  }

  /**
   * Checks a record and zips its channels to the shortest of model, y and σ (as the original's
   * `zip`). Subclasses whose σ comes from elsewhere override it.
   * @throws {@link InvalidArgumentError} for a missing or non-positive σ or a non-finite y.
   */
  protected checkRecord(record: MeasurementRecord): CheckedRecord {
    if (record.sigma === undefined) throw new InvalidArgumentError('the measurement record needs a sigma');
    const ys = asList(record.y);
    const sigmas = asList(record.sigma);
    const nc = Math.min(this.nChannels, ys.length, sigmas.length);
    for (let c = 0; c < nc; c++) {
      const sc = sigmas[c];
      if (!(sc > 0 && sc < Infinity)) throw new InvalidArgumentError(`sigma must be finite and > 0, got ${sc}`);
      if (!Number.isFinite(ys[c])) throw new InvalidArgumentError(`measured y must be finite, got ${ys[c]}`);
    }
    return { nc, ys, sigmas };
  }

  /**
   * The original's likelihood (spec §2.5) of a checked record as plain data:
   * `Π_c exp(−((y_model − y_c)/σ_c)²/2)/σ_c` with the channels multiplied in order and each factor
   * in exactly that order of operations, then `** choke` when set (see `likelihood-products.ts`).
   * Subclasses whose σ comes from elsewhere override it.
   */
  protected likelihoodPlan(rec: CheckedRecord): LikelihoodPlan {
    const sig = rec.sigmas as ArrayLike<number>;
    return {
      nc: rec.nc,
      ys: Float64Array.from({ length: rec.nc }, (_, c) => rec.ys[c]),
      sigmas: Float64Array.from({ length: rec.nc }, (_, c) => sig[c]),
      sigmaRows: new Int32Array(rec.nc).fill(-1),
      choke: this.chokeValue ?? Number.NaN,
    };
  }

  /**
   * Multiplies log-likelihoods by `choke` when set, and carries the maximum along (NaN when unknown).
   * Returns the maximum, which {@link pdfUpdate} passes on as a hint.
   */
  protected applyChoke(out: Float64Array, max: number): number {
    if (this.choke === null) return max;
    const ch = this.choke;
    for (let j = 0; j < this.nParticles; j++) out[j] *= ch;
    return max * ch;
  }

  /**
   * The (linear) likelihood of `record` per particle, as the original's `likelihood()`
   * (`Π_c exp(−((y_model − y_c)/σ_c)²/2)/σ_c`, then `** choke`; see {@link likelihoodRange}). A new array.
   */
  likelihood(yModel: readonly Float64Array[], record: MeasurementRecord): Float64Array {
    const out = new Float64Array(this.nParticles);
    likelihoodRange(this.likelihoodPlan(this.checkRecord(record)), yModel, 0, this.particles, 0, out.length, out, this.math);
    return out;
  }

  /**
   * Bayesian update with one measurement (the `newdat` command): evaluates the model at the
   * measured setting over all particles (unless `yModel` is given), computes the likelihood,
   * updates and, if `autoResample`, resamples when the effective sample size is low; after a
   * resample runs {@link enforceParameterConstraints}.
   *
   * With the default arithmetic (`tuningParameters.arithmetic = 'original'`) this is the original's
   * `pdf_update` operation for operation: {@link likelihoodRange}, `nan_to_num(w·L)`, the pairwise
   * sum, the division (see {@link ParticlePDF.bayesianUpdate}); the model runs chunk by chunk and
   * each chunk is consumed at once. Where that result would be all zeros or not finite (B4), the
   * update runs in log space and is counted in {@link stats}. With `'fast'` see {@link UpdateArithmetic}.
   * @throws {@link ModelOutputError} if the model is NaN for every particle (or for any, with
   *   `nanPolicy: 'throw'`); {@link ZeroWeightsError} if no particle keeps weight. The state is
   *   unchanged when it throws.
   */
  pdfUpdate(record: MeasurementRecord, yModel?: readonly Float64Array[]): PdfUpdateResult {
    if (yModel !== undefined) {
      if (yModel.length < this.nChannels || yModel.some((row) => row.length !== this.nParticles)) {
        throw new ShapeMismatchError(`yModel must be ${this.nChannels} rows of ${this.nParticles} values`);
      }
    } else {
      this.setSettingRows(record.settings);
    }
    if (this.tuningParameters.arithmetic === 'fast') {
      if (!this.fusedUpdate(record, yModel)) this.logSpaceUpdate(record, yModel);
    } else {
      const rec = this.checkRecord(record);
      let ym = yModel;
      if (this.nanPolicy === 'throw') {
        ym ??= this.evaluateAll();
        this.refuseNaN(ym);
      }
      if (!this.commitProducts(this.likelihoodProducts(rec, ym))) {
        this.logSpaceUpdate(record, ym);
        this.countLogSpaceUpdate();
      }
    }
    if (this.justResampled) this.enforceParameterConstraints();
    return updateResult(this);
  }

  /** The model at the setting in `settingRows` over all particles, into the engine's scratch. */
  private evaluateAll(): readonly Float64Array[] {
    this.evaluator.evaluate(this.settingRows, 0, this.particles, 1, this.yModel, this.nParticles);
    return this.yModel;
  }

  private refuseNaN(ym: readonly Float64Array[]): void {
    const nan = countNaN(ym, this.nChannels, this.nParticles);
    if (nan > 0) throw new ModelOutputError(`model '${this.evaluator.name}' returned NaN for ${nan} outputs; update refused`);
  }

  /**
   * `nan_to_num(w·L)` into {@link productScratch}, chunk by chunk ({@link productLeaves}): without
   * `yModel` the model is evaluated per chunk (the setting is in `settingRows`) into a buffer that
   * stays in cache, and each pairwise leaf of the products is summed while in cache. Returns
   * `Σ tmp` in NumPy's pairwise order.
   */
  private likelihoodProducts(rec: CheckedRecord, yModel: readonly Float64Array[] | undefined): number {
    const plan = this.likelihoodPlan(rec);
    const chunks = this.chunks;
    const sums = this.productSumsByLeaf;
    const direct = this.math === NATIVE_LIKELIHOOD_MATH && isDirectPlan(plan);
    const pool = this.activePool();
    if (pool !== undefined && this.poolModel !== undefined && yModel === undefined && this.math === NATIVE_LIKELIHOOD_MATH) {
      const setting = this.settingRows.map((row) => row[0]);
      pool.run('products', chunks.count, {
        arrays: [this.weights, this.productScratch, sums, ...this.particles],
        ints: [this.poolModel, direct ? 1 : 0, plan.nc, ...plan.sigmaRows],
        numbers: [this.nParticles, plan.choke, ...setting, ...plan.ys, ...plan.sigmas],
      });
      return chunks.tree.combine(sums);
    }
    productLeaves(
      {
        chunks,
        plan,
        math: this.math,
        direct,
        evaluator: this.evaluator,
        settingRows: this.settingRows,
        rows: this.particles,
        yModel,
        w: this.weights,
        tmp: this.productScratch,
        yChunk: this.yChunk,
        lChunk: this.lChunk,
      },
      0,
      chunks.count,
      sums,
    );
    return chunks.tree.combine(sums);
  }

  /**
   * The update in log space (the `'fast'` arithmetic's general path, and the B4 fallback): the
   * log-likelihood, then {@link ParticlePDF.updateWithLogLikelihood}.
   */
  private logSpaceUpdate(record: MeasurementRecord, yModel: readonly Float64Array[] | undefined): void {
    const ym = yModel ?? this.evaluateAll();
    const ll = this.ll;
    const maxLl = this.logLikelihood(ym, record, ll);
    if (this.nanPolicy === 'throw') this.refuseNaN(ym);
    try {
      this.updateWithLogLikelihood(ll, maxLl);
    } catch (err) {
      // Tell a broken model apart from data that rules out every particle.
      if (err instanceof ZeroWeightsError && countNaN(ym, this.nChannels, this.nParticles) > 0) {
        throw new ModelOutputError(`model '${this.evaluator.name}' returned NaN for every particle with weight; update refused`, { cause: err });
      }
      throw err;
    }
  }

  /**
   * The `'fast'` arithmetic's common case in one sweep: one channel, no choke, the base-class
   * likelihood and NaN policy `'zero-weight'`. The products `w_j · exp(−r_j²/2)` are taken against the a-priori bound
   * `max ℓ <= −ln σ` (r = 0), so no maximum is needed first. Without `yModel` the model is evaluated
   * chunk by chunk into a small buffer (the setting is in `settingRows`) and each chunk is consumed
   * at once, so its output never travels through memory; the products become the weights without a
   * normalising pass. Returns false, having changed nothing, when the case does not apply or the
   * products are too small to be exact (then the general log-space path runs).
   */
  private fusedUpdate(record: MeasurementRecord, yModel: readonly Float64Array[] | undefined): boolean {
    if (this.choke !== null || this.nanPolicy !== 'zero-weight' || this.logLikelihood !== OptBayesExpt.prototype.logLikelihood) return false;
    const ys = asList(record.y);
    const sig = record.sigma === undefined ? [] : asList(record.sigma);
    if (Math.min(this.nChannels, ys.length, sig.length) !== 1) return false;
    const y = ys[0];
    const sigma = sig[0];
    if (!(sigma > 0 && sigma < Infinity && Number.isFinite(y))) return false;
    const inv = 1 / sigma;
    const w = this.rawWeights;
    const out = this.productScratch;
    const n = this.nParticles;
    const acc = this.productSums;
    acc[0] = 0;
    acc[1] = 0;
    if (yModel !== undefined) {
      gaussianProducts(yModel[0], 0, w, out, 0, n, y, inv, acc);
    } else {
      const chunks = this.chunks;
      const yc = this.yChunk;
      for (let c = 0; c < chunks.count; c++) {
        const from = chunks.start[c];
        const to = chunks.start[c + 1];
        this.evaluator.evaluate(this.settingRows, 0, chunks.rowsOf(this.particles, c), 1, yc, to - from);
        gaussianProducts(yc[0], from, w, out, from, to, y, inv, acc);
      }
    }
    // Below ~1e-290 the products may have lost precision to subnormals: redo it exactly.
    if (!(acc[0] > 1e-290)) return false;
    this.commitUnnormalisedProducts(acc[0], acc[1]);
    return true;
  }

  /**
   * Noise variance per channel assumed by the utility (length C). Default `defaultNoiseStd²`.
   * Subclasses override it.
   */
  yvarNoiseModel(): Float64Array {
    return this.noiseStd.map((s) => s * s);
  }

  /** Measurement cost: a number, or one value per grid point. Default {@link cost}. Subclasses override it. */
  costEstimate(): number | ArrayLike<number> {
    return this.cost;
  }

  /** Called after every resample inside {@link pdfUpdate}; a no-op here. Subclasses override it. */
  enforceParameterConstraints(): void {}

  /**
   * The utility of every grid point (length G, a new array), from K particles drawn ∝ weight.
   * `full_kld_utility` draws its noise sample from the engine RNG.
   */
  utility(): Float64Array {
    return Float64Array.from(this.computeUtility());
  }

  /**
   * The utility for given parameter draws (`D` rows of K values, the columns `randdraw(K)` would
   * return) and, for `full_kld_utility`, given standard-normal noise (`C·K` values, channel-major as
   * the original reshapes it). Deterministic; a new array.
   */
  utilityForDraws(draws: readonly ArrayLike<number>[], standardNormalNoise?: ArrayLike<number>): Float64Array {
    const k = this.kDraws;
    if (draws.length !== this.nDims || draws.some((row) => row.length !== k)) {
      throw new ShapeMismatchError(`draws must be ${this.nDims} rows of ${k} values`);
    }
    for (let i = 0; i < k; i++) {
      for (let d = 0; d < this.nDims; d++) this.drawRows[d][0] = draws[d][i];
      this.evaluator.evaluate(this.grid, 1, this.drawRows, 0, this.yViews[i], this.nSettings);
    }
    if (standardNormalNoise !== undefined && standardNormalNoise.length !== k * this.nChannels) {
      throw new ShapeMismatchError(`noise must have ${k * this.nChannels} values`);
    }
    return Float64Array.from(this.utilityOfDrawSpace(standardNormalNoise));
  }

  /** Utility into the engine's scratch (valid until the next call). */
  private computeUtility(): Float64Array {
    const k = this.kDraws;
    const idx = this.drawIdx;
    this.drawIndices(k, idx);
    const rows = this.particles;
    const pool = this.pool;
    if (pool !== undefined && this.poolModel !== undefined && k * this.nSettings >= POOL_MIN_DRAW_SPACE) {
      // The K draws' model over the grid, split by grid points.
      const dims = this.nDims;
      const draws = this.drawParams;
      for (let i = 0; i < k; i++) for (let d = 0; d < dims; d++) draws[i * dims + d] = rows[d][idx[i]];
      if (this.utilityName === 'variance_approx') return this.pooledVarianceUtility(pool, this.poolModel, draws);
      pool.run('drawSpace', this.nSettings, { arrays: [this.ySpace.values, draws, ...this.grid], ints: [this.poolModel, k, 0], numbers: [] });
    } else {
      for (let i = 0; i < k; i++) {
        const j = idx[i];
        for (let d = 0; d < this.nDims; d++) this.drawRows[d][0] = rows[d][j];
        this.evaluator.evaluate(this.grid, 1, this.drawRows, 0, this.yViews[i], this.nSettings);
      }
    }
    return this.utilityOfDrawSpace(undefined);
  }

  /** `variance_approx` with the model's evaluations and the variances split by grid point between the pool's threads. */
  private pooledVarianceUtility(pool: ParticlePool, model: number, draws: Float64Array): Float64Array {
    const cost = this.costEstimate();
    const g = this.nSettings;
    if (typeof cost !== 'number' && cost.length !== g) throw new ShapeMismatchError(`cost has ${cost.length} values for ${g} settings`);
    const noiseVar = this.yvarNoiseModel();
    if (this.noiseVarShared.length !== noiseVar.length) this.noiseVarShared = this.allocate(noiseVar.length);
    this.noiseVarShared.set(noiseVar);
    let costArray = this.costShared.subarray(0, 0);
    if (typeof cost !== 'number') {
      if (this.costShared.length !== g) this.costShared = this.allocate(g);
      this.costShared.set(cost);
      costArray = this.costShared;
    }
    pool.run('drawSpace', g, {
      arrays: [this.ySpace.values, draws, this.uOut, this.noiseVarShared, costArray, ...this.grid],
      ints: [model, this.kDraws, 1],
      numbers: [typeof cost === 'number' ? cost : 0],
    });
    return this.uOut;
  }

  private utilityOfDrawSpace(standardNormalNoise: ArrayLike<number> | undefined): Float64Array {
    const out = this.uOut;
    const cost = this.costEstimate();
    if (typeof cost !== 'number' && cost.length !== this.nSettings) {
      throw new ShapeMismatchError(`cost has ${cost.length} values for ${this.nSettings} settings`);
    }
    const noiseVar = this.yvarNoiseModel();
    switch (this.utilityName) {
      case 'variance_approx':
        varianceUtility(this.ySpace, noiseVar, cost, this.uScratch, out);
        break;
      case 'max_min':
        maxMinUtility(this.ySpace, noiseVar, cost, this.uScratch, out);
        break;
      case 'pseudo_utility':
        pseudoUtility(this.ySpace, noiseVar, cost, this.uScratch, out);
        break;
      case 'full_kld_utility': {
        const k = this.kDraws;
        const noise = new Float64Array(k * this.nChannels);
        for (let c = 0; c < this.nChannels; c++) {
          const sd = Math.sqrt(noiseVar[c]);
          for (let i = 0; i < k; i++) {
            const z = standardNormalNoise === undefined ? this.rng.nextNormal() : standardNormalNoise[c * k + i];
            noise[c * k + i] = z * sd;
          }
        }
        fullKldUtility(this.ySpace, noise, cost, this.uScratch, out);
        break;
      }
    }
    return out;
  }

  /**
   * The grid point of highest utility (first on ties, NaN utilities ignored), as plain numbers
   * (the `optset` command). Sets {@link lastSettingIndex}.
   * @throws {@link ModelOutputError} if every utility is NaN.
   */
  optSetting(): number[] {
    const i = argmaxUtility(this.computeUtility());
    if (i < 0) throw new ModelOutputError('every utility is NaN: the model returns NaN for the drawn parameters');
    this.lastSettingIndex = i;
    return this.settingAt(i);
  }

  /**
   * A grid point drawn with probability ∝ utility^pickiness (the `goodset` command), computed as
   * `(u/max u)^p` so it neither under- nor overflows. `pickiness` defaults to {@link pickiness}
   * (`null` too, as the server's goodset does); 0 gives a uniform choice. Sets {@link lastSettingIndex}.
   * @throws {@link InvalidArgumentError} for a negative or non-finite pickiness;
   *   {@link ModelOutputError} if every utility is NaN.
   */
  goodSetting(pickiness?: number | null): number[] {
    const p = pickiness ?? this.pickiness;
    if (!(p >= 0 && p < Infinity)) throw new InvalidArgumentError(`pickiness must be finite and >= 0, got ${p}`);
    const u = this.computeUtility();
    if (goodSettingProbabilities(u, p, this.probs) === 0) {
      throw new ModelOutputError('every utility is NaN: the model returns NaN for the drawn parameters');
    }
    const i = drawFromProbabilities(this.probs, this.rng, this.probCdf);
    this.lastSettingIndex = i;
    return this.settingAt(i);
  }

  /** The probabilities {@link goodSetting} would draw from for utilities `u` (a new array). */
  goodSettingProbabilities(u: ArrayLike<number>, pickiness: number = this.pickiness): Float64Array {
    const out = new Float64Array(u.length);
    goodSettingProbabilities(u, pickiness, out);
    return out;
  }

  /** A grid point drawn uniformly, as plain numbers like the other two (B8 fixed). Sets {@link lastSettingIndex}. */
  randomSetting(): number[] {
    const i = Math.floor(this.rng.nextDouble() * this.nSettings);
    this.lastSettingIndex = i;
    return this.settingAt(i);
  }

  /** The next setting by the configured {@link selectionMethod}. */
  getSetting(): number[] {
    switch (this.selectionName) {
      case 'optimal':
        return this.optSetting();
      case 'good':
        return this.goodSetting();
      case 'random':
        return this.randomSetting();
    }
  }
}
