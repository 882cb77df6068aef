import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CommandRegistry, type OnelineHandler } from '../actors/oneline/command-registry.js';
import { OnelineClient } from '../actors/oneline/oneline-client.js';
import { OnelineServer } from '../actors/oneline/oneline-server.js';
import { sampleHandlers } from '../actors/oneline/sample-handlers.js';
import { numberOption, parseCommandLine, portOption } from './arguments.js';
import { runUntilStopped, type RunningService } from './service.js';
import { UsageError } from './usage-error.js';

/** Default port of `actorwire serve` for socket-oneline: the original sample's 5001. */
export const ONELINE_DEFAULT_PORT = 5001;

export const ONELINE_USAGE = `actorwire oneline serve [--host 127.0.0.1] [--port 0] [--handlers <module>] [--max-line <bytes>] [--idle-timeout 300000]
actorwire oneline send [--host 127.0.0.1] --port <port> [--responses 1] [--timeout 3000] <command>...`;

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
  return { name: 'oneline', address, stopped: server.stopped, stop: () => server.stop() };
}

async function serve(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(argv, {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string' },
    handlers: { type: 'string' },
    'max-line': { type: 'string' },
    'idle-timeout': { type: 'string' },
  });
  const handlers = values.handlers ? await loadHandlers(values.handlers) : undefined;
  const service = await startOnelineService({
    host: values.host,
    port: portOption(values.port, 0),
    handlers,
    maxLineBytes: values['max-line'] === undefined ? undefined : numberOption(values['max-line'], 0, '--max-line'),
    idleTimeoutMs: values['idle-timeout'] === undefined ? undefined : numberOption(values['idle-timeout'], 0, '--idle-timeout'),
  });
  await runUntilStopped([service]);
  return 0;
}

async function send(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string' },
    responses: { type: 'string' },
    timeout: { type: 'string' },
  });
  if (values.port === undefined) throw new UsageError('--port is required');
  if (positionals.length === 0) throw new UsageError('give at least one command');
  const responses = numberOption(values.responses, 1, '--responses');
  const timeout = numberOption(values.timeout, 3000, '--timeout');
  const client = new OnelineClient({ host: values.host, port: portOption(values.port, 0), recvTimeoutMs: timeout });
  if (!(await client.connect())) {
    process.stderr.write(`no oneline server answering ping at ${values.host}:${values.port}\n`);
    return 3;
  }
  let missing = 0;
  for (const command of positionals) {
    if (command === 'disconnect' || command === 'shutdown') {
      await (command === 'shutdown' ? client.shutdown() : client.disconnect());
      return missing > 0 ? 1 : 0;
    }
    client.send(command);
    for (let i = 0; i < responses; i++) {
      const line = await client.recv();
      if (line === '' && !client.connected) break;
      if (line === '') missing++;
      else process.stdout.write(line + '\n');
    }
  }
  await client.disconnect();
  if (missing > 0) process.stderr.write(`${missing} response(s) did not arrive within ${timeout} ms\n`);
  return missing > 0 ? 1 : 0;
}

/** `actorwire oneline <serve|send> ...` */
export function onelineCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'serve') return serve(rest);
  if (sub === 'send') return send(rest);
  throw new UsageError(`unknown oneline command '${sub ?? ''}'`);
}
