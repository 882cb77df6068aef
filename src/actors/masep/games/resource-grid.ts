import { Action, GameObject, ObjectState, Characteristic, Value, type MasepValue } from '../../../protocols/masep/index.js';
import type { Coordination, EpisodeContext, GameDefinition, StepOutcome } from '../game.js';
import type { AgentObservation, Policy } from '../policy.js';

/** Action type of a move in the resource grid (other numbers are ignored as "stay"). */
export const MOVE_ACTION = 1;

/** The moves of the resource grid: the `direction` parameter of a {@link MOVE_ACTION}. */
export const DIRECTIONS = { up: [0, -1], down: [0, 1], left: [-1, 0], right: [1, 0], stay: [0, 0] } as const;

/** A direction name. */
export type Direction = keyof typeof DIRECTIONS;

/** Options of {@link createResourceGrid}. */
export interface ResourceGridOptions {
  /** Registry name. Default `actorwire.games.ResourceGrid`. */
  readonly name?: string;
  readonly coordination?: Coordination;
  /** Default 7. */
  readonly width?: number;
  /** Default 7. */
  readonly height?: number;
  /** Resources placed at the start of an episode. Default 8. */
  readonly resources?: number;
  /** Steps after which an episode ends anyway. Default 60. */
  readonly maxSteps?: number;
  /** Default 1. */
  readonly minPlayers?: number;
  /** Default 8. */
  readonly maxPlayers?: number;
}

/** The state of one resource-grid episode. */
export interface ResourceGridState {
  readonly positions: ReadonlyMap<string, readonly [number, number]>;
  readonly scores: ReadonlyMap<string, number>;
  /** Remaining resources as `x,y` keys. */
  readonly resources: ReadonlySet<string>;
  readonly step: number;
}

/** The `nature` of the objects that stand for the resources left on the grid. */
export const RESOURCE_NATURE = 'resource';

function key(x: number, y: number): string {
  return `${x},${y}`;
}

/**
 * A grid world where agents collect resources: each step every agent (or the agent whose turn
 * it is) moves one cell; stepping on a resource collects it for a reward of 1 (agents reaching
 * the same resource at once share it). The episode ends when no resource is left or after
 * `maxSteps` steps. Agents start spread along the border; resources are placed with the
 * episode's seeded random numbers.
 */
export function createResourceGrid(options: ResourceGridOptions = {}): GameDefinition<ResourceGridState> {
  const width = options.width ?? 7;
  const height = options.height ?? 7;
  const resourceCount = Math.min(options.resources ?? 8, width * height - 1);
  const maxSteps = options.maxSteps ?? 60;

  function init(ctx: EpisodeContext): ResourceGridState {
    const positions = new Map<string, readonly [number, number]>();
    const perimeter = 2 * (width + height) - 4;
    ctx.players.forEach((player, i) => {
      const along = Math.floor((i * perimeter) / Math.max(1, ctx.players.length));
      positions.set(player, borderCell(along, width, height));
    });
    const occupied = new Set([...positions.values()].map(([x, y]) => key(x, y)));
    const resources = new Set<string>();
    while (resources.size < Math.min(resourceCount, width * height - occupied.size)) {
      const cell = key(Math.floor(ctx.random() * width), Math.floor(ctx.random() * height));
      if (!occupied.has(cell)) resources.add(cell);
    }
    return { positions, scores: new Map(ctx.players.map((p) => [p, 0])), resources, step: 0 };
  }

  function step(state: ResourceGridState, actions: ReadonlyMap<string, Action | null>): StepOutcome<ResourceGridState> {
    const positions = new Map(state.positions);
    for (const [player, action] of actions) {
      const from = positions.get(player);
      if (!from) continue;
      const [dx, dy] = DIRECTIONS[directionOf(action)];
      positions.set(player, [clamp(from[0] + dx, width), clamp(from[1] + dy, height)]);
    }
    const resources = new Set(state.resources);
    const rewards: Record<string, number> = {};
    const claimants = new Map<string, string[]>();
    for (const [player, [x, y]] of positions) {
      if (!actions.has(player) || !resources.has(key(x, y))) continue;
      claimants.set(key(x, y), [...(claimants.get(key(x, y)) ?? []), player]);
    }
    const scores = new Map(state.scores);
    for (const [cell, players] of claimants) {
      resources.delete(cell);
      for (const player of players) {
        rewards[player] = (rewards[player] ?? 0) + 1 / players.length;
        scores.set(player, (scores.get(player) ?? 0) + 1 / players.length);
      }
    }
    const next = { positions, scores, resources, step: state.step + 1 };
    return { state: next, rewards, done: resources.size === 0 || next.step >= maxSteps };
  }

  // Each resource left is a plain pymasep Object (nature `resource`, characteristics X and Y),
  // named after its cell so that it keeps its name while others are collected.
  function render(state: ResourceGridState, ctx: EpisodeContext) {
    const objects = [...state.resources].map((cell) => {
      const [x, y] = cell.split(',').map(Number);
      return new GameObject({
        name: `resource_${x}_${y}`,
        nature: RESOURCE_NATURE,
        state: 'run',
        objectState: new ObjectState({
          state: 'run',
          characteristics: [
            new Characteristic({ name: 'X', state: 'run', value: Value.int(x) }),
            new Characteristic({ name: 'Y', state: 'run', value: Value.int(y) }),
          ],
        }),
      });
    });
    const agents: Record<string, Record<string, MasepValue>> = {};
    for (const player of ctx.players) {
      const [x, y] = state.positions.get(player) ?? [0, 0];
      agents[player] = { X: Value.int(x), Y: Value.int(y), Score: Value.float(state.scores.get(player) ?? 0) };
    }
    return { objects, agents };
  }

  return {
    name: options.name ?? 'actorwire.games.ResourceGrid',
    description: `${width}x${height} grid, ${resourceCount} resources, ${options.coordination ?? 'simultaneous'} moves`,
    coordination: options.coordination ?? 'simultaneous',
    minPlayers: options.minPlayers ?? 1,
    maxPlayers: options.maxPlayers ?? 8,
    init,
    step,
    render,
    policies: { default: greedyPolicy, greedy: greedyPolicy, random: randomPolicy, stay: () => moveAction('stay') },
  };
}

function clamp(value: number, size: number): number {
  return Math.max(0, Math.min(size - 1, value));
}

/** Cell number `along` of the border, clockwise from the top-left corner. */
function borderCell(along: number, width: number, height: number): [number, number] {
  if (along < width) return [along, 0];
  along -= width;
  if (along < height - 1) return [width - 1, along + 1];
  along -= height - 1;
  if (along < width - 1) return [width - 2 - along, height - 1];
  along -= width - 1;
  return [0, Math.max(1, height - 2 - along)];
}

function directionOf(action: Action | null): Direction {
  if (action === null || action.type !== MOVE_ACTION) return 'stay';
  const direction = action.parameters.get('direction');
  return direction?.type === 'str' && Object.hasOwn(DIRECTIONS, direction.value) ? (direction.value as Direction) : 'stay';
}

/** A move of the resource grid: `<Action type="1"><ActionParameter name="direction"><str>up</str>…`. */
export function moveAction(direction: Direction): Action {
  return new Action(MOVE_ACTION, { direction: Value.str(direction) });
}

/**
 * What an agent sees of the grid, read through the generic view: its cell and the remaining
 * resources (the objects of nature `resource`).
 */
export function readGrid(observation: AgentObservation): { x: number; y: number; resources: Array<[number, number]> } {
  const { generic, agent } = observation;
  const me = generic.agent(agent);
  const resources: Array<[number, number]> = [];
  for (const object of generic.objects) {
    if (object.nature !== RESOURCE_NATURE) continue;
    const rx = object.number('X');
    const ry = object.number('Y');
    if (rx !== undefined && ry !== undefined) resources.push([rx, ry]);
  }
  return { x: me?.number('X') ?? 0, y: me?.number('Y') ?? 0, resources };
}

/** Moves toward the nearest resource (Manhattan distance; ties by position), else stays. */
export const greedyPolicy: Policy = (observation) => {
  const { x, y, resources } = readGrid(observation);
  let best: [number, number] | undefined;
  let bestDistance = Infinity;
  for (const [rx, ry] of resources) {
    const distance = Math.abs(rx - x) + Math.abs(ry - y);
    if (distance < bestDistance) [best, bestDistance] = [[rx, ry], distance];
  }
  if (!best) return moveAction('stay');
  if (best[0] !== x) return moveAction(best[0] > x ? 'right' : 'left');
  if (best[1] !== y) return moveAction(best[1] > y ? 'down' : 'up');
  return moveAction('stay');
};

/** A pseudo-random walk, deterministic in the agent, step and episode. */
export const randomPolicy: Policy = (observation) => {
  const names: Direction[] = ['up', 'down', 'left', 'right'];
  let h = observation.state.envStep * 31 + observation.agent.length * 7;
  for (const ch of observation.agent) h = (h * 33 + ch.charCodeAt(0)) >>> 0;
  return moveAction(names[h % names.length]);
};
