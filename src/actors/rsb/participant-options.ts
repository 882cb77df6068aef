import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { ConverterRegistry } from '../../protocols/rsb/index.js';
import type { Bus } from '../bus/bus.js';
import type { BusEndpoint } from '../bus/bus-registry.js';
import type { SocketBusTuning } from '../bus/bus-options.js';
import type { NatsBusTuning } from '../bus/transports/nats-options.js';
import {
  readRsbConfigFiles,
  resolveRsbNatsOptions,
  resolveRsbSocketOptions,
  rsbConfigFileLocations,
  type RsbConfigFile,
  type RsbNatsOptions,
  type RsbSocketOptions,
} from './config.js';

/** Options every participant (informer, listener, reader, servers) accepts. */
export interface ParticipantOptions {
  /**
   * `nats` (default when `transport.nats.enabled` is on), `socket` (default otherwise when
   * `transport.socket.enabled` is on, as in the originals) or `inprocess` (this process only).
   */
  readonly transport?: 'socket' | 'inprocess' | 'nats';
  /** NATS transport options: the highest priority, above environment and config files. */
  readonly nats?: Partial<RsbNatsOptions> & NatsBusTuning;
  /** Socket transport options: the highest priority, above environment and config files. */
  readonly socket?: Partial<RsbSocketOptions> & SocketBusTuning;
  /** The environment read for `RSB_TRANSPORT_SOCKET_*` and `RSB_CONFIG_FILES`. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Configuration files, lowest priority first. Default: the `rsb.conf` files of the standard
   * locations that exist (`/etc/rsb.conf`, `~/.config/rsb.conf`, `./rsb.conf`, or
   * `RSB_CONFIG_FILES`).
   */
  readonly configFiles?: readonly RsbConfigFile[];
  /** Converters for payloads. Default: every fundamental converter. */
  readonly converters?: ConverterRegistry;
  /** Use this bus instead of the process's shared one (the caller keeps ownership). */
  readonly bus?: Bus;
}

let defaultConverters: ConverterRegistry | undefined;

/** The converters a participant uses. */
export function convertersOf(options: ParticipantOptions): ConverterRegistry {
  return options.converters ?? (defaultConverters ??= ConverterRegistry.withDefaults());
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
    throw err;
  }
}

/**
 * The bus endpoint the options select: socket (and NATS) options from defaults < config files <
 * environment < `options.socket` (`options.nats`), as the originals rank them. Throws `RsbConfigError` for a bad
 * value.
 */
export function resolveBusEndpoint(options: ParticipantOptions = {}): BusEndpoint {
  const env = options.env ?? process.env;
  const files =
    options.configFiles ??
    readRsbConfigFiles(rsbConfigFileLocations({ env, home: homedir(), cwd: process.cwd() }), { readFile: readIfExists });
  const { enabled, host, port, server, tcpNoDelay, ...tuning } = options.socket ?? {};
  const socket = resolveRsbSocketOptions({ files, env, overrides: { enabled, host, port, server, tcpNoDelay } });
  const { enabled: natsEnabled, servers, user, password, token, prefix, bufferBytes, ...natsTuning } = options.nats ?? {};
  const nats = resolveRsbNatsOptions({ files, env, overrides: { enabled: natsEnabled, servers, user, password, token, prefix, bufferBytes } });
  const transport = options.transport ?? (nats.enabled ? 'nats' : socket.enabled ? 'socket' : 'inprocess');
  if (transport === 'inprocess') return { transport: 'inprocess' };
  if (transport === 'nats') {
    return {
      transport: 'nats',
      ...natsTuning,
      servers: nats.servers,
      user: nats.user,
      pass: nats.password,
      token: nats.token,
      subjectPrefix: nats.prefix,
      maxReconnectBufferBytes: nats.bufferBytes,
    };
  }
  return { transport: 'socket', host: socket.host, port: socket.port, server: socket.server, ...tuning, tcpNoDelay: socket.tcpNoDelay };
}
