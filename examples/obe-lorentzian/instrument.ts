/**
 * The simulated instrument of the original demo (`demos/server/instrument_controller.py`): a
 * Lorentzian dip `1 − A / (((f − f0)·2/lw)² + 1)` with A = 0.02, lw = 0.04, f0 drawn per run from
 * U(2.1, 2.9), and Gaussian noise of σ = 0.005 on every reading. Seeded, so runs repeat.
 */
import { Xoshiro128StarStar } from '../../src/obe/index.js';

/** The dip's true parameters and the measurement noise. */
export interface InstrumentTruth {
  f0: number;
  a: number;
  lw: number;
  sigma: number;
}

/** The demo's Lorentzian dip (the server's model). */
export function lorentzianDip(f: number, f0: number, a: number, lw: number): number {
  return 1 - a / ((((f - f0) * 2) / lw) ** 2 + 1);
}

/** A noisy instrument with a hidden resonance. */
export class SimulatedInstrument {
  readonly truth: InstrumentTruth;
  private readonly rng: Xoshiro128StarStar;

  constructor(seed: number) {
    this.rng = new Xoshiro128StarStar(seed);
    this.truth = { f0: 2.1 + 0.8 * this.rng.nextDouble(), a: 0.02, lw: 0.04, sigma: 0.005 };
  }

  /** One reading at frequency `f` (GHz). */
  measure(f: number): number {
    const { f0, a, lw, sigma } = this.truth;
    return lorentzianDip(f, f0, a, lw) + sigma * this.rng.nextNormal();
  }
}
