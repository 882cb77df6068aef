import type { ObeEngineCommandName } from '../protocols/obe/commands.js';
import { jsonNumber, type PythonJson, type PythonJsonObject } from '../protocols/obe/python-json-value.js';
import { BadArgumentError } from './errors.js';
import { parseRunSpec, type RunSpec } from './run-spec.js';

/** A number, or one number per channel / knob, as a request field may give it. */
export type NumberOrList = number | readonly number[];

/** The demo's `newrun` grid: `linspace(lolim, hilim, steps)` as the run's only knob. */
export interface NewrunGrid {
  readonly lolim: number;
  readonly hilim: number;
  /** A positive integer. */
  readonly steps: number;
}

/**
 * One command for an engine, validated and typed at the server boundary (see
 * {@link parseEngineCommand}). Plain data only (numbers, strings, booleans, arrays, objects), so the
 * worker thread gets back the same command (a binary record, or a structured clone for `startrun`,
 * see `engine-wire.ts`): nothing is rebuilt there.
 */
export type EngineCommand =
  | { readonly op: 'getset' | 'getpar' | 'getcon' | 'getwgt' | 'optset' | 'getpdf' | 'getpdfw' | 'getmean' | 'getstd' | 'getcov' }
  /** `pickiness` absent: the run's default. */
  | { readonly op: 'goodset'; readonly pickiness?: number }
  | { readonly op: 'newdat'; readonly x: NumberOrList; readonly y: NumberOrList; readonly s: NumberOrList }
  /** Restarts the configured run (same prior samples), on the demo's grid when one is given. */
  | { readonly op: 'newrun'; readonly grid?: NewrunGrid }
  /** Starts a run from a spec (a `newrun` carrying `spec`, or a code-defined newrun hook's result). */
  | { readonly op: 'startrun'; readonly spec: RunSpec }
  /** Discards the run (`done` with the `end-run` policy). */
  | { readonly op: 'endrun' };

/** The name of an {@link EngineCommand}. */
export type EngineOp = EngineCommand['op'];

/** What a worker is started with. */
export interface EngineInit {
  /**
   * The configured run. `newrun` without a spec restarts it (same prior samples); `newrun
   * {lolim, hilim, steps}` replaces its first knob with `linspace(lolim, hilim, steps)`.
   */
  readonly baseSpec?: RunSpec;
  /** Start the configured run at once (else the first `newrun` starts it, as in the original demo). */
  readonly startRun?: boolean;
  /**
   * Largest reply body, in bytes, estimated before it is serialised (about 25 bytes per float):
   * a bigger one is refused with `REPLY_TOO_LARGE`. Default 64 MiB.
   */
  readonly maxReplyBytes?: number;
  /**
   * Threads for the particle loops of a run (docs/OBE-NUMERICS.md, "The particle pool"), and the
   * most a run spec's `threads` may ask for. Default: the number of cores. The pool starts with the
   * first run large enough to use it (`poolMinParticles`).
   */
  readonly threads?: number;
  /** Smallest particle count for which a run uses the pool. Default `DEFAULT_POOL_MIN_PARTICLES`. */
  readonly poolMinParticles?: number;
}

/** The outcome of one command: the reply body (JSON bytes as Python writes them) or an error. */
export type EngineOutcome =
  | { readonly ok: true; readonly body: Uint8Array }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** A number, or a list of numbers, from a request field (JSON ints count). */
function numbers(value: PythonJson | undefined, field: string, command: string): NumberOrList {
  const n = jsonNumber(value);
  if (n !== undefined) return n;
  if (Array.isArray(value)) {
    const list = value as readonly PythonJson[];
    const out = new Array<number>(list.length);
    for (let i = 0; i < list.length; i++) {
      const x = jsonNumber(list[i]);
      if (x === undefined) throw new BadArgumentError(`${command}: '${field}'[${i}] must be a number`);
      out[i] = x;
    }
    return out;
  }
  if (value === undefined) throw new BadArgumentError(`${command}: the request has no '${field}' key`);
  throw new BadArgumentError(`${command}: '${field}' must be a number or a list of numbers`);
}

function newrunOf(message: PythonJsonObject): EngineCommand {
  // A spec in the message is a run of its own; modules are for config files, never the wire.
  if (Object.hasOwn(message, 'spec')) return { op: 'startrun', spec: parseRunSpec(message.spec, { allowModules: false }) };
  if (!Object.hasOwn(message, 'lolim') && !Object.hasOwn(message, 'hilim') && !Object.hasOwn(message, 'steps')) return { op: 'newrun' };
  // The server demo's hook: a fresh engine on linspace(lolim, hilim, steps) from the same prior.
  const lolim = jsonNumber(message.lolim);
  const hilim = jsonNumber(message.hilim);
  const steps = jsonNumber(message.steps);
  if (lolim === undefined || !Number.isFinite(lolim)) throw new BadArgumentError("newrun: 'lolim' must be a number");
  if (hilim === undefined || !Number.isFinite(hilim)) throw new BadArgumentError("newrun: 'hilim' must be a number");
  if (steps === undefined || !Number.isInteger(steps) || steps < 1) throw new BadArgumentError("newrun: 'steps' must be a positive integer");
  return { op: 'newrun', grid: { lolim, hilim, steps } };
}

/**
 * Validates a wire command's fields and types them: JSON ints become numbers, `newrun`'s spec is
 * parsed, missing or malformed fields are refused here rather than in the worker. What only the
 * run can check (a setting of the wrong length, a NaN measurement, no configured run) is left to
 * the engine.
 *
 * @example
 * ```ts
 * parseEngineCommand('newdat', { command: 'newdata', x: [2.5], y: 0.98, s: 0.005 });
 * // { op: 'newdat', x: [2.5], y: 0.98, s: 0.005 }
 * ```
 * @throws {@link BadArgumentError} `BAD_ARGUMENT`, or a `RunSpecError` (`INVALID_RUN_SPEC`) for a bad `spec`.
 */
export function parseEngineCommand(op: ObeEngineCommandName | 'newrun', message: PythonJsonObject): EngineCommand {
  switch (op) {
    case 'goodset': {
      const p = message.pickiness;
      if (p === undefined || p === null) return { op };
      const pickiness = jsonNumber(p);
      if (pickiness === undefined) throw new BadArgumentError("goodset: 'pickiness' must be a number or null");
      return { op, pickiness };
    }
    case 'newdat':
      return { op, x: numbers(message.x, 'x', 'newdat'), y: numbers(message.y, 'y', 'newdat'), s: numbers(message.s, 's', 'newdat') };
    case 'newrun':
      return newrunOf(message);
    default:
      return { op };
  }
}

/** Commands that change particles, weights or the run: each is followed by a new snapshot. */
export function isWrite(op: EngineOp): boolean {
  return op === 'newdat' || op === 'newrun' || op === 'startrun' || op === 'endrun';
}

/** Commands that replace (or end) the run, and with it the grid and constants. */
export function changesRun(op: EngineOp): boolean {
  return op === 'newrun' || op === 'startrun' || op === 'endrun';
}
