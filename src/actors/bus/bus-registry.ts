import { createLogger } from '../../logger.js';
import { Bus } from './bus.js';
import type { SocketBusTuning } from './bus-options.js';
import { BusError } from './errors.js';
import { InProcessTransport } from './inprocess-transport.js';
import { SocketBusClient } from './socket-bus-client.js';
import { SocketBusServer } from './socket-bus-server.js';
import { NATS_BUS_DEFAULTS, type NatsBusOptions } from './transports/nats-options.js';
import { NatsBusTransport } from './transports/nats-transport.js';
import { NatsBridgeTransport } from './transports/nats-bridge.js';

/** `server` option of the socket transport: `server` (1), `client` (0) or `auto`. */
export type BusServerMode = 'server' | 'client' | 'auto';

/** Which bus to acquire. */
export type BusEndpoint =
  | { readonly transport: 'inprocess' }
  | ({
      readonly transport: 'socket';
      readonly host: string;
      readonly port: number;
      /** `auto`: try to listen on the port, connect as a client when that fails. */
      readonly server: BusServerMode;
      /** As bus server, also carry the traffic over NATS (see `NatsBridgeTransport`). */
      readonly bridge?: NatsBusOptions;
    } & SocketBusTuning)
  /** The bus on NATS: one connection per process per server list, user and subject prefix. */
  | ({ readonly transport: 'nats' } & NatsBusOptions);

/** A participant's hold on a shared bus; release it exactly once. */
export interface BusLease {
  readonly bus: Bus;
  /** Drops this hold; the bus is closed (in order) when the last hold is released. */
  release(): Promise<void>;
}

interface Entry {
  readonly bus: Promise<Bus>;
  refs: number;
}

const log = createLogger('rsb.bus');
const entries = new Map<string, Entry>();
let anonymous = 0;

function socketKey(host: string, port: number): string {
  return `socket:${host}:${port}`;
}

function natsKey(options: NatsBusOptions): string {
  return `nats:${options.servers.join(',')}|${options.user ?? options.token ?? ''}|${options.subjectPrefix ?? NATS_BUS_DEFAULTS.subjectPrefix}`;
}

async function createSocketBus(endpoint: Extract<BusEndpoint, { transport: 'socket' }>): Promise<Bus> {
  const name = socketKey(endpoint.host, endpoint.port);
  if (endpoint.server !== 'client') {
    try {
      const bridge = endpoint.bridge;
      if (bridge !== undefined) return await Bus.create(name, (hooks) => NatsBridgeTransport.start(endpoint, bridge, hooks));
      return await Bus.create(name, (hooks) => SocketBusServer.listen(endpoint, hooks));
    } catch (err) {
      if (endpoint.server === 'server') {
        throw new BusError('BUS_UNAVAILABLE', `cannot listen on ${endpoint.host}:${endpoint.port}: ${(err as Error).message}`, { cause: err });
      }
      // `auto`: as every original does, fall back to connecting to whoever holds the port.
      log.debug('cannot become the bus server, connecting as a client', { endpoint: name, error: err as Error });
    }
  }
  try {
    return await Bus.create(name, (hooks) => SocketBusClient.connect(endpoint, hooks));
  } catch (err) {
    throw new BusError('BUS_UNAVAILABLE', `no bus on ${endpoint.host}:${endpoint.port}: ${endpoint.server === 'auto' ? 'could neither listen nor connect' : 'cannot connect'} (${(err as Error).message})`, { cause: err });
  }
}

/**
 * Acquires the process's bus for `endpoint`, creating it on first use: one bus per endpoint per
 * process, shared by every participant and reference-counted (RSB spec §2.4). A socket bus with
 * `port: 0` and `server: 'server'` is never shared at creation; once listening it is registered
 * under its real port, so participants that name that port reuse it. A bus that is lost (its
 * server went away) is forgotten, so the next acquisition creates a fresh one.
 *
 * @example
 * ```ts
 * const lease = await acquireBus({ transport: 'socket', host: '127.0.0.1', port: 55555, server: 'auto' });
 * lease.bus.publish(notification);
 * await lease.release();
 * ```
 */
export async function acquireBus(endpoint: BusEndpoint): Promise<BusLease> {
  let key: string;
  if (endpoint.transport === 'inprocess') key = 'inprocess';
  else if (endpoint.transport === 'nats') key = natsKey(endpoint);
  else if (endpoint.port === 0) key = `socket:anonymous:${anonymous++}`;
  else key = socketKey(endpoint.host, endpoint.port);

  let entry = entries.get(key);
  if (entry === undefined) {
    const created: Entry = {
      refs: 0,
      bus:
        endpoint.transport === 'inprocess'
          ? Bus.create('inprocess', async () => new InProcessTransport())
          : endpoint.transport === 'nats'
            ? Bus.create(key, (hooks) => NatsBusTransport.connect(endpoint, hooks))
            : createSocketBus(endpoint),
    };
    entry = created;
    entries.set(key, created);
    created.bus.then(
      (bus) => {
        const address = bus.transport.address;
        if (endpoint.transport === 'socket' && endpoint.port === 0 && address) {
          entries.delete(key);
          key = socketKey(endpoint.host, address.port);
          if (!entries.has(key)) entries.set(key, created);
        }
        void bus.closed.then(() => {
          if (entries.get(key) === created) entries.delete(key);
        });
      },
      () => {
        if (entries.get(key) === created) entries.delete(key);
      },
    );
  }
  entry.refs++;
  let bus: Bus;
  try {
    bus = await entry.bus;
  } catch (err) {
    entry.refs--;
    throw err;
  }
  if (endpoint.transport === 'socket' && endpoint.server === 'server' && bus.role === 'client') {
    entry.refs--;
    throw new BusError('BUS_CONFLICT', `this process is already a client of the bus on ${endpoint.host}:${endpoint.port}`);
  }
  if (endpoint.transport === 'socket' && endpoint.bridge !== undefined && !(bus.transport instanceof NatsBridgeTransport)) {
    entry.refs--;
    throw new BusError('BUS_CONFLICT', `the bus on ${endpoint.host}:${endpoint.port} in this process is not bridged to NATS`);
  }
  const held = entry;
  let released = false;
  return {
    bus,
    release: async () => {
      if (released) return;
      released = true;
      held.refs--;
      if (held.refs > 0) return;
      if (entries.get(key) === held) entries.delete(key);
      await bus.close();
    },
  };
}
