import { isJsonObject, PythonInt, type PythonJson, type PythonJsonObject } from '../protocols/obe/python-json-value.js';
import { BadArgumentError } from './errors.js';
import type { RunSpec } from './run-spec.js';

/**
 * One command for an engine, as it crosses to the worker thread (structured-clone data; a
 * {@link PythonInt} arrives as a plain object, see {@link reviveEngineCommand}). `newrun` carries
 * the whole request message, as the original passes it to its hook.
 */
export type EngineCommand =
  | { readonly op: 'getset' | 'getpar' | 'getcon' | 'getwgt' | 'optset' | 'getpdf' | 'getpdfw' | 'getmean' | 'getstd' | 'getcov' }
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

/** A {@link PythonInt} after a structured clone: its own fields, without its class. */
function isClonedInt(value: PythonJson): value is { readonly value: number; readonly digits: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof PythonInt || value instanceof Float64Array) return false;
  const keys = Object.keys(value);
  const v = value as { readonly value?: unknown; readonly digits?: unknown };
  return keys.length === 2 && typeof v.value === 'number' && typeof v.digits === 'string' && /^-?\d+$/.test(v.digits);
}

function revive(value: PythonJson): PythonJson {
  if (typeof value !== 'object' || value === null || value instanceof PythonInt || value instanceof Float64Array) return value;
  if (isClonedInt(value)) return new PythonInt(value.digits);
  if (Array.isArray(value)) {
    const list = value as readonly PythonJson[];
    let out: PythonJson[] | undefined;
    for (let i = 0; i < list.length; i++) {
      const item = revive(list[i]);
      // Copy only when something changed: newdat's x/y/s are usually plain numbers.
      if (item !== list[i]) (out ??= list.slice())[i] = item;
    }
    return out ?? list;
  }
  const entries = Object.entries(value as PythonJsonObject);
  let changed = false;
  const revived = entries.map(([key, item]): [string, PythonJson] => {
    const r = revive(item);
    changed ||= r !== item;
    return [key, r];
  });
  return changed ? Object.fromEntries(revived) : value;
}

/**
 * The command with its {@link PythonInt}s restored. The server parses requests keeping JSON ints
 * (so a `newrun` spec's ints echo as ints); structured clone to the worker keeps their `value`
 * and `digits` but not their class. Values that are already instances are left alone, so a host
 * fed in-process gets the command back unchanged.
 */
export function reviveEngineCommand(command: EngineCommand): EngineCommand {
  switch (command.op) {
    case 'goodset':
      return command.pickiness === undefined ? command : { op: command.op, pickiness: revive(command.pickiness) };
    case 'newdat': {
      const x = revive(command.x);
      const y = revive(command.y);
      const s = revive(command.s);
      return x === command.x && y === command.y && s === command.s ? command : { op: command.op, x, y, s };
    }
    case 'newrun': {
      const message = revive(command.message);
      return message === command.message ? command : { op: command.op, message: message as PythonJsonObject };
    }
    default:
      return command;
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
