import { Buffer } from 'node:buffer';
import type { Bus } from '../actors/bus/bus.js';
import { acquireBus } from '../actors/bus/bus-registry.js';
import { NoRespondersError, RemoteCallError } from '../actors/rsb/errors.js';
import type { RsbEvent } from '../actors/rsb/event.js';
import { Informer } from '../actors/rsb/informer.js';
import { Listener } from '../actors/rsb/listener.js';
import type { ParticipantOptions } from '../actors/rsb/participant-options.js';
import { RemoteServer } from '../actors/rsb/remote-server.js';
import type { RsbServerMode } from '../actors/rsb/config.js';
import { TimeoutError } from '../actors/errors.js';
import {
  EventId,
  RawPayload,
  Scope,
  TypedValue,
  bytesValue,
  float32,
  int32,
  int64,
  uint32,
  uint64,
  asciiString,
} from '../protocols/rsb/index.js';
import { numberOption, parseCommandLine, portOption } from './arguments.js';
import { runUntilStopped, type RunningService } from './service.js';
import { UsageError } from './usage-error.js';

/** Default port of the RSB bus server, as in every original implementation. */
export const RSB_DEFAULT_PORT = 55555;

/** Usage lines of `actorwire rsb`. */
export const RSB_USAGE = `actorwire rsb bus [--host 127.0.0.1] [--port 55555] [--bridge nats://host:4222[,nats://...]] [--max-connections 1024]
actorwire rsb listen [--host h] [--port p] [--server auto|0|1] [--nats url[,url]] [--count n] <scope>
actorwire rsb send [--host h] [--port p] [--server auto|0|1] [--nats url[,url]] [--method m] <scope> <value> [--type utf-8-string|int64|double|bool|bytes|...]
actorwire rsb call [--host h] [--port p] [--server auto|0|1] [--nats url[,url]] [--timeout s] <server-scope> <method> [<value> --type ...]
  (host, port and server default to RSB_TRANSPORT_SOCKET_* and rsb.conf, then localhost:55555 auto;
   --nats, or RSB_TRANSPORT_NATS_ENABLED=1 with RSB_TRANSPORT_NATS_SERVERS, uses the bus on NATS instead;
   bytes values are hex; types: utf-8-string ascii-string bool int32 uint32 int64 uint64 float double void bytes .* scope)`;

const BUS_FLAGS = {
  host: { type: 'string' },
  port: { type: 'string' },
  server: { type: 'string' },
  nats: { type: 'string' },
} as const;

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
  };
}

function serverMode(value: string | undefined): RsbServerMode | undefined {
  if (value === undefined) return undefined;
  if (value === '1' || value === 'true') return 'server';
  if (value === '0' || value === 'false') return 'client';
  if (value === 'auto') return 'auto';
  throw new UsageError(`--server must be auto, 0 or 1, got '${value}'`);
}

function natsServers(value: string): string[] {
  const servers = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (servers.length === 0) throw new UsageError('give at least one NATS server URL');
  return servers;
}

function participantOptions(values: { host?: string; port?: string; server?: string; nats?: string }): ParticipantOptions {
  if (values.nats !== undefined) return { transport: 'nats', nats: { servers: natsServers(values.nats) } };
  return {
    socket: {
      host: values.host,
      port: values.port === undefined ? undefined : portOption(values.port, RSB_DEFAULT_PORT),
      server: serverMode(values.server),
    },
  };
}

/** Parses a command-line value as the given wire schema. */
export function parseRsbValue(text: string | undefined, type: string): unknown {
  if (type === 'void') {
    if (text !== undefined) throw new UsageError('a void value takes no argument');
    return null;
  }
  if (text === undefined) throw new UsageError(`give a value of type ${type}`);
  const number = (): number => {
    const n = Number(text);
    if (text.trim() === '' || Number.isNaN(n)) throw new UsageError(`'${text}' is not a number`);
    return n;
  };
  const integer = (): bigint => {
    if (!/^-?\d+$/.test(text)) throw new UsageError(`'${text}' is not an integer`);
    return BigInt(text);
  };
  const hex = (): Uint8Array => {
    if (!/^([0-9a-fA-F]{2})*$/.test(text)) throw new UsageError(`'${text}' is not hex bytes`);
    return Uint8Array.from(Buffer.from(text, 'hex'));
  };
  switch (type) {
    case 'utf-8-string':
      return text;
    case 'ascii-string':
      return asciiString(text);
    case 'bool':
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      throw new UsageError(`'${text}' is not a bool (true/false/1/0)`);
    case 'int32':
      return int32(Number(integer()));
    case 'uint32':
      return uint32(Number(integer()));
    case 'int64':
      return int64(integer());
    case 'uint64':
      return uint64(integer());
    case 'float':
      return float32(number());
    case 'double':
      return number();
    case 'bytes':
      return bytesValue(hex());
    case '.*':
      return hex();
    case 'scope':
      return Scope.parse(text);
    default:
      throw new UsageError(`unknown --type '${type}'`);
  }
}

/** A decoded payload as JSON-friendly data. */
export function jsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Scope) return value.text;
  if (value instanceof RawPayload) return { wireSchema: value.wireSchema, hex: Buffer.from(value.data).toString('hex') };
  if (value instanceof Uint8Array) return { hex: Buffer.from(value).toString('hex') };
  if (value instanceof EventId) return { sender: value.sender, sequenceNumber: value.sequenceNumber };
  if (value instanceof TypedValue) return jsonValue(value.value);
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value ?? null;
}

/** Keeps `JSON.stringify` working on values nested in decoded messages (bigint fields). */
function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** One event as the JSON object `rsb listen` prints. */
export function eventJson(event: RsbEvent): Record<string, unknown> {
  return {
    scope: event.scope.text,
    wireSchema: event.wireSchema,
    data: jsonValue(event.data),
    sender: event.id.sender,
    sequenceNumber: event.id.sequenceNumber,
    method: event.method ?? null,
    causes: event.causes.map((c) => jsonValue(c)),
    userInfos: event.userInfos,
    userTimes: event.userTimes,
    createTime: event.createTime,
    sendTime: event.sendTime,
    receiveTime: event.receiveTime,
  };
}

function describeBus(bus: Bus): string {
  const address = bus.transport.address;
  return address ? `${bus.role} of ${address.host}:${address.port}` : bus.role;
}

async function listen(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { ...BUS_FLAGS, count: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('give exactly one scope');
  const limit = numberOption(values.count, Infinity, '--count');
  const listener = await Listener.create(positionals[0], participantOptions(values));
  let seen = 0;
  let finish!: (code: number) => void;
  const done = new Promise<number>((resolve) => (finish = resolve));
  listener.events$.subscribe({
    next: (event) => {
      process.stdout.write(JSON.stringify(eventJson(event), jsonReplacer) + '\n');
      if (++seen >= limit) finish(0);
    },
    error: (err: Error) => {
      process.stderr.write(`actorwire: ${err.message}\n`);
      finish(1);
    },
  });
  process.stderr.write(`rsb listening for ${listener.scope.text} as ${describeBus(listener.bus)}\n`);
  const stop = (): void => finish(0);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const code = limit === 0 ? 0 : await done;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  await listener.close();
  return code;
}

async function send(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { ...BUS_FLAGS, type: { type: 'string', default: 'utf-8-string' }, method: { type: 'string' } });
  if (positionals.length < 1 || positionals.length > 2) throw new UsageError('give a scope and a value');
  const value = parseRsbValue(positionals[1], values.type);
  const informer = await Informer.create(positionals[0], participantOptions(values));
  try {
    const id = await informer.publish(value, { method: values.method });
    process.stderr.write(`sent ${id.toString()} to ${informer.scope.text} as ${describeBus(informer.bus)}\n`);
  } finally {
    await informer.close();
  }
  return 0;
}

async function call(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { ...BUS_FLAGS, type: { type: 'string' }, timeout: { type: 'string' } });
  if (positionals.length < 2 || positionals.length > 3) throw new UsageError('give a server scope, a method and optionally a value');
  const [scope, method, text] = positionals;
  const type = values.type ?? (text === undefined ? 'void' : 'utf-8-string');
  const arg = parseRsbValue(text, type);
  const timeoutMs = numberOption(values.timeout, 25, '--timeout') * 1000;
  const remote = await RemoteServer.create(scope, { ...participantOptions(values), timeoutMs });
  try {
    const reply = await remote.call(method, arg);
    process.stdout.write(JSON.stringify(jsonValue(reply), jsonReplacer) + '\n');
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

async function bus(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(argv, {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string' },
    bridge: { type: 'string' },
    'max-connections': { type: 'string' },
  });
  const service = await startRsbService({
    host: values.host,
    port: portOption(values.port, RSB_DEFAULT_PORT),
    maxConnections: values['max-connections'] === undefined ? undefined : numberOption(values['max-connections'], 0, '--max-connections'),
    bridge: values.bridge === undefined ? undefined : natsServers(values.bridge),
  });
  if (values.bridge !== undefined) process.stderr.write(`rsb bus on ${service.address.host}:${service.address.port} bridged to ${values.bridge}\n`);
  await runUntilStopped([service]);
  return 0;
}

/** `actorwire rsb <bus|listen|send|call> ...` */
export function rsbCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'bus':
      return bus(rest);
    case 'listen':
      return listen(rest);
    case 'send':
      return send(rest);
    case 'call':
      return call(rest);
    default:
      throw new UsageError(`unknown rsb command '${sub ?? ''}'`);
  }
}
