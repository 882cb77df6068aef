import { setup } from 'xstate';

/** What the lifecycle machine asks the engine to do, and what it asks the engine about. */
export interface EngineLifecycleInput {
  /** Seats enough Actors for an episode to start. */
  readonly enoughPlayers: () => boolean;
  /** Episodes remain to be played. */
  readonly moreEpisodes: () => boolean;
  /** Starts the next episode (initial observation, first wait for actions). */
  readonly startEpisode: () => void;
  /** Sends `end` and `BYE` to every interface and closes; the engine sends `DRAINED` once all are gone. */
  readonly finish: () => void;
  /**
   * Whether the engine has finished closing when `finish` returns. Without it, `finish` is taken
   * to close at once and the machine ends without waiting for `DRAINED`.
   */
  readonly drained?: () => boolean;
}

/**
 * Events of the engine lifecycle: one per game definition, seat change, episode end, stop or
 * closing, never per frame or step.
 */
export type EngineLifecycleEvent =
  | { type: 'GAME_DEFINED' }
  | { type: 'SEATS_CHANGED' }
  | { type: 'EPISODE_ENDED' }
  | { type: 'STOP' }
  | { type: 'DRAINED' };

/**
 * The game lifecycle of a masep engine (docs/ARCHITECTURE.md, "pymasep: the engine's parts"):
 *
 * - `awaitingGame`: no game yet; the first DEFINE names it (or the engine's `game` option);
 * - `betweenEpisodes` (passing): another episode to play, or the end;
 * - `awaitingPlayers`: fewer Actors seated than the game needs; each seat change looks again;
 * - `playing`: an episode runs (entered once per episode); it leaves when the episode ends (last
 *   step, QUIT, everybody gone, or a game error);
 * - `ending`: `end` and `BYE` sent to every interface, waiting for their links and the server to
 *   close (`STOP` from any state comes here);
 * - `ended`: final.
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
    drained: ({ context }) => context.drained?.() ?? true,
  },
  actions: {
    startEpisode: ({ context }) => context.startEpisode(),
    finish: ({ context }) => context.finish(),
  },
}).createMachine({
  id: 'masepEngine',
  context: ({ input }) => input,
  initial: 'awaitingGame',
  on: { STOP: '.ending' },
  states: {
    awaitingGame: {
      on: { GAME_DEFINED: 'betweenEpisodes' },
    },
    betweenEpisodes: {
      always: [{ guard: 'moreEpisodes', target: 'awaitingPlayers' }, { target: 'ending' }],
    },
    awaitingPlayers: {
      always: { guard: 'enoughPlayers', target: 'playing' },
      on: { SEATS_CHANGED: { target: 'awaitingPlayers', reenter: true } },
    },
    playing: {
      entry: 'startEpisode',
      on: { EPISODE_ENDED: 'betweenEpisodes' },
    },
    ending: {
      entry: 'finish',
      always: { guard: 'drained', target: 'ended' },
      // Stopping twice finishes once.
      on: { STOP: {}, DRAINED: 'ended' },
    },
    ended: { type: 'final' },
  },
});
