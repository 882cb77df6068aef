import { setup } from 'xstate';

/** What the lifecycle machine asks the engine to do, and what it asks the engine about. */
export interface EngineLifecycleInput {
  /** Seats enough Actors for an episode to start. */
  readonly enoughPlayers: () => boolean;
  /** Episodes remain to be played. */
  readonly moreEpisodes: () => boolean;
  /** Starts the next episode (initial observation, first wait for actions). */
  readonly startEpisode: () => void;
  /** Sends `end` and `BYE` to every interface and closes. */
  readonly finish: () => void;
}

/**
 * Events of the engine lifecycle: one per game definition, seat change or episode end, never per
 * frame.
 */
export type EngineLifecycleEvent =
  | { type: 'GAME_DEFINED' }
  | { type: 'SEATS_CHANGED' }
  | { type: 'EPISODE_ENDED' }
  | { type: 'STOP' };

/**
 * The game lifecycle of a masep engine:
 * `awaitingGame → betweenEpisodes → awaitingPlayers → playing → betweenEpisodes … → ended`. An episode starts as soon as enough Actors
 * are seated; after the last episode (or `STOP`) the engine ends.
 */
export const engineLifecycleMachine = setup({
  types: {
    context: {} as EngineLifecycleInput,
    events: {} as EngineLifecycleEvent,
    input: {} as EngineLifecycleInput,
  },
  guards: {
    enoughPlayers: ({ context }) => context.enoughPlayers(),
    moreEpisodes: ({ context }) => context.moreEpisodes(),
  },
  actions: {
    startEpisode: ({ context }) => context.startEpisode(),
    finish: ({ context }) => context.finish(),
  },
}).createMachine({
  id: 'masepEngine',
  context: ({ input }) => input,
  initial: 'awaitingGame',
  on: { STOP: '.ended' },
  states: {
    awaitingGame: {
      on: { GAME_DEFINED: 'betweenEpisodes' },
    },
    betweenEpisodes: {
      always: [{ guard: 'moreEpisodes', target: 'awaitingPlayers' }, { target: 'ended' }],
    },
    awaitingPlayers: {
      always: { guard: 'enoughPlayers', target: 'playing' },
      on: { SEATS_CHANGED: { target: 'awaitingPlayers', reenter: true } },
    },
    playing: {
      entry: 'startEpisode',
      on: { EPISODE_ENDED: 'betweenEpisodes' },
    },
    ended: { type: 'final', entry: 'finish' },
  },
});
