import { MasepEngine, type EpisodeSummary } from '../actors/masep/engine.js';
import { discoverEngine } from '../actors/masep/discovery-client.js';
import { MasepInterface, type ReceivedObservation } from '../actors/masep/masep-interface.js';
import { RESOURCE_GRID, demoGames } from '../actors/masep/games/demo-games.js';
import type { GameDefinition } from '../actors/masep/game.js';
import type { Policy } from '../actors/masep/policy.js';
import { isPolicyPath, loadPolicyModule } from '../actors/masep/policy-module.js';
import { SubAppRole, dictToJson, valueToJson, type MasepDict } from '../protocols/masep/index.js';
import { numberOption, parseCommandLine, portOption } from './arguments.js';
import { runUntilStopped, type RunningService } from './service.js';
import { UsageError } from './usage-error.js';

/** Default port of a masep engine: pymasep's 60000. */
export const MASEP_DEFAULT_PORT = 60000;

/** Usage lines of `actorwire masep`. */
export const MASEP_USAGE = `actorwire masep engine [--game ${RESOURCE_GRID}] [--host 127.0.0.1] [--port 60000] [--episodes n] [--players n]
                      [--max-connections 10] [--action-timeout ms] [--on-timeout skip|remove]
                      [--discovery [--discovery-group 224.3.29.71] [--discovery-port 10000] [--discovery-interface <ip>]]
actorwire masep agent [--game <name or python.class.Path>] [--host 127.0.0.1 --port 60000 | --discover [--discovery-*]] [--policy default|greedy|random|stay|./module.js] [--id <uuid>] [--episodes n]
                      one JSON line per finished episode (episode, steps, reward), then how the session ended
actorwire masep observe [--game <name or python.class.Path>] [--host 127.0.0.1 --port 60000 | --discover] [--episodes n] [--count n]   one JSON line per observation
  games: ${demoGames.names().join(', ')}`;

const CONNECT_OPTIONS = {
  game: { type: 'string', default: RESOURCE_GRID },
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string' },
  discover: { type: 'boolean', default: false },
  'discovery-group': { type: 'string' },
  'discovery-port': { type: 'string' },
  'discovery-interface': { type: 'string' },
  id: { type: 'string' },
} as const;

/** A Python class path as pymasep's DEFINE names a game, e.g. `mygames.tictactoe.TicTacToe`. */
const CLASS_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;

/**
 * The game an interface names in its DEFINE: a demo game (by full name or last component) or,
 * for someone else's engine, any Python class path. It is only sent, never loaded.
 */
function interfaceGame(name: string): { name: string; known: GameDefinition<unknown> | undefined } {
  const known = findDemoGame(name);
  if (known) return { name: known.name, known };
  if (!CLASS_PATH.test(name)) throw new UsageError(`--game must be a known game (${demoGames.names().join(', ')}) or a Python class path like mygames.tictactoe.TicTacToe`);
  return { name, known: undefined };
}

/** A game of the demo registry by full name or by its last dotted component, if there is one. */
function findDemoGame(name: string): GameDefinition<unknown> | undefined {
  return demoGames.get(name) ?? demoGames.names().map((n) => demoGames.get(n)!).find((g) => g.name.endsWith(`.${name}`));
}

/** A game of the demo registry by full name or by its last dotted component. */
function gameNamed(name: string): GameDefinition<unknown> {
  const game = findDemoGame(name);
  if (!game) throw new UsageError(`unknown game '${name}' (known: ${demoGames.names().join(', ')})`);
  return game;
}

/** Starts a masep engine running the demo game forever, as a CLI service (`actorwire serve`). */
export async function startMasepService(options: { host?: string; port: number }): Promise<RunningService> {
  const engine = new MasepEngine({ games: demoGames, game: RESOURCE_GRID, host: options.host, port: options.port });
  const address = await engine.listen();
  return {
    name: 'masep',
    address,
    stopped: engine.done.then(() => undefined),
    stop: () => engine.stop().then(() => undefined),
  };
}

function printSummary(summary: EpisodeSummary): void {
  process.stdout.write(JSON.stringify(summary) + '\n');
}

async function engineCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(argv, {
    game: { type: 'string', default: RESOURCE_GRID },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string' },
    episodes: { type: 'string' },
    players: { type: 'string' },
    'max-connections': { type: 'string' },
    'action-timeout': { type: 'string' },
    'on-timeout': { type: 'string', default: 'skip' },
    discovery: { type: 'boolean', default: false },
    'discovery-group': { type: 'string' },
    'discovery-port': { type: 'string' },
    'discovery-interface': { type: 'string' },
  });
  const onTimeout = values['on-timeout'];
  if (onTimeout !== 'skip' && onTimeout !== 'remove') throw new UsageError(`--on-timeout must be skip or remove, got '${onTimeout}'`);
  const game = gameNamed(values.game);
  const engine = new MasepEngine({
    games: demoGames,
    game: game.name,
    host: values.host,
    port: portOption(values.port, MASEP_DEFAULT_PORT),
    episodes: numberOption(values.episodes, Infinity, '--episodes'),
    players: values.players === undefined ? undefined : numberOption(values.players, 1, '--players'),
    maxConnections: numberOption(values['max-connections'], 10, '--max-connections'),
    actionTimeoutMs: numberOption(values['action-timeout'], 10_000, '--action-timeout'),
    onActionTimeout: onTimeout,
    discovery: values.discovery
      ? {
          group: values['discovery-group'],
          port: values['discovery-port'] === undefined ? undefined : portOption(values['discovery-port'], 0, '--discovery-port'),
          interfaceAddress: values['discovery-interface'],
        }
      : undefined,
  });
  engine.events$.subscribe((event) => {
    if (event.type === 'episode-ended') printSummary({ episode: event.episode, steps: event.steps, rewards: event.rewards });
  });
  const address = await engine.listen();
  const service: RunningService = {
    name: 'masep',
    address,
    stopped: engine.done.then(() => undefined),
    stop: () => engine.stop().then(() => undefined),
  };
  await runUntilStopped([service]);
  return 0;
}

/** The connection flags shared by `agent` and `observe`. */
interface ConnectValues {
  game: string;
  host: string;
  port?: string;
  discover: boolean;
  'discovery-group'?: string;
  'discovery-port'?: string;
  'discovery-interface'?: string;
  id?: string;
}

/** Finds the engine (flags or discovery) and starts an interface session on it. */
async function connectInterface(values: ConnectValues, role: string, policy?: Policy): Promise<MasepInterface> {
  let host = values.host;
  let port = portOption(values.port, MASEP_DEFAULT_PORT);
  if (values.discover) {
    const found = await discoverEngine({
      group: values['discovery-group'],
      port: values['discovery-port'] === undefined ? undefined : portOption(values['discovery-port'], 0, '--discovery-port'),
      interfaceAddress: values['discovery-interface'],
    });
    host = found.host;
    port = found.port;
  }
  const game = interfaceGame(values.game);
  return MasepInterface.connect({ game: game.name, coordination: game.known?.coordination, host, port, role, policy, id: values.id, retry: { attempts: 5 } });
}

/** The reward `info` gives `agent` (pymasep keys rewards by the agent's full name, `State.<name>`). */
function rewardOf(info: MasepDict, agent: string | undefined): number {
  const reward = info.get('reward');
  if (agent === undefined || reward?.type !== 'dict') return 0;
  // Only our own entry is read and converted, not the whole additional information.
  const mine = reward.entries.get(`State.${agent}`);
  const value = mine === undefined ? undefined : valueToJson(mine);
  return typeof value === 'number' ? value : 0;
}

/** Stops `session` after `limit` observations for which `counts` holds (no limit when undefined). */
function stopAfter(session: MasepInterface, limit: number | undefined, counts: (o: ReceivedObservation) => boolean): void {
  if (limit === undefined) return;
  let seen = 0;
  session.observations$.subscribe((observation) => {
    if (counts(observation) && ++seen === limit) void session.stop();
  });
}

const optionalCount = (value: string | undefined, flag: string): number | undefined => (value === undefined ? undefined : numberOption(value, 1, flag));

async function agentCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(argv, { ...CONNECT_OPTIONS, policy: { type: 'string', default: 'default' }, episodes: { type: 'string' } });
  const game = interfaceGame(values.game);
  const policyName = values.policy;
  const policy = isPolicyPath(policyName) ? await loadPolicyModule(policyName) : game.known?.policies?.[policyName];
  if (!policy) {
    const known = game.known ? `known: ${Object.keys(game.known.policies ?? {}).join(', ')}; or` : 'actorwire has no built-in policy for it:';
    throw new UsageError(`game ${game.name} has no policy '${policyName}' (${known} give a module path like ./my-policy.js)`);
  }
  const episodes = optionalCount(values.episodes, '--episodes');
  const agent = await connectInterface(values, SubAppRole.ACTOR, policy);
  // One line per finished episode, so that a user sees progress: the episode, its steps, our reward.
  let total = 0;
  agent.observations$.subscribe((observation) => {
    const name = observation.view.agentControlledBy(agent.id)?.name;
    total += rewardOf(observation.info, name);
    if (!observation.state.isFinal) return;
    process.stdout.write(JSON.stringify({ episode: observation.episode, steps: observation.state.envStep, reward: total }) + '\n');
    total = 0;
  });
  stopAfter(agent, episodes, (o) => o.state.isFinal);
  const stop = (): void => void agent.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const end = await agent.done;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  process.stdout.write(JSON.stringify({ id: agent.id, ...end }) + '\n');
  return end.reason === 'disconnected' ? 1 : 0;
}

async function observeCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(argv, { ...CONNECT_OPTIONS, episodes: { type: 'string' }, count: { type: 'string' } });
  const episodes = optionalCount(values.episodes, '--episodes');
  const count = optionalCount(values.count, '--count');
  const observer = await connectInterface(values, SubAppRole.OBSERVER);
  observer.observations$.subscribe((observation) => {
    const line = {
      episode: observation.episode,
      step: observation.state.envStep,
      final: observation.state.isFinal,
      state: observation.state.toJSON(),
      info: dictToJson(observation.info),
    };
    process.stdout.write(JSON.stringify(line) + '\n');
  });
  stopAfter(observer, episodes, (o) => o.state.isFinal);
  stopAfter(observer, count, () => true);
  const stop = (): void => void observer.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const end = await observer.done;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  return end.reason === 'disconnected' ? 1 : 0;
}

/** `actorwire masep <engine|agent|observe> ...`; resolves with the exit code. */
export function masepCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'engine') return engineCommand(rest);
  if (sub === 'agent') return agentCommand(rest);
  if (sub === 'observe') return observeCommand(rest);
  throw new UsageError(`unknown masep command '${sub ?? ''}'`);
}
