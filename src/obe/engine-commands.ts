import { isJsonObject, type PythonJson, type PythonJsonObject } from '../protocols/obe/python-json-value.js';
import { BadArgumentError } from './errors.js';
import type { RunSpec } from './run-spec.js';

/**
 * One command for an engine, as it crosses to the worker thread (structured-clone data only).
 * `newrun` carries the whole request message, as the original passes it to its hook.
 */
export type EngineCommand =
  | { readonly op: 'getset' | 'getpar' | 'getcon' | 'getwgt' | 'optset' | 'getpdf' | 'getmean' | 'getstd' | 'getcov' }
  | { readonly op: 'goodset'; readonly pickiness?: PythonJson }
  | { readonly op: 'newdat'; readonly x: PythonJson; readonly y: PythonJson; readonly s: PythonJson }
  | { readonly op: 'newrun'; readonly message: PythonJsonObject }
  | { readonly op: 'startrun'; readonly spec: RunSpec }
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
}

/** The outcome of one command: the reply body (JSON bytes as Python writes them) or an error. */
export type EngineOutcome =
  | { readonly ok: true; readonly body: Uint8Array }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** Worker → actor messages. */
export type EngineWorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'init-failed'; readonly code: string; readonly message: string }
  | { readonly type: 'outcome'; readonly id: number; readonly outcome: EngineOutcome }
  /** getmean/getstd bodies of the state left by command `after` (see `EngineHost.warmMoments`). */
  | { readonly type: 'moments'; readonly after: number; readonly mean: Uint8Array; readonly std: Uint8Array };

/** Actor → worker messages. */
export interface EngineWorkerRequest {
  readonly id: number;
  readonly command: EngineCommand;
}

/** Reads the fields of a request message that a command needs. */
export function engineCommandOf(op: EngineCommand['op'], message: PythonJsonObject): EngineCommand {
  switch (op) {
    case 'goodset':
      return Object.hasOwn(message, 'pickiness') ? { op, pickiness: message.pickiness } : { op };
    case 'newdat':
      return { op, x: message.x, y: message.y, s: message.s };
    case 'newrun':
      return { op, message: isJsonObject(message) ? message : {} };
    case 'startrun':
    case 'endrun':
      throw new BadArgumentError(`${op} is not a wire command`);
    default:
      return { op };
  }
}

/** Commands that leave particles and weights as they are (goodset and optset only draw). */
export function isReadOnly(op: EngineOp): boolean {
  switch (op) {
    case 'newdat':
    case 'newrun':
    case 'startrun':
    case 'endrun':
      return false;
    default:
      return true;
  }
}

/** Commands after which the worker warms the moments (see `EngineHost.warmMoments`). */
export function changesMoments(op: EngineOp): boolean {
  return op === 'newdat' || op === 'newrun' || op === 'startrun';
}
