import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ObeClient } from '../obe/client.js';
import { parseRunSpec, DEMO_RUN_SPEC, type RunSpec } from '../obe/run-spec.js';
import { OBE_DEFAULT_PORT, ObeServer, type ObeDonePolicy, type ObeServerOptions } from '../obe/server.js';
import { pythonJsonDumps } from '../protocols/obe/python-json-encode.js';
import { pythonJsonLoads, PythonJsonSyntaxError } from '../protocols/obe/python-json-parse.js';
import { numberOption, parseCommandLine, portOption } from './arguments.js';
import { runUntilStopped, type RunningService } from './service.js';
import { UsageError } from './usage-error.js';

/** Usage lines of `actorwire obe`. */
export const OBE_USAGE = `actorwire obe serve [--host 127.0.0.1] [--port 61981] [--config run.json] [--model <name>] [--particles <n>]
                   [--seed <n>] [--on-done stop|end-run|ignore] [--max-body <bytes>] [--request-timeout <ms>] [--max-run-mib 256] [--max-reply-mib 64]
                   [--max-connections 1024] [--when-full evict-idle|refuse]
actorwire obe send [--host 127.0.0.1] [--port 61981] [--timeout 30000] '<json>'`;

/**
 * Options of {@link startObeService}: the server's own, with the demo as the default run (no run
 * until the first newrun, unless a run is given: then it starts at once).
 */
export type ObeServiceOptions = Pick<
  ObeServerOptions,
  'host' | 'run' | 'startRun' | 'onDone' | 'maxBodyBytes' | 'requestTimeoutMs' | 'maxRunBytes' | 'maxReplyBytes' | 'maxConnections' | 'whenFull'
> & { port: number };

/**
 * Starts an OBE server as a CLI service. With only host and port it serves the original's server
 * demo: the Lorentzian model and prior with 10 000 particles and `scale=False`, started by the
 * demo client's `newrun {lolim, hilim, steps}`.
 */
export async function startObeService(options: ObeServiceOptions): Promise<RunningService> {
  const server = new ObeServer({ ...options, run: options.run ?? DEMO_RUN_SPEC, startRun: options.startRun ?? options.run !== undefined });
  const address = await server.start();
  return { name: 'obe', address, stopped: server.stopped, stop: () => server.stop() };
}

/** Reads a run spec file; relative model module paths are taken from the file's directory. */
export async function loadRunSpecFile(path: string): Promise<RunSpec> {
  const text = await readFile(path, 'utf8');
  let value: unknown;
  try {
    value = pythonJsonLoads(text, { keepInts: true });
  } catch (err) {
    throw new UsageError(`${path}: ${err instanceof PythonJsonSyntaxError ? err.message : String(err)}`);
  }
  return parseRunSpec(value, { baseDir: dirname(resolve(path)) });
}

const DONE_POLICIES: readonly ObeDonePolicy[] = ['stop', 'end-run', 'ignore'];

function whenFullOption(value: string | undefined): ObeServerOptions['whenFull'] {
  if (value === undefined || value === 'evict-idle' || value === 'refuse') return value;
  throw new UsageError('--when-full must be evict-idle or refuse');
}

async function serve(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(argv, {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string' },
    config: { type: 'string' },
    model: { type: 'string' },
    particles: { type: 'string' },
    seed: { type: 'string' },
    'on-done': { type: 'string' },
    'max-body': { type: 'string' },
    'request-timeout': { type: 'string' },
    'max-run-mib': { type: 'string' },
    'max-reply-mib': { type: 'string' },
    'max-connections': { type: 'string' },
    'when-full': { type: 'string' },
  });
  const configured = values.config !== undefined;
  let run: RunSpec = configured ? await loadRunSpecFile(values.config!) : DEMO_RUN_SPEC;
  const overrides: Record<string, unknown> = {};
  if (values.model !== undefined) overrides.model = values.model;
  if (values.particles !== undefined) overrides.particles = numberOption(values.particles, 0, '--particles');
  if (values.seed !== undefined) overrides.seed = numberOption(values.seed, 0, '--seed');
  if (Object.keys(overrides).length > 0) run = parseRunSpec({ ...run, ...overrides });
  const onDone = values['on-done'];
  if (onDone !== undefined && !DONE_POLICIES.includes(onDone as ObeDonePolicy)) throw new UsageError(`--on-done must be one of ${DONE_POLICIES.join(', ')}`);
  const service = await startObeService({
    host: values.host,
    port: portOption(values.port, OBE_DEFAULT_PORT),
    run,
    // The demo, as the original, has no run until the client's newrun; a config file starts its run.
    startRun: configured,
    onDone: onDone as ObeDonePolicy | undefined,
    maxBodyBytes: values['max-body'] === undefined ? undefined : numberOption(values['max-body'], 0, '--max-body'),
    requestTimeoutMs: values['request-timeout'] === undefined ? undefined : numberOption(values['request-timeout'], 0, '--request-timeout'),
    maxRunBytes: values['max-run-mib'] === undefined ? undefined : numberOption(values['max-run-mib'], 0, '--max-run-mib') * 1024 * 1024,
    maxReplyBytes: values['max-reply-mib'] === undefined ? undefined : numberOption(values['max-reply-mib'], 0, '--max-reply-mib') * 1024 * 1024,
    maxConnections: values['max-connections'] === undefined ? undefined : numberOption(values['max-connections'], 0, '--max-connections'),
    whenFull: whenFullOption(values['when-full']),
  });
  await runUntilStopped([service]);
  return 0;
}

async function send(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string' },
    timeout: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError(`give one JSON message, e.g. '{"command": "ready"}'`);
  let message;
  try {
    message = pythonJsonLoads(positionals[0], { keepInts: true });
  } catch (err) {
    throw new UsageError(`the message is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const client = new ObeClient({ host: values.host, port: portOption(values.port, OBE_DEFAULT_PORT), timeoutMs: numberOption(values.timeout, 30_000, '--timeout'), keepInts: true });
  const reply = await client.request(message);
  process.stdout.write(pythonJsonDumps(reply) + '\n');
  const isError = typeof reply === 'object' && reply !== null && !Array.isArray(reply) && 'error' in reply;
  return isError ? 1 : 0;
}

/** `actorwire obe <serve|send> ...` */
export function obeCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'serve') return serve(rest);
  if (sub === 'send') return send(rest);
  throw new UsageError(`unknown obe command '${sub ?? ''}'`);
}
