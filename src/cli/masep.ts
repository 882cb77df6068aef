import { MasepEngine, type EpisodeSummary } from '../actors/masep/engine.js';
import { discoverEngine } from '../actors/masep/discovery-client.js';
import { MasepInterface, type ReceivedObservation } from '../actors/masep/masep-interface.js';
import { RESOURCE_GRID, demoGames } from '../actors/masep/games/demo-games.js';
import type { GameDefinition } from '../actors/masep/game.js';
import type { Policy } from '../actors/masep/policy.js';
import { isPolicyPath, loadPolicyModule } from '../actors/masep/policy-module.js';
import { parseActionSpec, toAction } from '../actors/masep/generic-action.js';
import type { Coordination } from '../actors/masep/game.js';
import type { InterfaceEnd } from '../actors/masep/masep-interface.js';
import { SubAppRole, dictToJson } from '../protocols/masep/index.js';
import { numberOption, parseCommandLine, portOption } from './arguments.js';
import { runUntilStopped, type RunningService } from './service.js';
import { UsageError } from './usage-error.js';

/** Default port of a masep engine: pymasep's 60000. */
export const MASEP_DEFAULT_PORT = 60000;

/** Usage lines of `actorwire masep`. */
export const MASEP_USAGE = `actorwire masep engine [--game ${RESOURCE_GRID}] [--host 127.0.0.1] [--port 60000] [--episodes n] [--players n]
                      [--max-connections 10] [--action-timeout ms] [--on-timeout skip|remove]
                      [--discovery [--discovery-group 224.3.29.71] [--discovery-port 10000] [--discovery-interface <ip>]]
actorwire masep agent [--game <name or python.class.Path>] [--host 127.0.0.1 --port 60000 | --discover [--discovery-*]] [--id <uuid>] [--episodes n]
                      [--policy default|greedy|random|stay|./module.js | --action '<type> key=value ...'] [--coordination turn|simultaneous]
                      one JSON line per finished episode (episode, steps, reward), then how the session ended;
                      --action sends that action on each of its turns (values read as Python literals: 3 int, 0.5 float,
                      True bool, None, 'quoted' str); --coordination defaults to the game's, turn for a game actorwire does not know
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

/** The game an interface names in its DEFINE, and its definition when actorwire knows it. */
interface InterfaceGame {
  readonly name: string;
  readonly known: GameDefinition<unknown> | undefined;
}

/**
 * The game an interface names in its DEFINE: a demo game (by full name or last component) or,
 * for someone else's engine, any Python class path. It is only sent, never loaded.
 */
function interfaceGame(name: string): InterfaceGame {
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
async function connectInterface(values: ConnectValues, role: string, policy?: Policy, coordination?: Coordination): Promise<MasepInterface> {
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
  return MasepInterface.connect({ game: game.name, coordination: coordination ?? game.known?.coordination, host, port, role, policy, id: values.id, retry: { attempts: 5 } });
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

/**
 * The policy of `masep agent`: a module (`--policy ./x.js`), a fixed action (`--action`), or a
 * built-in policy of a game actorwire knows (`--policy name`, `default` when none is given).
 */
async function agentPolicy(game: InterfaceGame, policyName: string | undefined, actionSpec: string | undefined): Promise<Policy> {
  if (policyName !== undefined && actionSpec !== undefined) throw new UsageError('give --policy or --action, not both');
  if (actionSpec !== undefined) {
    let action;
    try {
      action = toAction(parseActionSpec(actionSpec));
    } catch (err) {
      throw new UsageError(`--action: ${(err as Error).message}`);
    }
    return () => action;
  }
  if (policyName !== undefined && isPolicyPath(policyName)) return loadPolicyModule(policyName);
  if (!game.known) {
    throw new UsageError(
      `game ${game.name} is not one actorwire knows, so it has no built-in policy: give a module path like --policy ./my-policy.js, or an action to send each turn like --action '1 row=0 col=2'`,
    );
  }
  const name = policyName ?? 'default';
  const policy = game.known.policies?.[name];
  if (!policy) throw new UsageError(`game ${game.name} has no policy '${name}' (known: ${Object.keys(game.known.policies ?? {}).join(', ')}; or give a module path like ./my-policy.js)`);
  return policy;
}

function coordinationOption(value: string | undefined, game: InterfaceGame): Coordination {
  if (value === undefined) return game.known?.coordination ?? 'turn';
  if (value !== 'turn' && value !== 'simultaneous') throw new UsageError(`--coordination must be turn or simultaneous, got '${value}'`);
  return value;
}

/**
 * Says why a session that saw no observation ended, on stderr, and gives its exit code: a
 * refusal (`end` right away: the engine cannot run the game named, or has no seat) or a closed
 * connection (a pymasep engine whose import of the game fails stops without a word) is no success.
 */
function reportSession(command: string, game: string, end: InterfaceEnd): number {
  if (end.observations > 0 || end.reason === 'stopped') return end.reason === 'disconnected' ? 1 : 0;
  const what =
    end.reason === 'end'
      ? 'the engine ended the session before any observation: it refused us'
      : 'the engine closed the connection before any observation';
  process.stderr.write(
    `actorwire masep ${command}: ${what}. It may not run game ${game} (a pymasep engine can only run game classes it can import), or have no free seat; its own log says which.\n`,
  );
  return 1;
}

async function agentCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(argv, {
    ...CONNECT_OPTIONS,
    policy: { type: 'string' },
    action: { type: 'string' },
    coordination: { type: 'string' },
    episodes: { type: 'string' },
  });
  const game = interfaceGame(values.game);
  const policy = await agentPolicy(game, values.policy, values.action);
  const coordination = coordinationOption(values.coordination, game);
  const episodes = optionalCount(values.episodes, '--episodes');
  const agent = await connectInterface(values, SubAppRole.ACTOR, policy, coordination);
  // One line per finished episode, so that a user sees progress: the episode, its steps, our reward.
  let total = 0;
  agent.observations$.subscribe((observation) => {
    total += observation.generic.reward ?? 0;
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
  return reportSession('agent', game.name, end);
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
  return reportSession('observe', interfaceGame(values.game).name, end);
}

/** `actorwire masep <engine|agent|observe> ...`; resolves with the exit code. */
export function masepCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'engine') return engineCommand(rest);
  if (sub === 'agent') return agentCommand(rest);
  if (sub === 'observe') return observeCommand(rest);
  throw new UsageError(`unknown masep command '${sub ?? ''}'`);
}
