import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Bus } from '../actors/bus/bus.js';
import { acquireBus } from '../actors/bus/bus-registry.js';
import { NoRespondersError, RemoteCallError } from '../actors/rsb/errors.js';
import { Informer } from '../actors/rsb/informer.js';
import type { ParticipantOptions } from '../actors/rsb/participant-options.js';
import { RemoteServer } from '../actors/rsb/remote-server.js';
import type { RsbServerMode } from '../actors/rsb/config.js';
import { BusTap } from '../actors/rsb/tools/bus-tap.js';
import { RsbToolError } from '../actors/rsb/tools/errors.js';
import { jsonValue, toJsonText } from '../actors/rsb/tools/event-json.js';
import { EventLogger } from '../actors/rsb/tools/event-logger.js';
import { LOGGER_STYLES, type LoggerStyle } from '../actors/rsb/tools/event-styles.js';
import { parseFilterSpec } from '../actors/rsb/tools/filter-spec.js';
import { PAYLOAD_TYPES, parsePayload, parseTypedPayload, type PayloadSources, type PayloadType } from '../actors/rsb/tools/payload-syntax.js';
import { isProtobufTypeName, ProtobufTextTypes, type ProtobufTypeName } from '../actors/rsb/tools/protobuf-text.js';
import { renderRecordingSummary, summariseRecording } from '../actors/rsb/tools/recording-info.js';
import { RecordingPlayer } from '../actors/rsb/tools/recording-player.js';
import { RecordingWriter } from '../actors/rsb/tools/recording-writer.js';
import { TimeoutError } from '../actors/errors.js';
import { collectArgument, countArgument, nonNegativeArgument, portArgument, positiveArgument, positiveCountArgument, urlListArgument } from './arguments.js';
import { addGroup, addServerCommand, exitCodeOf } from './command-tree.js';
import { runUntilStopped, type RunningService } from './service.js';
import type { MonitorAddress } from '../monitor/monitor-address.js';
import { UsageError } from './usage-error.js';

/** Default port of the RSB bus server, as in every original implementation. */
export const RSB_DEFAULT_PORT = 55555;

/** Starts an RSB bus server as a CLI service (`actorwire rsb bus`, `actorwire serve`). */
export async function startRsbService(options: { host?: string; port: number; bridge?: readonly string[]; maxConnections?: number }): Promise<RunningService> {
  const lease = await acquireBus({
    transport: 'socket',
    host: options.host ?? '127.0.0.1',
    port: options.port,
    server: 'server',
    maxConnections: options.maxConnections,
    bridge: options.bridge === undefined ? undefined : { servers: options.bridge, name: 'actorwire-rsb-bridge' },
  });
  const address = lease.bus.transport.address!;
  return {
    name: 'rsb',
    address,
    stopped: lease.bus.closed.then(() => undefined),
    stop: () => lease.release(),
    watch: (monitor) => monitor.addBus(lease.bus),
  };
}

/** The flags that choose the bus of a participant command. */
interface BusFlags {
  host?: string;
  port?: number;
  server?: RsbServerMode;
  nats?: string[];
}

function serverMode(value: string): RsbServerMode {
  if (value === '1' || value === 'true') return 'server';
  if (value === '0' || value === 'false') return 'client';
  if (value === 'auto') return 'auto';
  throw new InvalidArgumentError('give auto, 0 (client) or 1 (server).');
}

/** Adds the bus flags to a participant command. */
function busOptions(command: Command): Command {
  return command
    .option('--host <address>', 'bus host (default: RSB_TRANSPORT_SOCKET_HOST, rsb.conf, localhost)')
    .option('--port <port>', `bus port (default: RSB_TRANSPORT_SOCKET_PORT, rsb.conf, ${RSB_DEFAULT_PORT})`, portArgument)
    .option('--server <auto|0|1>', 'be the bus server (1), its client (0), or the server when none runs (auto; the default)', serverMode)
    .option('--nats <url[,url]>', 'use the bus on these NATS servers instead of a socket bus', urlListArgument);
}

function participantOptions(flags: BusFlags): ParticipantOptions {
  if (flags.nats !== undefined) return { transport: 'nats', nats: { servers: flags.nats } };
  return { socket: { host: flags.host, port: flags.port, server: flags.server } };
}

/** Tool errors a user caused (a payload or filter that does not parse) are usage errors. */
function asUsage<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof RsbToolError && (err.code === 'RSB_BAD_FILTER' || err.code === 'RSB_BAD_PAYLOAD')) throw new UsageError(err.message);
    throw err;
  }
}

function describeBus(bus: Bus): string {
  const address = bus.transport.address;
  return address ? `${bus.role} of ${address.host}:${address.port}` : bus.role;
}

/** Resolves on SIGINT or SIGTERM; the returned function removes the handlers. */
function onSignal(stop: () => void): () => void {
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
}

interface LoggerFlags extends BusFlags {
  style: LoggerStyle;
  descriptorSet?: string[];
  filter?: string[];
  stopAfter?: number;
  count?: number;
}

async function logger(scopes: string[], flags: LoggerFlags): Promise<number> {
  const filters = asUsage(() => (flags.filter ?? []).map(parseFilterSpec));
  const stopAfter = flags.stopAfter ?? flags.count;
  const types = await protobufTypes(flags);
  const tap = await BusTap.create(scopes, { ...participantOptions(flags), filters });
  const log = new EventLogger({ style: flags.style, stopAfter, protobufTypes: types, write: (text) => void process.stdout.write(text) });
  let failed = false;
  const subscription = tap.notifications$.subscribe({
    next: (n) => log.log(n),
    error: (err: Error) => {
      process.stderr.write(`actorwire: the bus was lost: ${err.message}\n`);
      failed = true;
      log.stop();
    },
  });
  if (tap.bus.status === 'open') process.stderr.write(`rsb listening for ${tap.scopes.map((s) => s.text).join(' ')} as ${describeBus(tap.bus)}\n`);
  const removeHandlers = onSignal(() => log.stop());
  await log.done;
  removeHandlers();
  subscription.unsubscribe();
  await tap.close();
  return failed ? 1 : 0;
}

/** Standard input and files, for the payloads `-` and `#P"path"`. */
const PAYLOAD_SOURCES: PayloadSources = {
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  },
  readFile: (path) => readFile(path),
};

/** A `--type`: a wire schema of {@link PAYLOAD_TYPES}, or a protobuf type `.package.Message`. */
type SchemaFlag = PayloadType | ProtobufTypeName;

function schemaArgument(value: string): SchemaFlag {
  if ((PAYLOAD_TYPES as readonly string[]).includes(value)) return value as PayloadType;
  if (isProtobufTypeName(value)) return value;
  throw new InvalidArgumentError(`give one of ${PAYLOAD_TYPES.join(', ')}, or a protobuf type .package.Message.`);
}

/** The flags of the commands that read a payload. */
interface PayloadFlags {
  type?: SchemaFlag;
  descriptorSet?: string[];
}

/** The protobuf types a payload may name: the built-in ones and those of `--descriptor-set` files. */
async function protobufTypes(flags: PayloadFlags): Promise<ProtobufTextTypes> {
  if (flags.descriptorSet === undefined) return ProtobufTextTypes.builtIn();
  const sets = await Promise.all(flags.descriptorSet.map((path) => readFile(path)));
  return asUsage(() => ProtobufTextTypes.withDescriptorSets(sets));
}

async function readPayload(text: string | undefined, type: SchemaFlag | undefined, types: ProtobufTextTypes): Promise<unknown> {
  try {
    return type === undefined ? await parsePayload(text, PAYLOAD_SOURCES, types) : await parseTypedPayload(text, type, PAYLOAD_SOURCES, types);
  } catch (err) {
    if (err instanceof RsbToolError) throw new UsageError(err.message);
    throw err;
  }
}

interface SendFlags extends BusFlags, PayloadFlags {
  method?: string;
}

async function send(scope: string, text: string | undefined, flags: SendFlags): Promise<number> {
  const types = await protobufTypes(flags);
  const value = await readPayload(text, flags.type, types);
  const informer = await Informer.create(scope, { ...participantOptions(flags), converters: types.converters() });
  try {
    const id = await informer.publish(value, { method: flags.method });
    process.stderr.write(`sent ${id.toString()} to ${informer.scope.text} as ${describeBus(informer.bus)}\n`);
    const bus = informer.bus;
    if ((bus.role === 'server' && bus.stats().connections === 0) || bus.role === 'inprocess') {
      const where = bus.transport.address ? ` at ${bus.transport.address.host}:${bus.transport.address.port}` : '';
      process.stderr.write(
        `warning: nobody received the event: no bus was running${where}, so this process was the bus, alone. Start one with 'actorwire rsb bus', or give --host/--port (--server 0 fails instead of sending alone).\n`,
      );
    }
  } finally {
    await informer.close();
  }
  return 0;
}

interface CallFlags extends BusFlags, PayloadFlags {
  timeout: number;
}

async function call(scope: string, method: string, text: string | undefined, flags: CallFlags): Promise<number> {
  const types = await protobufTypes(flags);
  // A string unless --type says otherwise; the originals' pb:.p.M:{...} literal names its type.
  const type = flags.type ?? (text === undefined ? 'void' : text.startsWith('pb:') ? undefined : 'utf-8-string');
  const arg = await readPayload(text, type, types);
  const remote = await RemoteServer.create(scope, { ...participantOptions(flags), converters: types.converters(), timeoutMs: flags.timeout * 1000 });
  try {
    const reply = await remote.call(method, arg);
    process.stdout.write(toJsonText(jsonValue(reply)) + '\n');
    return 0;
  } catch (err) {
    if (err instanceof RemoteCallError) {
      process.stderr.write(`actorwire: remote error: ${err.message}\n`);
      return 1;
    }
    if (err instanceof TimeoutError || err instanceof NoRespondersError) {
      process.stderr.write(`actorwire: ${err.message}\n`);
      return 3;
    }
    throw err;
  } finally {
    await remote.close();
  }
}

interface BusCommandFlags {
  host: string;
  port: number;
  bridge?: string[];
  maxConnections?: number;
  monitor?: MonitorAddress;
}

async function bus(flags: BusCommandFlags): Promise<number> {
  const service = await startRsbService({ host: flags.host, port: flags.port, maxConnections: flags.maxConnections, bridge: flags.bridge });
  if (flags.bridge !== undefined) process.stderr.write(`rsb bus bridged to ${flags.bridge.join(',')}\n`);
  await runUntilStopped([service], flags.monitor);
  return 0;
}

interface RecordFlags extends BusFlags {
  output: string;
  append: boolean;
  filter?: string[];
  stopAfter?: number;
}

async function record(scopes: string[], flags: RecordFlags): Promise<number> {
  const filters = asUsage(() => (flags.filter ?? []).map(parseFilterSpec));
  let writer: RecordingWriter;
  try {
    writer = await RecordingWriter.open(flags.output, { append: flags.append });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`${flags.output} exists: give --append to add to it, or another file name`);
    throw err;
  }
  if (writer.continued) {
    const cut = writer.continued.trailingBytes > 0 ? `, cut ${writer.continued.trailingBytes} bytes of an interrupted record` : '';
    process.stderr.write(`appending to ${flags.output} after ${writer.continued.records} records${cut}\n`);
  }
  const tap = await BusTap.create(scopes, { ...participantOptions(flags), filters });
  let finish!: (code: number) => void;
  const done = new Promise<number>((resolve) => (finish = resolve));
  const subscription = tap.notifications$.subscribe({
    next: ({ notification, receiveTime }) => {
      writer.write(notification, receiveTime);
      if (writer.count === flags.stopAfter) finish(0);
    },
    error: (err: Error) => {
      process.stderr.write(`actorwire: the bus was lost: ${err.message}\n`);
      finish(1);
    },
  });
  if (tap.bus.status === 'open') process.stderr.write(`rsb recording ${tap.scopes.map((s) => s.text).join(' ')} as ${describeBus(tap.bus)} to ${flags.output}\n`);
  const removeHandlers = onSignal(() => finish(0));
  const code = flags.stopAfter === 0 ? 0 : await done;
  removeHandlers();
  subscription.unsubscribe();
  await tap.close();
  await writer.close();
  process.stderr.write(`recorded ${writer.count} events to ${flags.output}\n`);
  return code;
}

interface PlayFlags extends BusFlags {
  rate: number;
  loop: boolean;
  scopePrefix?: string;
}

async function play(file: string, flags: PlayFlags): Promise<number> {
  const player = await RecordingPlayer.create(participantOptions(flags));
  const abort = new AbortController();
  const removeHandlers = onSignal(() => abort.abort());
  try {
    process.stderr.write(`rsb playing ${file} as ${describeBus(player.bus)}, sender ${player.senderId}\n`);
    const result = await asUsageAsync(() => player.play(file, { rate: flags.rate, loop: flags.loop, scopePrefix: flags.scopePrefix, signal: abort.signal }));
    const tail = result.end.tail === 'none' ? '' : ` (the file ends with ${result.end.trailingBytes} bytes of an ${result.end.tail} record, ignored)`;
    process.stderr.write(`played ${result.events} events${result.skipped > 0 ? `, skipped ${result.skipped} that do not decode` : ''}${tail}\n`);
    return 0;
  } finally {
    removeHandlers();
    await player.close();
  }
}

async function asUsageAsync<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof RsbToolError && err.code === 'RECORDING_BAD_HEADER') throw new UsageError(err.message);
    throw err;
  }
}

async function info(file: string): Promise<number> {
  const summary = await asUsageAsync(() => summariseRecording(file));
  process.stdout.write(renderRecordingSummary(file, summary));
  return 0;
}

function scopeArgument(value: string): string {
  if (!value.startsWith('/')) throw new InvalidArgumentError(`a scope starts with '/', e.g. /${value}/.`);
  return value;
}

/** Adds `actorwire rsb bus|logger|listen|send|call|record|play|info`. */
export function rsbCommands(program: Command): void {
  const rsb = addGroup(program, 'rsb', 'RSB (Robotics Service Bus) socket transport: a bus, its tools, and NATS for several hosts');
  addServerCommand(rsb, 'bus', 'run a bus server (sockets of any RSB implementation connect to it); --bridge shares it with other hosts through NATS', RSB_DEFAULT_PORT)
    .option('--bridge <url[,url]>', 'NATS servers to bridge the bus to', urlListArgument)
    .option('--max-connections <n>', 'clients at once; more get a FIN', positiveCountArgument, 1024)
    .action(exitCodeOf((flags: BusCommandFlags) => bus(flags)));
  const styles = (style: LoggerStyle): Option =>
    new Option('--style <style>', 'compact: a line per event; detailed: every field; json: a JSON line; payload: the payload alone; statistics: a per-scope table each second; monitor: a scope tree with rates each second')
      .choices(LOGGER_STYLES)
      .default(style);
  const loggerCommand = (name: string, style: LoggerStyle, description: string): Command =>
    busOptions(rsb.command(name))
      .description(description)
      .argument('[scope...]', 'scopes to listen on (default /)', (value: string, previous: string[] | undefined) => [...(previous ?? []), scopeArgument(value)])
      .addOption(styles(style))
      .option('--filter <spec>', 'keep matching events: scope=/a/, origin=<uuid>, schema=<wire schema>, method=<name>; != negates; repeat to combine', collectArgument)
      .option('--stop-after <n>', 'exit after n events (statistics: print the totals then)', countArgument)
      .option('--descriptor-set <file>', 'show payloads of these protobuf types decoded (text; JSON in --style json): a FileDescriptorSet, as rsb send; repeatable', collectArgument);
  loggerCommand('logger', 'compact', 'print the events on some scopes (docs/RSB.md, "rsb logger")').action(
    exitCodeOf((scopes: string[], flags: LoggerFlags) => logger(scopes, flags)),
  );
  loggerCommand('listen', 'json', 'rsb logger with --style json by default')
    .option('--count <n>', 'the same as --stop-after', countArgument)
    .action(exitCodeOf((scopes: string[], flags: LoggerFlags) => logger(scopes, flags)));
  busOptions(rsb.command('send'))
    .description(`publish one event; warns when nobody received it`)
    .argument('<scope>', 'scope of the event', scopeArgument)
    .argument('[payload]', 'true/false, a number (int64, or double with a point), "text", /a/scope/, - (stdin), #P"file" or @file, pb:.package.Message:{fields}; other text is a string; none: void')
    .option('--type <schema>', `send the payload as this wire schema instead: ${PAYLOAD_TYPES.join(', ')} (bytes and .* in hex), or a protobuf type .package.Message (text format)`, schemaArgument)
    .option('--descriptor-set <file>', 'protobuf types for pb: and --type: a FileDescriptorSet (protoc --include_imports --descriptor_set_out); repeatable', collectArgument)
    .option('--method <name>', 'the event method (REQUEST, REPLY, SURVEY, ...)')
    .action(exitCodeOf((scope: string, payload: string | undefined, flags: SendFlags) => send(scope, payload, flags)));
  busOptions(rsb.command('call'))
    .description('call a method of an RSB server and print its reply (exit 1 on an error reply, 3 on a timeout)')
    .argument('<server-scope>', 'scope of the server', scopeArgument)
    .argument('<method>', 'method name')
    .argument('[argument]', 'the argument, a string unless --type says otherwise or it is pb:.package.Message:{fields}; none: void')
    .option('--type <schema>', `wire schema of the argument: ${PAYLOAD_TYPES.join(', ')}, or a protobuf type .package.Message (text format)`, schemaArgument)
    .option('--descriptor-set <file>', 'protobuf types for pb: and --type (as rsb send); repeatable', collectArgument)
    .option('--timeout <s>', 'seconds to wait for the reply', nonNegativeArgument, 25)
    .action(exitCodeOf((scope: string, method: string, arg: string | undefined, flags: CallFlags) => call(scope, method, arg, flags)));
  busOptions(rsb.command('record'))
    .description('record the events on some scopes into a file until Ctrl-C (format: docs/RSB-RECORDING.md)')
    .argument('[scope...]', 'scopes to record (default /)', (value: string, previous: string[] | undefined) => [...(previous ?? []), scopeArgument(value)])
    .requiredOption('-o, --output <file>', 'the recording file')
    .option('--append', 'add to an existing recording (an interrupted last record is cut first)', false)
    .option('--filter <spec>', 'record only matching events (as rsb logger --filter)', collectArgument)
    .option('--stop-after <n>', 'exit after n events', countArgument)
    .action(exitCodeOf((scopes: string[], flags: RecordFlags) => record(scopes, flags)));
  busOptions(rsb.command('play'))
    .description('publish the events of a recording again, with their timing and fresh event ids')
    .argument('<file>', 'the recording')
    .option('--rate <r>', 'speed: 2 plays twice as fast', positiveArgument, 1)
    .option('--loop', 'play again and again until Ctrl-C', false)
    .option('--scope-prefix <scope>', 'publish under this scope: /x/ turns /a/ into /x/a/', scopeArgument)
    .action(exitCodeOf((file: string, flags: PlayFlags) => play(file, flags)));
  rsb
    .command('info')
    .description('summarise a recording: duration, events and bytes per scope, wire schemas, whether it was interrupted')
    .argument('<file>', 'the recording')
    .action(exitCodeOf((file: string) => info(file)));
}
