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
import { Option, type Command } from 'commander';
import { nonNegativeArgument, portArgument, positiveCountArgument } from './arguments.js';
import { addGroup, addServerCommand, exitCodeOf } from './command-tree.js';
import { runUntilStopped, type RunningService } from './service.js';
import type { MonitorAddress } from '../monitor/monitor-address.js';
import type { ListenAddress } from '../actors/server.js';
import { UsageError } from './usage-error.js';

/** Default port of a masep engine: pymasep's 60000. */
export const MASEP_DEFAULT_PORT = 60000;

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
  return engineService(engine, await engine.listen());
}

/** A listening engine as a CLI service. */
function engineService(engine: MasepEngine, address: ListenAddress): RunningService {
  return {
    name: 'masep',
    address,
    stopped: engine.done.then(() => undefined),
    stop: () => engine.stop().then(() => undefined),
    watch: (monitor) => monitor.addMasep(engine),
  };
}

function printSummary(summary: EpisodeSummary): void {
  process.stdout.write(JSON.stringify(summary) + '\n');
}

interface EngineFlags {
  game: string;
  host: string;
  port: number;
  episodes?: number;
  players?: number;
  maxConnections: number;
  actionTimeout: number;
  onTimeout: 'skip' | 'remove';
  discovery: boolean;
  discoveryGroup?: string;
  discoveryPort?: number;
  discoveryInterface?: string;
  monitor?: MonitorAddress;
}

async function engineCommand(values: EngineFlags): Promise<number> {
  const game = gameNamed(values.game);
  const engine = new MasepEngine({
    games: demoGames,
    game: game.name,
    host: values.host,
    port: values.port,
    episodes: values.episodes ?? Infinity,
    players: values.players,
    maxConnections: values.maxConnections,
    actionTimeoutMs: values.actionTimeout,
    onActionTimeout: values.onTimeout,
    discovery: values.discovery
      ? { group: values.discoveryGroup, port: values.discoveryPort, interfaceAddress: values.discoveryInterface }
      : undefined,
  });
  engine.events$.subscribe((event) => {
    if (event.type === 'episode-ended') printSummary({ episode: event.episode, steps: event.steps, rewards: event.rewards });
  });
  const address = await engine.listen();
  await runUntilStopped([engineService(engine, address)], values.monitor);
  return 0;
}

/** The connection flags shared by `agent` and `observe`. */
interface ConnectValues {
  game: string;
  host: string;
  port: number;
  discover: boolean;
  discoveryGroup?: string;
  discoveryPort?: number;
  discoveryInterface?: string;
  id?: string;
}

/** Finds the engine (flags or discovery) and starts an interface session on it. */
async function connectInterface(values: ConnectValues, role: string, policy?: Policy, coordination?: Coordination): Promise<MasepInterface> {
  let host = values.host;
  let port = values.port;
  if (values.discover) {
    const found = await discoverEngine({ group: values.discoveryGroup, port: values.discoveryPort, interfaceAddress: values.discoveryInterface });
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

interface AgentFlags extends ConnectValues {
  policy?: string;
  action?: string;
  coordination?: string;
  episodes?: number;
}

async function agentCommand(values: AgentFlags): Promise<number> {
  const game = interfaceGame(values.game);
  const policy = await agentPolicy(game, values.policy, values.action);
  const coordination = coordinationOption(values.coordination, game);
  const episodes = values.episodes;
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

interface ObserveFlags extends ConnectValues {
  episodes?: number;
  count?: number;
}

async function observeCommand(values: ObserveFlags): Promise<number> {
  const { episodes, count } = values;
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

/** The flags of `agent` and `observe` that find the engine and name the game. */
function connectOptions(command: Command): Command {
  return command
    .option('--game <name>', 'a demo game, or the Python class path a pymasep engine runs (only sent, never loaded)', RESOURCE_GRID)
    .option('--host <address>', 'engine address', '127.0.0.1')
    .option('--port <port>', 'engine port', portArgument, MASEP_DEFAULT_PORT)
    .option('--discover', "find the engine with pymasep's UDP multicast query instead of --host/--port", false)
    .option('--discovery-group <ip>', 'multicast group of the query', '224.3.29.71')
    .option('--discovery-port <port>', 'UDP port of the query', portArgument, 10000)
    .option('--discovery-interface <ip>', 'local interface to send the query on')
    .option('--id <uuid>', 'the interface id (default: a random UUID)');
}

/** Adds `actorwire masep engine|agent|observe`. */
export function masepCommands(program: Command): void {
  const masep = addGroup(program, 'masep', 'pymasep: multi-agent simulations, an engine and its agents and observers');
  addServerCommand(masep, 'engine', 'run a game engine; prints one JSON line per finished episode (episode, steps, rewards)', MASEP_DEFAULT_PORT)
    .option('--game <name>', `the game (${demoGames.names().join(', ')})`, RESOURCE_GRID)
    .option('--episodes <n>', 'stop after n episodes (default: run until a signal)', positiveCountArgument)
    .option('--players <n>', "agents an episode waits for (default: the game's)", positiveCountArgument)
    .option('--max-connections <n>', 'interfaces at once (more are turned away politely)', positiveCountArgument, 10)
    .option('--action-timeout <ms>', "how long an agent's action is waited for", nonNegativeArgument, 10_000)
    .addOption(new Option('--on-timeout <what>', 'an agent that misses its turn is skipped, or removed').choices(['skip', 'remove']).default('skip'))
    .option('--discovery', "answer pymasep's UDP multicast discovery queries", false)
    .option('--discovery-group <ip>', 'multicast group', '224.3.29.71')
    .option('--discovery-port <port>', 'UDP port', portArgument, 10000)
    .option('--discovery-interface <ip>', 'interface to join the group on')
    .action(exitCodeOf((flags: EngineFlags) => engineCommand(flags)));
  connectOptions(masep.command('agent'))
    .description('play as an agent: one JSON line per finished episode (episode, steps, reward), then how the session ended; Ctrl-C or --episodes stops it')
    .option('--policy <name|module>', 'a built-in policy (default, greedy, random, stay) or a module path like ./my-policy.js')
    .option('--action <spec>', "send this action on each of its turns: '<type> key=value ...', values read as Python literals (3, 0.5, True, None, 'text')")
    .option('--coordination <how>', "act when heading AgentOrder (turn) or on every step (simultaneous); default: the game's, turn for a game actorwire does not know")
    .option('--episodes <n>', 'leave after n finished episodes', positiveCountArgument)
    .action(exitCodeOf((flags: AgentFlags) => agentCommand(flags)));
  connectOptions(masep.command('observe'))
    .description('watch as an observer: one JSON line per observation; Ctrl-C, --episodes or --count stops it')
    .option('--episodes <n>', 'leave after n finished episodes', positiveCountArgument)
    .option('--count <n>', 'leave after n observations', positiveCountArgument)
    .action(exitCodeOf((flags: ObserveFlags) => observeCommand(flags)));
}
