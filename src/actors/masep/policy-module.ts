import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Action } from '../../protocols/masep/index.js';
import { MasepActorError } from './errors.js';
import { toAction, type PlainAction } from './generic-action.js';
import type { AgentObservation, Policy } from './policy.js';

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
