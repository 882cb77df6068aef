import type { EngineOp, EngineOutcome } from './engine-commands.js';

/**
 * Reads of the particle state, published after every write: getmean and getstd share one pass
 * over the particles (about 50 µs at 10k particles, 0.5 ms at 100k, measured after an update),
 * which the worker does while the client reconnects for its next command.
 *
 * Left out on purpose, answered by the worker on demand: getcov (another 190 µs at 10k, 1.6 ms at
 * 100k per update, and not in the original client's loop), getpar/getpdf/getwgt/getpdfw
 * (encoding them takes 2.5–8 ms at 10k and 60–125 ms at 100k: far more than an update), and
 * optset/goodset, which draw from the engine's random stream and so must run in order there.
 */
export const STATE_READS = ['getmean', 'getstd'] as const;

/** Reads fixed for a run's lifetime, published when the run changes: getset and getcon. */
export const RUN_READS = ['getset', 'getcon'] as const;

/** A read of the particle state that the snapshot answers. */
export type StateRead = (typeof STATE_READS)[number];

/** A read of the run that the snapshot answers (unless too large, see {@link SNAPSHOT_MAX_GRID_VALUES}). */
export type RunRead = (typeof RUN_READS)[number];

/** Any read a snapshot may answer. */
export type SnapshotRead = StateRead | RunRead;

/**
 * Largest setting grid (knobs × grid points) whose getset reply goes into the snapshot: 4 096
 * values are at most about 100 KB of JSON, encoded once per run (about 90 µs for 1 000 points).
 * A larger grid's getset is answered by the worker.
 */
export const SNAPSHOT_MAX_GRID_VALUES = 4096;

/**
 * What the worker publishes after a write, as plain data (cloned to the main thread). Every
 * entry is the outcome the worker itself would give, bytes and error replies alike (e.g.
 * `NO_RUN` when there is no run).
 */
export interface EngineSnapshotUpdate {
  /** The state reads of the state the write left. */
  readonly state: { readonly [op in StateRead]: EngineOutcome };
  /**
   * The run reads, present only when the run changed since the previous update (the run object
   * is replaced by every newrun, so a failed newrun sends none). An entry left out (a grid over
   * {@link SNAPSHOT_MAX_GRID_VALUES}) is answered by the worker.
   */
  readonly run?: { readonly [op in RunRead]?: EngineOutcome };
  /** The numeric core's counters of the run the write left; absent when there is no run. */
  readonly core?: EngineCoreStats;
}

/**
 * The numeric core's counters of the current run (docs/OBE-NUMERICS.md): which arithmetic its
 * updates use and how many fell back to log space, and how many threads its particle loops use.
 */
export interface EngineCoreStats {
  /** Bayesian updates of the run. */
  readonly updates: number;
  /** Of those, the updates that ran in log space because the direct result was all zeros or not finite (B4). */
  readonly logSpaceUpdates: number;
  readonly resamples: number;
  /** The update's arithmetic (`tuning.arithmetic`). */
  readonly arithmetic: 'original' | 'fast';
  /** Threads of the particle loops: 1 without a pool, or with too few particles for it. */
  readonly threads: number;
  /** `n_eff = 1/Σw²` of the normalised weights the write left (the monitor shows it, docs/MONITOR.md). */
  readonly effectiveSampleSize: number;
}

/** True for getmean and getstd. */
export function isStateRead(op: EngineOp): op is StateRead {
  return op === 'getmean' || op === 'getstd';
}

/** True for getset and getcon. */
export function isRunRead(op: EngineOp): op is RunRead {
  return op === 'getset' || op === 'getcon';
}

/**
 * The newest snapshot an engine actor received, and which write it follows. Command ids increase
 * in send order and the worker publishes one update per write, in order, so "the snapshot of
 * write `w`" is exact: a state read issued after write `w` (and before the next write) may be
 * answered once {@link version} is `w`; a run read once it is at least the last write that
 * replaced the run. Entries are shared by every reader: never mutate a body.
 *
 * @example
 * ```ts
 * const snapshot = new EngineSnapshot();
 * snapshot.apply(7, update);               // worker: the state after command 7
 * snapshot.state('getmean', 7);            // the outcome; undefined for any other write id
 * ```
 */
export class EngineSnapshot {
  private after = -1;
  private stateReads: EngineSnapshotUpdate['state'] | undefined;
  private runReads: EngineSnapshotUpdate['run'] = {};

  /** Id of the write the newest update follows; -1 when nothing is known (no worker yet, or a crash). */
  get version(): number {
    return this.after;
  }

  /** Takes the update the worker published after write `after` (or on start). */
  apply(after: number, update: EngineSnapshotUpdate): void {
    this.after = after;
    this.stateReads = update.state;
    if (update.run) this.runReads = update.run;
  }

  /** The state read's outcome if this snapshot follows write `lastWrite`, else undefined. */
  state(op: StateRead, lastWrite: number): EngineOutcome | undefined {
    return this.after === lastWrite ? this.stateReads?.[op] : undefined;
  }

  /** The run read's outcome if this snapshot is at or after write `lastRunChange` and holds it. */
  run(op: RunRead, lastRunChange: number): EngineOutcome | undefined {
    return this.after >= lastRunChange && this.after >= 0 ? this.runReads?.[op] : undefined;
  }

  /** Forgets everything (the worker that published it is gone). */
  invalidate(): void {
    this.after = -1;
    this.stateReads = undefined;
    this.runReads = {};
  }
}
