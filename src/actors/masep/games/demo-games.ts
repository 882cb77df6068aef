import { createGameRegistry, type GameRegistry } from '../game.js';
import { createResourceGrid } from './resource-grid.js';

/** Name of the demo game: the resource grid with simultaneous moves. */
export const RESOURCE_GRID = 'actorwire.games.ResourceGrid';
/** Name of the resource grid with turn-based moves. */
export const RESOURCE_GRID_TURNS = 'actorwire.games.ResourceGridTurns';

/**
 * A fresh registry with the demo games: {@link RESOURCE_GRID} (simultaneous) and
 * {@link RESOURCE_GRID_TURNS} (turn-based).
 */
export function createDemoGames(): GameRegistry {
  return createGameRegistry([
    createResourceGrid({ name: RESOURCE_GRID, coordination: 'simultaneous' }),
    createResourceGrid({ name: RESOURCE_GRID_TURNS, coordination: 'turn', maxPlayers: 4 }),
  ]);
}

/** The demo games, frozen. */
export const demoGames: GameRegistry = createDemoGames().freeze();
