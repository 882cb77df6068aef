import { DEFAULT_N_DRAWS } from './core/opt-bayes-expt.js';
import type { NewrunGrid } from './engine-commands.js';
import { RunTooLargeError } from './errors.js';
import { DEFAULT_PARTICLES, type KnobSpec, type RunSpec } from './run-spec.js';

/** The default memory budget of one run: far above the original demo's (about 1.5 MiB), far below a machine's. */
export const DEFAULT_MAX_RUN_BYTES = 256 * 1024 * 1024;

/** The number of values of a knob, read from the spec without building the axis. */
function knobLength(knob: KnobSpec): number {
  if (Array.isArray(knob)) return (knob as readonly number[]).length;
  const triple = 'linspace' in knob ? knob.linspace : (knob as { logspace: readonly [number, number, number] }).logspace;
  return triple[2];
}

/**
 * The memory a run will take, in bytes, from its spec alone (nothing is allocated): per particle,
 * its D coordinates twice (the particles and the resampling spare) and about eight scratch values
 * (weights, their copies, sampling tables, per-particle caches); per setting combination, its K
 * values plus the utility's scratch and the model's outputs for each of the `nDraws` draws. An
 * estimate, within a small factor of what the engine allocates, meant to refuse absurd runs
 * before they exist, not to account for bytes.
 */
export function runBytes(spec: RunSpec, grid?: NewrunGrid): number {
  const sampled = spec.prior.find((p) => p.dist === 'samples');
  const particles = spec.particles ?? (sampled?.dist === 'samples' ? sampled.values.length : DEFAULT_PARTICLES);
  const parameters = spec.prior.length;
  const knobs = grid ? 1 : spec.settings.length;
  let combinations = 1;
  if (grid) combinations = grid.steps;
  else for (const knob of spec.settings) combinations *= knobLength(knob);
  const draws = spec.nDraws ?? DEFAULT_N_DRAWS;
  return 8 * (particles * (2 * parameters + 8) + combinations * (knobs + 4 + draws));
}

/** The error refusing a run that would take more than `maxBytes`; undefined when it fits. */
export function runBudgetError(spec: RunSpec, maxBytes: number, grid?: NewrunGrid): RunTooLargeError | undefined {
  const bytes = runBytes(spec, grid);
  if (bytes <= maxBytes) return undefined;
  const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 * 10 ? 1 : 0)} MiB`;
  return new RunTooLargeError(
    `the run would take about ${Number.isFinite(bytes) ? mib(bytes) : 'unbounded memory'}, more than the server's budget of ${mib(maxBytes)} (particles x parameters, setting combinations x draws); ask the operator to raise --max-run-mib`,
  );
}

/**
 * Refuses a run that would take more than `maxBytes` (RUN_TOO_LARGE), before anything is built.
 * @throws {@link RunTooLargeError}
 */
export function checkRunBudget(spec: RunSpec, maxBytes: number, grid?: NewrunGrid): void {
  const error = runBudgetError(spec, maxBytes, grid);
  if (error) throw error;
}
