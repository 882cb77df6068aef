import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { engineLifecycleMachine } from '../../../src/actors/masep/index.js';

function lifecycle(episodes: number) {
  const world = { seats: 0, played: 0, finished: 0 };
  const actor = createActor(engineLifecycleMachine, {
    input: {
      enoughPlayers: () => world.seats >= 2,
      moreEpisodes: () => world.played < episodes,
      startEpisode: () => void world.played++,
      finish: () => void world.finished++,
    },
  }).start();
  return { actor, world, state: () => String(actor.getSnapshot().value) };
}

describe('engineLifecycleMachine', () => {
  it('waits for the game, then for players, then plays each episode and ends', () => {
    const { actor, world, state } = lifecycle(2);
    expect(state()).toBe('awaitingGame');
    actor.send({ type: 'GAME_DEFINED' });
    expect(state()).toBe('awaitingPlayers');
    world.seats = 1;
    actor.send({ type: 'SEATS_CHANGED' });
    expect(state()).toBe('awaitingPlayers');
    world.seats = 2;
    actor.send({ type: 'SEATS_CHANGED' });
    expect([state(), world.played]).toEqual(['playing', 1]);
    actor.send({ type: 'SEATS_CHANGED' });
    expect(world.played).toBe(1);
    actor.send({ type: 'EPISODE_ENDED' });
    expect([state(), world.played]).toEqual(['playing', 2]);
    actor.send({ type: 'EPISODE_ENDED' });
    expect([state(), world.finished]).toEqual(['ended', 1]);
  });

  it('ends on STOP from any state, once', () => {
    const { actor, world, state } = lifecycle(5);
    actor.send({ type: 'STOP' });
    expect([state(), world.finished, world.played]).toEqual(['ended', 1, 0]);
  });
});
