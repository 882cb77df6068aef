import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Action, Value, type MasepValue } from '../../protocols/masep/index.js';
import { MasepActorError } from './errors.js';
import type { AgentObservation, Policy } from './policy.js';

/**
 * An action as a policy module may return it without importing actorwire: the action type number
 * and its parameters as plain values (strings, integers, other numbers, booleans), written as
 * pymasep writes them (`<str>`, `<int>`, `<float>`, `<bool>`).
 */
export interface PlainAction {
  readonly type: number;
  readonly params?: Readonly<Record<string, string | number | boolean>>;
}

function plainValue(value: string | number | boolean, key: string): MasepValue {
  if (typeof value === 'string') return Value.str(value);
  if (typeof value === 'boolean') return Value.bool(value);
  if (typeof value === 'number' && Number.isFinite(value)) return Number.isInteger(value) ? Value.int(value) : Value.float(value);
  throw new MasepActorError('MASEP_BAD_POLICY', `action parameter '${key}' must be a string, a finite number or a boolean`);
}

/** An `Action` from what a policy returned: an `Action`, a {@link PlainAction}, or null. */
export function toAction(result: Action | PlainAction | null | undefined): Action | null {
  if (result === null || result === undefined) return null;
  if (result instanceof Action) return result;
  if (typeof result !== 'object' || !Number.isSafeInteger(result.type)) {
    throw new MasepActorError('MASEP_BAD_POLICY', 'a policy must return an Action, {type, params} or null');
  }
  const params: Record<string, MasepValue> = {};
  for (const [key, value] of Object.entries(result.params ?? {})) params[key] = plainValue(value, key);
  return new Action(result.type, params);
}

/**
 * Loads a policy from a user module (`masep agent --policy ./my-policy.js`): its default export
 * (or its `policy` export) is a function from the observation (state, view, agent, info) to an
 * `Action`, a {@link PlainAction} or null, sync or async.
 *
 * @example
 * ```js
 * // my-policy.js
 * export default ({ state }) => ({ type: 1, params: { direction: state.envStep % 2 ? 'up' : 'right' } });
 * ```
 * @throws {@link MasepActorError} `MASEP_BAD_POLICY` when the module exports no function.
 */
export async function loadPolicyModule(path: string): Promise<Policy> {
  const loaded = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown; policy?: unknown };
  const decide = typeof loaded.default === 'function' ? loaded.default : loaded.policy;
  if (typeof decide !== 'function') {
    throw new MasepActorError('MASEP_BAD_POLICY', `${path} exports no policy function (default export or 'policy')`);
  }
  const fn = decide as (observation: AgentObservation) => Action | PlainAction | null | Promise<Action | PlainAction | null>;
  return async (observation) => toAction(await fn(observation));
}

/** Whether a `--policy` value names a module rather than a built-in policy. */
export function isPolicyPath(value: string): boolean {
  return value.includes('/') || /\.(?:m|c)?js$|\.ts$/.test(value);
}
