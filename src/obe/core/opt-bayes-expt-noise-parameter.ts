import { InvalidArgumentError, ShapeMismatchError, ZeroWeightsError } from './errors.js';
import type { LikelihoodPlan } from './likelihood-products.js';
import { OptBayesExpt, type CheckedRecord, type MeasurementRecord, type OptBayesExptConfig } from './opt-bayes-expt.js';

/** Construction parameters of {@link OptBayesExptNoiseParameter}. */
export interface OptBayesExptNoiseParameterConfig extends OptBayesExptConfig {
  /**
   * Index of the model parameter that is the noise σ of each channel: a number, or one index per
   * channel (indices may repeat, e.g. `[3, 3]`). Its length must equal the channel count.
   */
  noiseParameterIndex: number | readonly number[];
}

/**
 * {@link OptBayesExpt} with the noise standard deviation as a model parameter (optbayesexpt's
 * `OptBayesExptNoiseParameter`, spec §3.1). The σ of a record is ignored: channel c uses each
 * particle's own σ, `particles[noiseParameterIndex[c]][j]`, including the `1/σ` factor.
 *
 * Differences from the original: a particle with σ <= 0 (or NaN) has zero likelihood instead of a
 * negative one, so weights never go negative; the log-space path (B4, or the `'fast'` arithmetic)
 * caches per-particle `ln σ` between resamples.
 */
export class OptBayesExptNoiseParameter extends OptBayesExpt {
  /** Noise parameter index per channel. */
  readonly noiseParameterIndex: Int32Array;
  private lnSigma: Float64Array[] = [];
  private invSigma: Float64Array[] = [];
  private cacheVersion = -1;

  constructor(config: OptBayesExptNoiseParameterConfig) {
    super(config);
    const idx = typeof config.noiseParameterIndex === 'number' ? [config.noiseParameterIndex] : config.noiseParameterIndex;
    if (idx.length !== this.nChannels) {
      throw new ShapeMismatchError(`noiseParameterIndex has ${idx.length} entries for ${this.nChannels} channels`);
    }
    for (const i of idx) {
      if (!(Number.isInteger(i) && i >= 0 && i < this.nDims)) {
        throw new InvalidArgumentError(`noise parameter index ${i} is not a parameter row (D = ${this.nDims})`);
      }
    }
    this.noiseParameterIndex = Int32Array.from(idx);
  }

  /** Per-particle 1/σ and ln σ of each noise row, recomputed only when the particles moved. */
  private sigmaCache(): void {
    if (this.cacheVersion === this.particlesVersion && this.lnSigma.length === this.nChannels) return;
    const n = this.nParticles;
    this.lnSigma = [];
    this.invSigma = [];
    for (let c = 0; c < this.nChannels; c++) {
      const s = this.particles[this.noiseParameterIndex[c]];
      const ln = new Float64Array(n);
      const inv = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        const v = s[j];
        // σ <= 0 (or NaN): zero likelihood, i.e. ln L = −∞.
        ln[j] = v > 0 ? Math.log(v) : Infinity;
        inv[j] = v > 0 ? 1 / v : 0;
      }
      this.lnSigma.push(ln);
      this.invSigma.push(inv);
    }
    this.cacheVersion = this.particlesVersion;
  }

  /** Channels zipped to the shortest of model and y; `record.sigma` is ignored. */
  protected override checkRecord(record: MeasurementRecord): CheckedRecord {
    const ys = typeof record.y === 'number' ? [record.y] : record.y;
    const nc = Math.min(this.nChannels, ys.length);
    for (let c = 0; c < nc; c++) {
      if (!Number.isFinite(ys[c])) throw new InvalidArgumentError(`measured y must be finite, got ${ys[c]}`);
    }
    return { nc, ys };
  }

  /**
   * Channel c's factor with each particle's own σ: `exp(−((y_model − y_c)/σ_cj)²/2)/σ_cj`, in that
   * order of operations (spec §3.1); 0 where σ_cj <= 0 or NaN.
   */
  protected override likelihoodPlan(rec: CheckedRecord): LikelihoodPlan {
    return { ...super.likelihoodPlan({ nc: rec.nc, ys: rec.ys, sigmas: new Float64Array(rec.nc) }), sigmaRows: this.noiseParameterIndex.slice(0, rec.nc) };
  }

  /**
   * `ℓ_j = choke · Σ_c (−((y_model[c][j] − y_c)/σ_cj)²/2 − ln σ_cj)`, channels zipped to the shortest
   * of model and y; `record.sigma` is ignored. The log-space path (B4 and the `'fast'` arithmetic).
   */
  override logLikelihood(yModel: readonly Float64Array[], record: MeasurementRecord, out: Float64Array): number {
    const { nc, ys } = this.checkRecord(record);
    this.sigmaCache();
    const n = this.nParticles;
    out.fill(0, 0, n);
    for (let c = 0; c < nc; c++) {
      const y = ys[c];
      const ym = yModel[c];
      const inv = this.invSigma[c];
      const ln = this.lnSigma[c];
      for (let j = 0; j < n; j++) {
        const r = (ym[j] - y) * inv[j];
        out[j] += -0.5 * r * r - ln[j];
      }
    }
    return this.applyChoke(out, Number.NaN);
  }

  /** Per channel, the weighted mean of σ² over the particles. */
  override yvarNoiseModel(): Float64Array {
    // Scale-free (divided by Σw), so the stored weights do without normalising.
    const w = this.rawWeights;
    const out = new Float64Array(this.nChannels);
    for (let c = 0; c < this.nChannels; c++) {
      const s = this.particles[this.noiseParameterIndex[c]];
      let acc = 0;
      let sw = 0;
      for (let j = 0; j < this.nParticles; j++) {
        acc += w[j] * s[j] * s[j];
        sw += w[j];
      }
      out[c] = acc / sw;
    }
    return out;
  }

  /**
   * After a resample: particles with σ <= 0 in any noise row get weight 0 and the weights are
   * renormalised if anything changed.
   * @throws {@link ZeroWeightsError} if no particle would keep weight (weights unchanged).
   */
  override enforceParameterConstraints(): void {
    const w = this.weights;
    const n = this.nParticles;
    const keep = new Float64Array(w);
    let changed = false;
    for (const d of this.noiseParameterIndex) {
      const s = this.particles[d];
      for (let j = 0; j < n; j++) {
        if (!(s[j] > 0) && keep[j] !== 0) {
          keep[j] = 0;
          changed = true;
        }
      }
    }
    if (!changed) return;
    let sum = 0;
    for (let j = 0; j < n; j++) sum += keep[j];
    if (!(sum > 0)) throw new ZeroWeightsError('every particle has a non-positive noise sigma');
    this.setWeights(keep);
  }
}
