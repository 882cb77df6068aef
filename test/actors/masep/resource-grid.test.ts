import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createResourceGrid, moveAction, DIRECTIONS, type Direction, type EpisodeContext } from '../../../src/actors/masep/index.js';

function context(players: number, seed: number): EpisodeContext {
  let s = seed;
  return {
    episode: 0,
    players: Array.from({ length: players }, (_, i) => `player${i}`),
    random: () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31),
  };
}

const directions = Object.keys(DIRECTIONS) as Direction[];

describe('createResourceGrid', () => {
  it('keeps agents on the grid, and total rewards equal the resources collected', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.array(fc.array(fc.constantFrom(...directions), { minLength: 6, maxLength: 6 }), { maxLength: 30 }),
        (players, seed, moves) => {
          const game = createResourceGrid({ width: 5, height: 4, resources: 6, maxSteps: 1000 });
          const ctx = context(players, seed);
          let state = game.init(ctx);
          const initial = state.resources.size;
          let rewards = 0;
          for (const step of moves) {
            const actions = new Map(ctx.players.map((p, i) => [p, moveAction(step[i])]));
            const outcome = game.step(state, actions, ctx);
            state = outcome.state;
            rewards += Object.values(outcome.rewards ?? {}).reduce((a, b) => a + b, 0);
            for (const [x, y] of state.positions.values()) {
              expect(x >= 0 && x < 5 && y >= 0 && y < 4).toBe(true);
            }
            if (outcome.done) break;
          }
          expect(rewards).toBeCloseTo(initial - state.resources.size, 9);
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  it('treats a null or unknown action as staying put', () => {
    const game = createResourceGrid();
    const ctx = context(2, 1);
    const state = game.init(ctx);
    const next = game.step(state, new Map([['player0', null]]), ctx).state;
    expect(next.positions.get('player0')).toEqual(state.positions.get('player0'));
  });
});
