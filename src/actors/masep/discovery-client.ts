import { createSocket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import {
  DISCOVERY_GROUP,
  DISCOVERY_PORT,
  DISCOVERY_QUERY,
  decodeDiscoveryReply,
  resolveDiscoveredAddress,
  type DiscoveredAddress,
} from '../../protocols/masep/index.js';
import { MasepActorError } from './errors.js';

/** Options of {@link discoverEngines}. */
export interface DiscoveryOptions {
  /** Where queries go. Default the group 224.3.29.71; a unicast address works too. */
  readonly group?: string;
  /** Default 10000. */
  readonly port?: number;
  /** Queries sent, spread over the wait. Default 3. */
  readonly attempts?: number;
  /** Time replies are collected, in ms. Default 1 000. */
  readonly timeoutMs?: number;
  /** Local address of the interface multicast goes out of (e.g. `127.0.0.1`). */
  readonly interfaceAddress?: string;
  /** Multicast TTL. Default 1 (this subnet), as pymasep. */
  readonly ttl?: number;
}

/** An engine that answered a discovery query. */
export interface DiscoveredEngine extends DiscoveredAddress {
  /** The UDP address the reply came from. */
  readonly source: string;
}

function localAddresses(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) if (info.family === 'IPv4') out.add(info.address);
  }
  return out;
}

/**
 * Looks for masep engines: sends `pymasep server?` `attempts` times over `timeoutMs`, collects
 * the valid replies (malformed ones are skipped, not fatal), and returns the distinct engines in
 * order of first reply. A reply naming one of our own addresses from another host is redirected
 * to its UDP source (pymasep's reply bug).
 */
export function discoverEngines(options: DiscoveryOptions = {}): Promise<DiscoveredEngine[]> {
  return collectReplies(options, false);
}

/** Sends the queries and collects replies until the window ends, or until the first valid one when `firstOnly`. */
function collectReplies(options: DiscoveryOptions, firstOnly: boolean): Promise<DiscoveredEngine[]> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const timeoutMs = options.timeoutMs ?? 1_000;
  const group = options.group ?? DISCOVERY_GROUP;
  const port = options.port ?? DISCOVERY_PORT;
  const ours = localAddresses();
  const found: DiscoveredEngine[] = [];
  const seen = new Set<string>();
  const socket = createSocket('udp4');
  return new Promise((resolve, reject) => {
    const timers: NodeJS.Timeout[] = [];
    let finished = false;
    const finish = (error?: Error): void => {
      if (finished) return;
      finished = true;
      for (const timer of timers) clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(found);
    };
    socket.on('error', (err) => finish(err));
    socket.on('message', (datagram, remote) => {
      let reply: DiscoveredAddress;
      try {
        reply = decodeDiscoveryReply(datagram);
      } catch {
        return;
      }
      const address = resolveDiscoveredAddress(reply, remote.address, ours);
      const key = `${address.host}:${address.port}`;
      if (seen.has(key)) return;
      seen.add(key);
      found.push({ ...address, source: remote.address });
      if (firstOnly) finish();
    });
    socket.bind(0, () => {
      try {
        socket.setMulticastTTL(options.ttl ?? 1);
        socket.setMulticastLoopback(true);
        if (options.interfaceAddress) socket.setMulticastInterface(options.interfaceAddress);
      } catch {
        // A unicast target needs none of these.
      }
      for (let i = 0; i < attempts; i++) {
        timers.push(setTimeout(() => socket.send(DISCOVERY_QUERY, port, group), (i * timeoutMs) / (attempts + 1)));
      }
      timers.push(setTimeout(() => finish(), timeoutMs));
    });
  });
}

/**
 * The first engine that answers (deterministic: first reply wins), as soon as it answers; the
 * remaining queries are not sent. `MASEP_NO_ENGINE` when none answers within `timeoutMs`.
 */
export async function discoverEngine(options: DiscoveryOptions = {}): Promise<DiscoveredEngine> {
  const engines = await collectReplies(options, true);
  const first = engines[0];
  if (!first) {
    throw new MasepActorError(
      'MASEP_NO_ENGINE',
      `no masep engine answered on ${options.group ?? DISCOVERY_GROUP}:${options.port ?? DISCOVERY_PORT}`,
    );
  }
  return first;
}
