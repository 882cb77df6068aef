import { join } from 'node:path';
import { RsbConfigError } from './errors.js';

/** Which role the socket transport takes on its endpoint (`server` option `1`, `0`, `auto`). */
export type RsbServerMode = 'server' | 'client' | 'auto';

/** The socket transport's options, as every original reads them from `transport.socket.*`. */
export interface RsbSocketOptions {
  /** `enabled`: whether the socket transport is used. Default true (rsb-python, rsb-cpp). */
  readonly enabled: boolean;
  /** `host`: where clients connect. Default `localhost`. */
  readonly host: string;
  /** `port`: default 55555. */
  readonly port: number;
  /** `server`: `1` server, `0` client, `auto` (default): try to listen, else connect. */
  readonly server: RsbServerMode;
  /** `tcpnodelay` (rsb-cpp/java/cl) or `nodelay` (rsb-python). Default true. */
  readonly tcpNoDelay: boolean;
}

/** The defaults shared by all original implementations. */
export const DEFAULT_RSB_SOCKET_OPTIONS: RsbSocketOptions = Object.freeze({
  enabled: true,
  host: 'localhost',
  port: 55555,
  server: 'auto',
  tcpNoDelay: true,
});

/** Raw configuration: dotted option keys (`transport.socket.port`) to string values. */
export type RsbConfigValues = ReadonlyMap<string, string>;

/** One configuration file's text and, for error messages, its path. */
export interface RsbConfigFile {
  readonly path?: string;
  readonly text: string;
}

const SOCKET_PREFIX = 'transport.socket.';
const NATS_PREFIX = 'transport.nats.';
const CONFIG_FILES_VARIABLE = 'RSB_CONFIG_FILES';

/**
 * Parses an `rsb.conf` INI file as rsb-python's `RawConfigParser` does: `[section]` headers,
 * `key = value` or `key: value` lines, option names lower-cased, comment lines starting with
 * `#` or `;`, indented continuation lines, and everything after a `#` in a value dropped. Each
 * option becomes `<section>.<key>`. Throws {@link RsbConfigError} for an option before any
 * section or a line that is neither.
 *
 * @example
 * ```ts
 * parseRsbConfigFile('[transport.socket]\nport = 4444 # test bus\n').get('transport.socket.port'); // '4444'
 * ```
 */
export function parseRsbConfigFile(text: string, path = 'rsb.conf'): Map<string, string> {
  const raw = new Map<string, string>();
  let section: string | undefined;
  let lastKey: string | undefined;
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    if (/^\s/.test(line) && lastKey !== undefined) {
      raw.set(lastKey, `${raw.get(lastKey)}\n${trimmed}`);
      continue;
    }
    const header = /^\[([^\]]+)\]/.exec(trimmed);
    if (header) {
      section = header[1].trim();
      lastKey = undefined;
      continue;
    }
    const separator = trimmed.search(/[=:]/);
    if (separator <= 0) throw new RsbConfigError(`${path}:${i + 1}: expected "key = value", got ${JSON.stringify(trimmed)}`);
    if (section === undefined) throw new RsbConfigError(`${path}:${i + 1}: option outside of any [section]`);
    lastKey = `${section}.${trimmed.slice(0, separator).trim().toLowerCase()}`;
    raw.set(lastKey, trimmed.slice(separator + 1).trim());
  }
  const values = new Map<string, string>();
  for (const [key, value] of raw) values.set(key, value.split('#')[0].trim());
  return values;
}

/**
 * The options set through `RSB_*` environment variables: the name without `RSB_`, lower-cased,
 * with every `_` turned into `.` (so `RSB_TRANSPORT_SOCKET_PORT` sets `transport.socket.port`),
 * as rsb-python maps them. `RSB_CONFIG_FILES` is not an option. Empty values are ignored
 * (rsb-python refuses to start on them instead).
 */
export function rsbConfigFromEnvironment(env: Readonly<Record<string, string | undefined>>): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('RSB_') || name === CONFIG_FILES_VARIABLE || value === undefined || value === '') continue;
    values.set(name.slice(4).toLowerCase().replace(/_/g, '.'), value);
  }
  return values;
}

/** Inputs of {@link rsbConfigFileLocations}. */
export interface RsbConfigFileLocationOptions {
  /** The environment, for `RSB_CONFIG_FILES`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The user's home directory (`~/.config/rsb.conf`); omitted: that file is skipped. */
  readonly home?: string;
  /** The working directory (`./rsb.conf`); omitted: that file is skipped. */
  readonly cwd?: string;
  /**
   * The RSB installation prefix (`$prefix/etc/rsb.conf`). A Node program has none, so the file
   * is skipped unless a prefix is given.
   */
  readonly prefix?: string;
}

/**
 * The configuration files to read, lowest priority first: `/etc/rsb.conf`,
 * `$prefix/etc/rsb.conf`, `~/.config/rsb.conf`, `./rsb.conf`. When `RSB_CONFIG_FILES` is set
 * (rsb-python) it replaces that list: colon-separated paths, where `%system`, `%prefix`, `%user`
 * and `%pwd` stand for the four defaults and an empty value means no file at all.
 */
export function rsbConfigFileLocations(options: RsbConfigFileLocationOptions = {}): string[] {
  const placeholders: Record<string, string | undefined> = {
    '%system': '/etc/rsb.conf',
    '%prefix': options.prefix === undefined ? undefined : join(options.prefix, 'etc', 'rsb.conf'),
    '%user': options.home === undefined ? undefined : join(options.home, '.config', 'rsb.conf'),
    '%pwd': options.cwd === undefined ? undefined : join(options.cwd, 'rsb.conf'),
  };
  const fromEnv = options.env?.[CONFIG_FILES_VARIABLE];
  const specs = fromEnv === undefined ? Object.keys(placeholders) : fromEnv.split(':').filter((f) => f !== '');
  const paths: string[] = [];
  for (const spec of specs) {
    const path = spec in placeholders ? placeholders[spec] : spec;
    if (path !== undefined) paths.push(path);
  }
  return paths;
}

/**
 * The NATS transport's options (`transport.nats.*`, an actorwire extension: the originals have
 * no NATS transport and ignore the section).
 */
export interface RsbNatsOptions {
  /** `enabled`: participants use the bus on NATS instead of the socket transport. Default false. */
  readonly enabled: boolean;
  /** `servers`: comma-separated URLs. Default `nats://127.0.0.1:4222`. */
  readonly servers: readonly string[];
  /** `user` (with `password`). */
  readonly user?: string;
  /** `password`. */
  readonly password?: string;
  /** `token`: an authentication token instead of user and password. */
  readonly token?: string;
  /** `prefix`: the subject prefix. Default `rsb`. */
  readonly prefix: string;
  /** `buffer`: bytes of publishes kept while reconnecting. Default 8 MiB. */
  readonly bufferBytes: number;
}

/** The defaults of {@link RsbNatsOptions}. */
export const DEFAULT_RSB_NATS_OPTIONS: RsbNatsOptions = Object.freeze({
  enabled: false,
  servers: Object.freeze(['nats://127.0.0.1:4222']),
  prefix: 'rsb',
  bufferBytes: 8 * 1024 * 1024,
});

/** Inputs of {@link resolveRsbSocketOptions}, each optional; later ones win. */
export interface RsbConfigSources {
  /** Configuration files in {@link rsbConfigFileLocations} order (lowest priority first). */
  readonly files?: readonly RsbConfigFile[];
  /** The environment (`RSB_TRANSPORT_SOCKET_*`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Programmatic options: the highest priority. */
  readonly overrides?: Partial<RsbSocketOptions>;
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

function parseBoolean(value: string, where: string): boolean {
  const word = value.toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new RsbConfigError(`${where}: expected a boolean (1/0, true/false, yes/no), got ${JSON.stringify(value)}`);
}

function parseServer(value: string, where: string): RsbServerMode {
  const word = value.toLowerCase();
  if (word === '1' || word === 'true') return 'server';
  if (word === '0' || word === 'false') return 'client';
  if (word === 'auto') return 'auto';
  throw new RsbConfigError(`${where}: server must be 1, 0, true, false or auto, not ${JSON.stringify(value)}`);
}

function parsePort(value: string, where: string): number {
  if (!/^\d{1,5}$/.test(value.trim()) || Number(value) > 65535) {
    throw new RsbConfigError(`${where}: port must be an integer in 0..65535, not ${JSON.stringify(value)}`);
  }
  return Number(value);
}

interface Setting {
  readonly value: string;
  readonly where: string;
  /** Index of the source in priority order, to rank `tcpnodelay` against `nodelay`. */
  readonly rank: number;
}

/**
 * Resolves the socket transport's options from defaults < files (in order) < environment <
 * overrides, the priorities every original uses. Values are validated here, at the boundary;
 * a bad one throws {@link RsbConfigError} naming its source. Options other than `enabled`,
 * `host`, `port`, `server`, `tcpnodelay` and `nodelay` are ignored. When both `tcpnodelay`
 * (C++/Java/Lisp) and `nodelay` (Python) are set, the one from the higher-priority source wins,
 * and `tcpnodelay` within one source.
 *
 * @example
 * ```ts
 * resolveRsbSocketOptions({
 *   files: [{ path: '/etc/rsb.conf', text: '[transport.socket]\nserver = 1\n' }],
 *   env: { RSB_TRANSPORT_SOCKET_PORT: '4444' },
 * }); // { enabled: true, host: 'localhost', port: 4444, server: 'server', tcpNoDelay: true }
 * ```
 */
export function resolveRsbSocketOptions(sources: RsbConfigSources = {}): RsbSocketOptions {
  const settings = collectSettings(SOCKET_PREFIX, sources);

  const get = (name: string) => settings.get(name);
  const enabled = get('enabled');
  const host = get('host');
  const port = get('port');
  const server = get('server');
  const tcp = get('tcpnodelay');
  const python = get('nodelay');
  const noDelay = tcp !== undefined && (python === undefined || tcp.rank >= python.rank) ? tcp : python;
  if (host !== undefined && host.value.trim() === '') throw new RsbConfigError(`${host.where}: host is empty`);

  const resolved: RsbSocketOptions = {
    enabled: enabled === undefined ? DEFAULT_RSB_SOCKET_OPTIONS.enabled : parseBoolean(enabled.value, enabled.where),
    host: host === undefined ? DEFAULT_RSB_SOCKET_OPTIONS.host : host.value.trim(),
    port: port === undefined ? DEFAULT_RSB_SOCKET_OPTIONS.port : parsePort(port.value, port.where),
    server: server === undefined ? DEFAULT_RSB_SOCKET_OPTIONS.server : parseServer(server.value, server.where),
    tcpNoDelay: noDelay === undefined ? DEFAULT_RSB_SOCKET_OPTIONS.tcpNoDelay : parseBoolean(noDelay.value, noDelay.where),
  };
  const overrides = Object.fromEntries(Object.entries(sources.overrides ?? {}).filter(([, v]) => v !== undefined));
  const merged: RsbSocketOptions = { ...resolved, ...overrides };
  if (!Number.isInteger(merged.port) || merged.port < 0 || merged.port > 65535) {
    throw new RsbConfigError(`overrides: port must be an integer in 0..65535, not ${merged.port}`);
  }
  if (merged.host === '') throw new RsbConfigError('overrides: host is empty');
  return merged;
}

/** The options under `prefix` from files (in order) < environment, with their sources. */
function collectSettings(prefix: string, sources: { readonly files?: readonly RsbConfigFile[]; readonly env?: Readonly<Record<string, string | undefined>> }): Map<string, Setting> {
  const settings = new Map<string, Setting>();
  const apply = (values: RsbConfigValues, where: (key: string) => string, rank: number) => {
    for (const [key, value] of values) {
      if (key.startsWith(prefix)) settings.set(key.slice(prefix.length), { value, where: where(key), rank });
    }
  };
  const files = sources.files ?? [];
  files.forEach((file, index) => {
    const path = file.path ?? `config file ${index + 1}`;
    apply(parseRsbConfigFile(file.text, path), (key) => `${path} [${key}]`, index);
  });
  if (sources.env !== undefined) {
    apply(rsbConfigFromEnvironment(sources.env), (key) => `RSB_${key.replace(/\./g, '_').toUpperCase()}`, files.length);
  }
  return settings;
}

/** Inputs of {@link resolveRsbNatsOptions}; later ones win. */
export interface RsbNatsConfigSources {
  readonly files?: readonly RsbConfigFile[];
  /** The environment (`RSB_TRANSPORT_NATS_*`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Programmatic options: the highest priority. */
  readonly overrides?: Partial<RsbNatsOptions>;
}

/**
 * Resolves the NATS transport's options from defaults < files < environment < overrides, read
 * and validated like the socket transport's: keys `enabled`, `servers` (comma-separated URLs),
 * `user`, `password`, `token`, `prefix` and `buffer` (bytes) under `[transport.nats]`, or
 * `RSB_TRANSPORT_NATS_ENABLED`, `RSB_TRANSPORT_NATS_SERVERS`, ... in the environment.
 *
 * @example
 * ```ts
 * resolveRsbNatsOptions({ env: { RSB_TRANSPORT_NATS_ENABLED: '1', RSB_TRANSPORT_NATS_SERVERS: 'nats://a:4222,nats://b:4222' } });
 * // { enabled: true, servers: ['nats://a:4222', 'nats://b:4222'], prefix: 'rsb', bufferBytes: 8388608 }
 * ```
 */
export function resolveRsbNatsOptions(sources: RsbNatsConfigSources = {}): RsbNatsOptions {
  const settings = collectSettings(NATS_PREFIX, sources);
  const text = (name: string): string | undefined => {
    const setting = settings.get(name);
    if (setting === undefined) return undefined;
    if (setting.value.trim() === '') throw new RsbConfigError(`${setting.where}: ${name} is empty`);
    return setting.value.trim();
  };
  const enabled = settings.get('enabled');
  const servers = text('servers');
  const buffer = settings.get('buffer');
  if (buffer !== undefined && !/^\d+$/.test(buffer.value.trim())) {
    throw new RsbConfigError(`${buffer.where}: buffer must be a number of bytes, not ${JSON.stringify(buffer.value)}`);
  }
  const prefix = text('prefix');
  if (prefix !== undefined && !/^[-_a-zA-Z0-9]+(\.[-_a-zA-Z0-9]+)*$/.test(prefix)) {
    throw new RsbConfigError(`${settings.get('prefix')!.where}: prefix must be NATS subject tokens, not ${JSON.stringify(prefix)}`);
  }
  const resolved: RsbNatsOptions = {
    enabled: enabled === undefined ? DEFAULT_RSB_NATS_OPTIONS.enabled : parseBoolean(enabled.value, enabled.where),
    servers: servers === undefined ? DEFAULT_RSB_NATS_OPTIONS.servers : servers.split(',').map((s) => s.trim()).filter((s) => s !== ''),
    user: text('user'),
    password: text('password'),
    token: text('token'),
    prefix: prefix ?? DEFAULT_RSB_NATS_OPTIONS.prefix,
    bufferBytes: buffer === undefined ? DEFAULT_RSB_NATS_OPTIONS.bufferBytes : Number(buffer.value.trim()),
  };
  const overrides = Object.fromEntries(Object.entries(sources.overrides ?? {}).filter(([, v]) => v !== undefined));
  const merged: RsbNatsOptions = { ...resolved, ...overrides };
  if (merged.servers.length === 0) throw new RsbConfigError('transport.nats.servers: no server URL given');
  return merged;
}

/** Inputs of {@link readRsbConfigFiles}. */
export interface RsbConfigFileReader {
  /** Returns a file's text, or undefined when it does not exist (other failures may throw). */
  readonly readFile: (path: string) => string | undefined;
}

/**
 * Reads the given configuration files through `reader`, skipping the missing ones, in order;
 * pass the result as {@link RsbConfigSources.files}.
 */
export function readRsbConfigFiles(paths: readonly string[], reader: RsbConfigFileReader): RsbConfigFile[] {
  const files: RsbConfigFile[] = [];
  for (const path of paths) {
    const text = reader.readFile(path);
    if (text !== undefined) files.push({ path, text });
  }
  return files;
}
