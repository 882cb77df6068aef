import type { GameObject, MasepValue } from '../../protocols/masep/index.js';

/**
 * How the agents of a game take their actions:
 * - `turn`: one agent at a time, in `AgentOrder`; the engine waits for the agent at the head;
 * - `simultaneous`: every agent acts on each step; the engine steps once all have acted.
 */
export type Coordination = 'turn' | 'simultaneous';

/**
 * What observers see of a game state. The engine wraps it into a pymasep `State` as pymasep's
 * engine writes one: a `system` object (AgentOrder, GamePhase), then `objects`, then one `Agent`
 * per player whose characteristics are `agents[player]`, with an empty `<Belief>`. Write objects
 * and values as pymasep would: plain `Object`s with characteristics, sequences as lists (pymasep
 * writes a tuple as a `<list>`).
 */
export interface GameView {
  readonly objects?: readonly GameObject[];
  readonly agents: Readonly<Record<string, Readonly<Record<string, MasepValue>>>>;
}
