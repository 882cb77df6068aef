import type { Action, MasepDict, State } from '../../protocols/masep/index.js';
import type { GenericObservation } from './generic-observation.js';
import type { ObservationView } from './observation-state.js';

/** What an agent's policy is given on each observation where it must act. */
export interface AgentObservation {
  /** The observed pymasep State. */
  readonly state: State;
  /** Reading helpers over `state`. */
  readonly view: ObservationView;
  /** The name of the agent this interface controls (e.g. `player0`). */
  readonly agent: string;
  /** The interface's sub-app id. */
  readonly interfaceId: string;
  /** The environment's additional information (`state_changed`, `reward`, ...). */
  readonly info: MasepDict;
  /**
   * The observation through the generic view, for any game: objects, agents, `me` (this agent),
   * `myTurn`, characteristics, intentions, beliefs, rewards.
   */
  readonly generic: GenericObservation;
}

/**
 * An agent: a function from an observation to an action, sync or async. `null` sends nothing
 * (the engine's timeout policy then applies).
 *
 * @example
 * ```ts
 * const stay: Policy = () => new Action(0);
 * ```
 */
export type Policy = (observation: AgentObservation) => Action | null | Promise<Action | null>;
