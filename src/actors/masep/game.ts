import { AllowList, type Action } from '../../protocols/masep/index.js';
import type { Coordination, GameView } from './game-view.js';
import { MasepActorError } from './errors.js';
import type { Policy } from './policy.js';

export type { Coordination, GameView } from './game-view.js';

/** What a game knows about the episode it is running. */
export interface EpisodeContext {
  /** 0-based episode number. */
  readonly episode: number;
  /** Agent names (`player0`, `player1`, ...) taking part, in turn order. */
  readonly players: readonly string[];
  /** Seeded random numbers in [0, 1), deterministic per engine seed and episode. */
  readonly random: () => number;
}

/** The result of one step of a game. */
export interface StepOutcome<S> {
  readonly state: S;
  /** Rewards of this step by agent name; absent agents get 0. */
  readonly rewards?: Readonly<Record<string, number>>;
  /** Whether the episode is over. */
  readonly done: boolean;
}


/**
 * A game the engine can run: its state `S`, its rules and its rendering. Games are registered
 * in a {@link GameRegistry} under a name (a pymasep-style class path); a DEFINE only ever looks a
 * name up there.
 *
 * `step` receives one entry per player expected to act: in `turn` mode the player at the head of
 * the order, in `simultaneous` mode every player still in the episode (players who left get no
 * entry). The action is `null` when the player timed out (policy `skip`), or when it left while
 * it was its turn.
 *
 * @example
 * ```ts
 * const coin: GameDefinition<number> = {
 *   name: 'examples.Coin', coordination: 'simultaneous', minPlayers: 1, maxPlayers: 4,
 *   init: () => 0,
 *   step: (n, actions) => ({ state: n + 1, rewards: {}, done: n + 1 >= 10 }),
 *   render: (n, ctx) => ({ agents: Object.fromEntries(ctx.players.map((p) => [p, { Step: Value.int(n) }])) }),
 * };
 * ```
 */
export interface GameDefinition<S> {
  /** Registry name, e.g. `actorwire.games.ResourceGrid`. */
  readonly name: string;
  readonly description?: string;
  readonly coordination: Coordination;
  /** Actors needed before an episode starts (at least 1). */
  readonly minPlayers: number;
  /** Most Actor interfaces seated at once; further Actors are refused. */
  readonly maxPlayers: number;
  /** The state of a new episode. */
  init(ctx: EpisodeContext): S;
  /** Applies the actions of one step. */
  step(state: S, actions: ReadonlyMap<string, Action | null>, ctx: EpisodeContext): StepOutcome<S>;
  /** What observers see. */
  render(state: S, ctx: EpisodeContext): GameView;
  /** Named policies for agents of this game (the CLI's `--policy`); `default` is used when none is named. */
  readonly policies?: Readonly<Record<string, Policy>>;
}

/** Games by name. Nothing from the wire resolves to code: a DEFINE names an entry here. */
export type GameRegistry = AllowList<GameDefinition<unknown>>;

/** A new game registry holding `games`. */
export function createGameRegistry(games: Iterable<GameDefinition<unknown>> = []): GameRegistry {
  const registry = new AllowList<GameDefinition<unknown>>('game');
  for (const game of games) registry.register(game.name, game);
  return registry;
}

/** The registered game `name`; throws `MASEP_UNKNOWN_GAME` or `MASEP_BAD_GAME` otherwise. */
export function findGame(registry: GameRegistry, name: string): GameDefinition<unknown> {
  const game = registry.get(name);
  if (game === undefined) throw new MasepActorError('MASEP_UNKNOWN_GAME', `unknown game ${JSON.stringify(name.slice(0, 200))}`);
  if (!(game.minPlayers >= 1 && game.maxPlayers >= game.minPlayers)) {
    throw new MasepActorError('MASEP_BAD_GAME', `${name}: need 1 <= minPlayers <= maxPlayers`);
  }
  return game;
}
