import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { MasepEngine, RESOURCE_GRID, demoGames, engineLifecycleMachine } from '../../../src/actors/masep/index.js';

/** A lifecycle over a small world; with `draining`, it waits in `ending` until `DRAINED`. */
function lifecycle(episodes: number, draining = false) {
  const world = { seats: draining ? 2 : 0, played: 0, finished: 0, drained: false };
  const actor = createActor(engineLifecycleMachine, {
    input: {
      enoughPlayers: () => world.seats >= 2,
      moreEpisodes: () => world.played < episodes,
      startEpisode: () => void world.played++,
      finish: () => void world.finished++,
      drained: draining ? () => world.drained : undefined,
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

describe('engineLifecycleMachine ending', () => {
  it('waits in ending for DRAINED after the last episode, ignoring seat changes and further stops', () => {
    const { actor, world, state } = lifecycle(1, true);
    actor.send({ type: 'GAME_DEFINED' });
    expect([state(), world.played]).toEqual(['playing', 1]);
    actor.send({ type: 'EPISODE_ENDED' });
    expect([state(), world.finished]).toEqual(['ending', 1]);
    actor.send({ type: 'SEATS_CHANGED' });
    actor.send({ type: 'EPISODE_ENDED' });
    actor.send({ type: 'STOP' });
    expect([state(), world.finished, world.played]).toEqual(['ending', 1, 1]);
    actor.send({ type: 'DRAINED' });
    expect([state(), actor.getSnapshot().status]).toEqual(['ended', 'done']);
  });

  it('goes from a running episode to ending on STOP, and waits for players again between episodes', () => {
    const { actor, world, state } = lifecycle(3, true);
    actor.send({ type: 'GAME_DEFINED' });
    world.seats = 1;
    actor.send({ type: 'EPISODE_ENDED' });
    expect([state(), world.played]).toEqual(['awaitingPlayers', 1]);
    world.seats = 2;
    actor.send({ type: 'SEATS_CHANGED' });
    expect([state(), world.played]).toEqual(['playing', 2]);
    actor.send({ type: 'STOP' });
    expect([state(), world.finished]).toEqual(['ending', 1]);
  });
});

describe('MasepEngine phase', () => {
  it('is ending while its interfaces close, and ended once done resolves', async () => {
    const engine = new MasepEngine({ games: demoGames, game: RESOURCE_GRID, actionTimeoutMs: 0 });
    engine.connectInProcess();
    expect(engine.phase).toBe('awaitingPlayers');
    const done = engine.stop();
    expect(engine.phase).toBe('ending');
    await done;
    expect(engine.phase).toBe('ended');
  });
});
