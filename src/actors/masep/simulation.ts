import { SubAppRole } from '../../protocols/masep/index.js';
import { MasepEngine, type EpisodeSummary, type MasepEngineOptions } from './engine.js';
import { MasepInterface, type ReceivedObservation } from './masep-interface.js';
import type { Policy } from './policy.js';

/** Options of {@link runSimulation}. */
export interface SimulationOptions extends Omit<MasepEngineOptions, 'game' | 'players'> {
  /** The game to run (a name in `games`). */
  readonly game: string;
  /** One policy per Actor. */
  readonly agents: readonly Policy[];
  /** Called with every observation of one in-process Observer (the full state). */
  readonly observe?: (observation: ReceivedObservation) => void;
}

/**
 * Runs a game with its agents (and optionally an observer) in this process over in-process links:
 * the same engine and interface code as over TCP, without sockets. Resolves with the episode
 * summaries.
 *
 * @example
 * ```ts
 * const summaries = await runSimulation({ games: demoGames, game: RESOURCE_GRID, agents: [greedyPolicy, randomPolicy], episodes: 3 });
 * ```
 */
export async function runSimulation(options: SimulationOptions): Promise<EpisodeSummary[]> {
  const { agents, observe, ...engineOptions } = options;
  const engine = new MasepEngine({ ...engineOptions, players: agents.length });
  if (observe) {
    const observer = MasepInterface.attach(engine, { game: options.game, role: SubAppRole.OBSERVER });
    observer.observations$.subscribe(observe);
  }
  const interfaces = agents.map((policy) => MasepInterface.attach(engine, { game: options.game, policy }));
  const summaries = await engine.done;
  await Promise.all(interfaces.map((i) => i.done));
  return summaries;
}
