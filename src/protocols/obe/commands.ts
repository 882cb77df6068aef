import { ObeMessageError } from './errors.js';
import { isJsonObject, type PythonJson, type PythonJsonObject } from './python-json-value.js';

/**
 * The commands of `OBE_Server`, in the original's dispatch order (spec §4.3). The order matters for
 * the substring fallback (Q6): the first name contained in the command wins.
 */
export const OBE_COMMANDS = [
  'getset',
  'getpar',
  'getcon',
  'getwgt',
  'newrun',
  'optset',
  'goodset',
  'newdat',
  'getpdf',
  'getmean',
  'getstd',
  'getcov',
  'ready',
  'done',
] as const;

/**
 * Commands actorwire adds (Q15), matched by exact name only: never by the substring fallback, so
 * every command the original dispatches still goes where it went (`"xgetpdfw"` → `getpdf`).
 * `getpdfw` replies `[particles, weights]` (getpar's `D × N` list, then getwgt's length-N list).
 */
export const OBE_EXACT_ONLY_COMMANDS = ['getpdfw'] as const;

/** One OBE command name. */
export type ObeCommandName = (typeof OBE_COMMANDS)[number] | (typeof OBE_EXACT_ONLY_COMMANDS)[number];

/** Commands that run on the engine (everything but `newrun`, `ready` and `done`). */
export type ObeEngineCommandName = Exclude<ObeCommandName, 'newrun' | 'ready' | 'done'>;

const EXACT = new Set<string>([...OBE_COMMANDS, ...OBE_EXACT_ONLY_COMMANDS]);

/**
 * The command a `command` value selects, as the original decides it but with exact names first
 * (Q6): an exact name wins; otherwise the first original name in dispatch order that is a
 * substring of the string (`"newdata"` → `newdat`, `"getsettings"` → `getset`). A list selects
 * the first original name that is an element of it, else an exact-only name that is one.
 * Case-sensitive. Returns undefined when nothing matches.
 */
export function matchObeCommand(command: string | readonly string[]): ObeCommandName | undefined {
  if (typeof command === 'string') {
    if (EXACT.has(command)) return command as ObeCommandName;
    return OBE_COMMANDS.find((name) => command.includes(name));
  }
  // Original names first, so a list the original dispatches keeps its meaning.
  return OBE_COMMANDS.find((name) => command.includes(name)) ?? OBE_EXACT_ONLY_COMMANDS.find((name) => command.includes(name));
}

/** A request the server can dispatch: the matched command and the whole message (for hooks). */
export interface ObeRequest {
  readonly command: ObeCommandName;
  /** The `command` value as sent (`"newdata"`, ...), for error replies. */
  readonly sentCommand: string | readonly string[];
  readonly message: PythonJsonObject;
}

/** The `command` value of a message, when it is a string or a list of strings (for error replies). */
export function sentCommandOf(value: PythonJson | undefined): string | readonly string[] | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as readonly string[];
  return undefined;
}

/**
 * Turns a decoded JSON message into a request.
 * @throws {@link ObeMessageError} `NOT_AN_OBJECT`, `MISSING_COMMAND`, `BAD_COMMAND` or `UNKNOWN_COMMAND`.
 */
export function parseObeRequest(value: PythonJson): ObeRequest {
  if (!isJsonObject(value)) throw new ObeMessageError('NOT_AN_OBJECT', `a request must be a JSON object, got ${describeJson(value)}`);
  if (!Object.hasOwn(value, 'command')) throw new ObeMessageError('MISSING_COMMAND', "the request has no 'command' key");
  const sent = sentCommandOf(value.command);
  if (sent === undefined) throw new ObeMessageError('BAD_COMMAND', `'command' must be a string or a list of strings, got ${describeJson(value.command)}`);
  const command = matchObeCommand(sent);
  if (command === undefined) throw new ObeMessageError('UNKNOWN_COMMAND', `unknown command ${JSON.stringify(sent)}; commands: ${[...OBE_COMMANDS, ...OBE_EXACT_ONLY_COMMANDS].join(', ')}`);
  return { command, sentCommand: sent, message: value };
}

/** A short description of a JSON value's type, Python-style (`list`, `int`, `str`, ...). */
export function describeJson(value: PythonJson | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value) || value instanceof Float64Array) return 'a list';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  if (isJsonObject(value)) return 'an object';
  return 'a number';
}
