import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CommandRegistry, type OnelineHandler } from '../actors/oneline/command-registry.js';
import { OnelineClient } from '../actors/oneline/oneline-client.js';
import { OnelineServer } from '../actors/oneline/oneline-server.js';
import { sampleHandlers } from '../actors/oneline/sample-handlers.js';
import type { Command } from 'commander';
import { countArgument, nonNegativeArgument, portArgument } from './arguments.js';
import { addGroup, addServerCommand, exitCodeOf } from './command-tree.js';
import { runUntilStopped, type RunningService } from './service.js';
import type { MonitorAddress } from '../monitor/monitor-address.js';
import { UsageError } from './usage-error.js';

/** Default port of `actorwire serve` for socket-oneline: the original sample's 5001. */
export const ONELINE_DEFAULT_PORT = 5001;

/**
 * Loads a handler module: its default export is a function that receives the registry, a
 * CommandRegistry, or an object mapping command names to handlers (`fallback` for the rest).
 */
export async function loadHandlers(path: string): Promise<CommandRegistry> {
  const loaded = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
  const exported = loaded.default ?? loaded;
  if (exported instanceof CommandRegistry) return exported;
  const registry = new CommandRegistry();
  if (typeof exported === 'function') {
    await (exported as (r: CommandRegistry) => unknown)(registry);
    return registry;
  }
  if (exported && typeof exported === 'object') {
    for (const [name, handler] of Object.entries(exported)) {
      if (typeof handler !== 'function') continue;
      if (name === 'fallback') registry.setFallback(handler as OnelineHandler);
      else if (name === 'invalid') registry.setInvalidHandler(handler as OnelineHandler);
      else registry.register(name, handler as OnelineHandler);
    }
    return registry;
  }
  throw new UsageError(`${path} exports no handlers`);
}

/**
 * How long the CLI lets the one served client sit idle before closing it so that a held client
 * gets the slot, in ms. The original waits forever (`--idle-timeout 0`), which lets one silent
 * client lock every other out.
 */
export const ONELINE_CLI_IDLE_TIMEOUT_MS = 300_000;

/** What a oneline CLI service is started with. */
export interface OnelineServiceOptions {
  host?: string;
  port: number;
  handlers?: CommandRegistry;
  maxLineBytes?: number;
  /** Idle time after which the served client is closed, in ms (0: never). Default {@link ONELINE_CLI_IDLE_TIMEOUT_MS}. */
  idleTimeoutMs?: number;
}

/** Starts a oneline server as a CLI service. */
export async function startOnelineService(options: OnelineServiceOptions): Promise<RunningService> {
  const server = new OnelineServer({
    host: options.host,
    port: options.port,
    handlers: options.handlers ?? sampleHandlers(),
    maxLineBytes: options.maxLineBytes,
    connection: { idleTimeoutMs: options.idleTimeoutMs ?? ONELINE_CLI_IDLE_TIMEOUT_MS },
  });
  const address = await server.start();
  return { name: 'oneline', address, stopped: server.stopped, stop: () => server.stop(), watch: (monitor) => monitor.addOneline(server) };
}

interface ServeFlags {
  host: string;
  port: number;
  handlers?: string;
  maxLine?: number;
  idleTimeout?: number;
  monitor?: MonitorAddress;
}

async function serve(flags: ServeFlags): Promise<number> {
  const handlers = flags.handlers ? await loadHandlers(flags.handlers) : undefined;
  const service = await startOnelineService({
    host: flags.host,
    port: flags.port,
    handlers,
    maxLineBytes: flags.maxLine,
    idleTimeoutMs: flags.idleTimeout,
  });
  await runUntilStopped([service], flags.monitor);
  return 0;
}

interface SendFlags {
  host: string;
  port: number;
  responses: number;
  timeout: number;
}

async function send(commands: string[], flags: SendFlags): Promise<number> {
  const client = new OnelineClient({ host: flags.host, port: flags.port, recvTimeoutMs: flags.timeout });
  if (!(await client.connect())) {
    process.stderr.write(`no oneline server answering ping at ${flags.host}:${flags.port}: start one with 'actorwire oneline serve', or give its --host and --port\n`);
    return 3;
  }
  let missing = 0;
  for (const command of commands) {
    if (command === 'disconnect' || command === 'shutdown') {
      await (command === 'shutdown' ? client.shutdown() : client.disconnect());
      return missing > 0 ? 1 : 0;
    }
    client.send(command);
    for (let i = 0; i < flags.responses; i++) {
      const line = await client.recv();
      if (line === '' && !client.connected) break;
      if (line === '') missing++;
      else process.stdout.write(line + '\n');
    }
  }
  await client.disconnect();
  if (missing > 0) process.stderr.write(`${missing} response(s) did not arrive within ${flags.timeout} ms (a slow command? raise --timeout)\n`);
  return missing > 0 ? 1 : 0;
}

/** Adds `actorwire oneline serve|send`. */
export function onelineCommands(program: Command): void {
  const oneline = addGroup(program, 'oneline', 'socket-oneline: newline-terminated commands, one client at a time');
  addServerCommand(oneline, 'serve', "serve one client at a time until a client sends 'shutdown' (or a signal); without --handlers, answers like the original sample (cmd01 -> ack)", 0)
    .option('--handlers <module>', 'a module whose default export registers command handlers (see docs/ONELINE.md)')
    .option('--max-line <bytes>', 'longest line accepted', nonNegativeArgument, 65536)
    .option('--idle-timeout <ms>', 'close the served client after this much silence, so a held one gets the slot (0: never)', nonNegativeArgument, ONELINE_CLI_IDLE_TIMEOUT_MS)
    .action(exitCodeOf((flags: ServeFlags) => serve(flags)));
  oneline
    .command('send')
    .description('check the server with ping/pong, send each command, print its response line(s); disconnect/shutdown end the list')
    .argument('<command...>', 'commands to send, in order')
    .option('--host <address>', 'server address', '127.0.0.1')
    .requiredOption('--port <port>', 'server port', portArgument)
    .option('--responses <n>', 'response lines to read per command', countArgument, 1)
    .option('--timeout <ms>', 'wait this long for each response line', nonNegativeArgument, 3000)
    .action(exitCodeOf((commands: string[], flags: SendFlags) => send(commands, flags)));
}
