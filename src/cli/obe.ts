import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ObeClient } from '../obe/client.js';
import { parseRunSpec, DEMO_RUN_SPEC, type RunSpec } from '../obe/run-spec.js';
import { OBE_DEFAULT_PORT, ObeServer, type ObeDonePolicy, type ObeServerOptions } from '../obe/server.js';
import { pythonJsonDumps } from '../protocols/obe/python-json-encode.js';
import { pythonJsonLoads, PythonJsonSyntaxError } from '../protocols/obe/python-json-parse.js';
import { Option, type Command } from 'commander';
import { countArgument, nonNegativeArgument, portArgument, positiveCountArgument } from './arguments.js';
import { addGroup, addServerCommand, exitCodeOf } from './command-tree.js';
import { runUntilStopped, type RunningService } from './service.js';
import type { MonitorAddress } from '../monitor/monitor-address.js';
import { UsageError } from './usage-error.js';

/**
 * Options of {@link startObeService}: the server's own, with the demo as the default run (no run
 * until the first newrun, unless a run is given: then it starts at once).
 */
export type ObeServiceOptions = Pick<
  ObeServerOptions,
  'host' | 'run' | 'startRun' | 'onDone' | 'maxBodyBytes' | 'requestTimeoutMs' | 'maxRunBytes' | 'maxReplyBytes' | 'maxConnections' | 'whenFull' | 'threads'
> & { port: number };

/**
 * Starts an OBE server as a CLI service. With only host and port it serves the original's server
 * demo: the Lorentzian model and prior with 10 000 particles and `scale=False`, started by the
 * demo client's `newrun {lolim, hilim, steps}`.
 */
export async function startObeService(options: ObeServiceOptions): Promise<RunningService> {
  const server = new ObeServer({ ...options, run: options.run ?? DEMO_RUN_SPEC, startRun: options.startRun ?? options.run !== undefined });
  const address = await server.start();
  return { name: 'obe', address, stopped: server.stopped, stop: () => server.stop(), watch: (monitor) => monitor.addObe(server) };
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
const MIB = 1024 * 1024;

interface ServeFlags {
  host: string;
  port: number;
  config?: string;
  model?: string;
  particles?: number;
  seed?: number;
  threads?: number;
  arithmetic?: 'original' | 'fast';
  onDone?: ObeDonePolicy;
  maxBody?: number;
  requestTimeout?: number;
  maxRunMib?: number;
  maxReplyMib?: number;
  maxConnections?: number;
  whenFull?: 'evict-idle' | 'refuse';
  monitor?: MonitorAddress;
}

async function serve(flags: ServeFlags): Promise<number> {
  const configured = flags.config !== undefined;
  let run: RunSpec = configured ? await loadRunSpecFile(flags.config!) : DEMO_RUN_SPEC;
  const overrides: Record<string, unknown> = {};
  if (flags.model !== undefined) overrides.model = flags.model;
  if (flags.particles !== undefined) overrides.particles = flags.particles;
  if (flags.seed !== undefined) overrides.seed = flags.seed;
  if (flags.arithmetic !== undefined) overrides.tuning = { ...run.tuning, arithmetic: flags.arithmetic };
  if (Object.keys(overrides).length > 0) run = parseRunSpec({ ...run, ...overrides });
  const service = await startObeService({
    host: flags.host,
    port: flags.port,
    run,
    // The demo, as the original, has no run until the client's newrun; a config file starts its run.
    startRun: configured,
    onDone: flags.onDone,
    maxBodyBytes: flags.maxBody,
    requestTimeoutMs: flags.requestTimeout,
    maxRunBytes: flags.maxRunMib === undefined ? undefined : flags.maxRunMib * MIB,
    maxReplyBytes: flags.maxReplyMib === undefined ? undefined : flags.maxReplyMib * MIB,
    maxConnections: flags.maxConnections,
    whenFull: flags.whenFull,
    threads: flags.threads,
  });
  await runUntilStopped([service], flags.monitor);
  return 0;
}

interface SendFlags {
  host: string;
  port: number;
  timeout: number;
}

async function send(json: string, flags: SendFlags): Promise<number> {
  let message;
  try {
    message = pythonJsonLoads(json, { keepInts: true });
  } catch (err) {
    throw new UsageError(`the message is not JSON (${err instanceof Error ? err.message : String(err)}); quote it for the shell, e.g. '{"command": "ready"}'`);
  }
  const client = new ObeClient({ host: flags.host, port: flags.port, timeoutMs: flags.timeout, keepInts: true });
  const reply = await client.request(message);
  process.stdout.write(pythonJsonDumps(reply) + '\n');
  const isError = typeof reply === 'object' && reply !== null && !Array.isArray(reply) && 'error' in reply;
  return isError ? 1 : 0;
}

/** Adds `actorwire obe serve|send`. */
export function obeCommands(program: Command): void {
  const obe = addGroup(program, 'obe', 'OBE (optbayesexpt): sequential Bayesian experiment design over TCP');
  addServerCommand(obe, 'serve', "serve OBE runs; with no options the original server's Lorentzian demo, started by the demo client's newrun", OBE_DEFAULT_PORT)
    .option('--config <file>', 'a JSON run spec (docs/OBE-RUN-SPEC.md); its run starts at once')
    .option('--model <name>', 'a built-in model by name, overriding the run spec (docs/OBE-RUN-SPEC.md lists them)')
    .option('--particles <n>', 'particle count, overriding the run spec', positiveCountArgument)
    .option('--seed <n>', 'random seed, overriding the run spec', countArgument)
    .option('--threads <n>', 'threads for the particle loops of runs of 20 000 particles or more, and the most a run spec may ask for (results are the same bits for any count; default: the number of cores)', positiveCountArgument)
    .addOption(new Option('--arithmetic <kind>', "the update's arithmetic, overriding the run spec: original (NumPy's bits) or fast (log space)").choices(['original', 'fast']))
    .addOption(new Option('--on-done <policy>', "what a client's done does: stop the server, end its run, or nothing").choices(DONE_POLICIES).default('stop'))
    .option('--max-body <bytes>', 'largest request body', nonNegativeArgument, 16 * MIB)
    .option('--request-timeout <ms>', 'a request started but not completed within this is dropped (0: never)', nonNegativeArgument, 10_000)
    .option('--max-run-mib <MiB>', 'memory one run may take; larger runs are refused with RUN_TOO_LARGE', nonNegativeArgument, 256)
    .option('--max-reply-mib <MiB>', 'largest reply, estimated before it is written (REPLY_TOO_LARGE)', nonNegativeArgument, 64)
    .option('--max-connections <n>', 'clients served at once', positiveCountArgument, 1024)
    .addOption(new Option('--when-full <policy>', 'a newcomer beyond --max-connections evicts the longest-silent client, or is refused').choices(['evict-idle', 'refuse']).default('evict-idle'))
    .action(exitCodeOf((flags: ServeFlags) => serve(flags)));
  obe
    .command('send')
    .description('send one JSON message to an OBE server and print the reply (exit 1 when the reply is an error)')
    .argument('<json>', `the message, e.g. '{"command": "ready"}'`)
    .option('--host <address>', 'server address', '127.0.0.1')
    .option('--port <port>', 'server port', portArgument, OBE_DEFAULT_PORT)
    .option('--timeout <ms>', 'wait this long for the reply', nonNegativeArgument, 30_000)
    .action(exitCodeOf((json: string, flags: SendFlags) => send(json, flags)));
}
