/**
 * The Lorentzian server workload of spec §7.2, shared by `npm run bench:obe`,
 * `npm run bench:obe-accuracy` and the short accuracy test: the demo server's model and prior, a
 * `linspace(2, 3, G)` grid, `scale=False`, and the instrument controller's simulated measurements.
 */
import { linspace, MeasurementSimulator, OptBayesExpt, Xoshiro128StarStar, type ParticlePool } from '../../src/obe/core/index.js';

/** Truth of the simulated instrument (A and lw fixed; f0 drawn per run). */
export const TRUTH = { a: 0.02, lw: 0.04, f0Low: 2.1, f0High: 2.9, sigma: 0.005 };

/** One run's configuration. */
export interface WorkloadRun {
  particles: number;
  grid: number;
  /** Seeds the prior, the truth, the measurement noise and the engine (each its own stream). */
  seed: number;
  /** A particle pool for the engine (call `obe.attachPoolModel()` before use). Default: none. */
  pool?: ParticlePool;
}

/** A fresh engine with the demo server's prior, and a simulator with a random truth. */
export function createWorkload(run: WorkloadRun): { obe: OptBayesExpt; sim: MeasurementSimulator; f0True: number } {
  const rng = new Xoshiro128StarStar(run.seed);
  const uniform = (lo: number, hi: number) => Float64Array.from({ length: run.particles }, () => lo + (hi - lo) * rng.nextDouble());
  const prior = [uniform(1.5, 3.5), uniform(0.01, 0.1), uniform(0.003, 0.05)];
  const f0True = TRUTH.f0Low + (TRUTH.f0High - TRUTH.f0Low) * rng.nextDouble();
  const engineRng = new Xoshiro128StarStar(run.seed);
  engineRng.jump();
  const noiseRng = new Xoshiro128StarStar(run.seed);
  noiseRng.jump();
  noiseRng.jump();
  const obe = new OptBayesExpt({
    model: 'lorentzian-dip',
    settingValues: [linspace(2, 3, run.grid)],
    prior,
    scale: false,
    rng: engineRng,
    pool: run.pool,
  });
  const sim = new MeasurementSimulator('lorentzian-dip', [f0True, TRUTH.a, TRUTH.lw], [], TRUTH.sigma, { rng: noiseRng });
  return { obe, sim, f0True };
}

/** Outcome of one accuracy run; errors and std in MHz (f0 is in GHz). */
export interface AccuracyResult {
  errorMHz: number;
  stdMHz: number;
  resamples: number;
}

/** Runs `steps` × (goodSetting(pickiness) → simulated measurement → pdfUpdate) and reports the f0 error. */
export function runAccuracy(run: WorkloadRun, steps = 200, pickiness = 6): AccuracyResult {
  const { obe, sim, f0True } = createWorkload(run);
  for (let i = 0; i < steps; i++) {
    const setting = obe.goodSetting(pickiness);
    const [y] = sim.simdata(setting);
    obe.pdfUpdate({ settings: setting, y, sigma: TRUTH.sigma });
  }
  return {
    errorMHz: Math.abs(obe.mean()[0] - f0True) * 1000,
    stdMHz: obe.std()[0] * 1000,
    resamples: obe.resampleCount,
  };
}

/** The columns of spec §7.5's pooled table. */
export interface AccuracySummary {
  runs: number;
  median: number;
  mean: number;
  rms: number;
  p90: number;
  max: number;
  medianStd: number;
  within2Sigma: number;
  failures: number;
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Summarises runs as spec §7.5 does; a failure is an error above 10 MHz. */
export function summarizeAccuracy(results: readonly AccuracyResult[]): AccuracySummary {
  const errors = results.map((r) => r.errorMHz).sort((a, b) => a - b);
  const stds = results.map((r) => r.stdMHz).sort((a, b) => a - b);
  return {
    runs: results.length,
    median: quantile(errors, 0.5),
    mean: errors.reduce((a, b) => a + b, 0) / errors.length,
    rms: Math.sqrt(errors.reduce((a, b) => a + b * b, 0) / errors.length),
    p90: quantile(errors, 0.9),
    max: errors[errors.length - 1],
    medianStd: quantile(stds, 0.5),
    within2Sigma: results.filter((r) => r.errorMHz <= 2 * r.stdMHz).length / results.length,
    failures: results.filter((r) => r.errorMHz > 10).length,
  };
}
