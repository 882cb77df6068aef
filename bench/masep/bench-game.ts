import { Action, Value } from '../../src/protocols/masep/index.js';
import { createGameRegistry, type GameDefinition } from '../../src/actors/masep/index.js';

/** Name of the benchmark game. */
export const BENCH_GAME = 'bench.Tick';

/**
 * The smallest useful game: every agent acts on every step (simultaneous) and its action's
 * `n` parameter becomes its `Last` characteristic. Episodes never end by themselves.
 */
export const tickGame: GameDefinition<Map<string, number>> = {
  name: BENCH_GAME,
  coordination: 'simultaneous',
  minPlayers: 1,
  maxPlayers: 16,
  init: (ctx) => new Map(ctx.players.map((p) => [p, 0])),
  step(state, actions) {
    const next = new Map(state);
    for (const [player, action] of actions) {
      const n = action?.parameters.get('n');
      next.set(player, n?.type === 'int' ? Number(n.value) : -1);
    }
    return { state: next, rewards: {}, done: false };
  },
  render: (state, ctx) => ({ agents: Object.fromEntries(ctx.players.map((p) => [p, { Last: Value.int(state.get(p) ?? 0) }])) }),
};

/** The registry the benchmark engine runs. */
export const benchGames = createGameRegistry([tickGame]);

/** The action every benchmark agent sends. */
export const tickAction = (step: number): Action => new Action(1, { n: Value.int(step) });
