import type { PythonJson } from './python-json-value.js';

/** `"OK"`: the reply of `newrun`, `newdat`, `ready` and `done`. */
export type ObeOk = 'OK';

/**
 * The error reply of actorwire's server (Q9/Q10 fixes): `{"error": "<message>", "command": <cmd>}`,
 * where `command` is the command as sent, or null when the request had none.
 */
export interface ObeErrorReply {
  readonly error: string;
  readonly command: string | readonly string[] | null;
  /** Stable code of the problem (e.g. `UNKNOWN_COMMAND`, `NO_RUN`, `ZERO_WEIGHTS`). */
  readonly code?: string;
}

/** Arguments of each command, beside `command` itself (typed request shapes). */
export interface ObeCommandArgs {
  getset: Record<string, never>;
  getpar: Record<string, never>;
  getcon: Record<string, never>;
  getwgt: Record<string, never>;
  /**
   * Start a new run: the demo server's `{lolim, hilim, steps}` (a new 1-knob grid
   * `linspace(lolim, hilim, steps)` from the same prior), a full run spec under `spec`, or nothing
   * (a fresh run of the configured spec). Extra keys go to a user hook.
   */
  newrun: { lolim?: number; hilim?: number; steps?: number; spec?: PythonJson; readonly [key: string]: PythonJson | undefined };
  optset: Record<string, never>;
  /** `pickiness` null or absent: the engine's default. */
  goodset: { pickiness?: number | null };
  /** One measurement: setting combination `x` (length S), value(s) `y`, noise std(s) `s`. */
  newdat: { x: number | readonly number[]; y: number | readonly number[]; s: number | readonly number[] };
  getpdf: Record<string, never>;
  getmean: Record<string, never>;
  getstd: Record<string, never>;
  getcov: Record<string, never>;
  ready: Record<string, never>;
  done: Record<string, never>;
}

/** The reply of each command (spec §4.3, Q3). */
export interface ObeCommandReplies {
  /** `S × G` settings. */
  getset: number[][];
  /** `D × N` particles. */
  getpar: number[][];
  /** The constants as configured. */
  getcon: PythonJson[];
  /** N weights. */
  getwgt: number[];
  newrun: ObeOk;
  /** The chosen setting, always a list (length S). */
  optset: number[];
  goodset: number[];
  newdat: ObeOk;
  /** Same as getpar (the original's alias). */
  getpdf: number[][];
  /** Length D. */
  getmean: number[];
  /** Population std, length D. */
  getstd: number[];
  /** `D × D`, always 2-D. */
  getcov: number[][];
  ready: ObeOk;
  done: ObeOk;
}

/** True for an {@link ObeErrorReply}. */
export function isObeErrorReply(value: unknown): value is ObeErrorReply {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { error?: unknown }).error === 'string';
}
