import { MasepError } from './errors.js';

/** pymasep's multicast group for engine discovery. */
export const DISCOVERY_GROUP = '224.3.29.71';
/** pymasep's UDP discovery port. */
export const DISCOVERY_PORT = 10000;
/** Largest datagram pymasep reads (`recvfrom(1024)`). */
export const MAX_DISCOVERY_DATAGRAM = 1024;
/** The query text, sent by interfaces to the group. */
export const DISCOVERY_QUERY_TEXT = 'pymasep server?';
/** The query datagram: the 15 ASCII bytes `pymasep server?`. */
export const DISCOVERY_QUERY: Uint8Array = Buffer.from(DISCOVERY_QUERY_TEXT, 'latin1');

/** An engine's TCP address as a discovery reply carries it. */
export interface DiscoveredAddress {
  /** Dotted-quad IPv4 address. */
  readonly host: string;
  /** TCP port, 1–65535. */
  readonly port: number;
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const PORT = /^[1-9]\d{0,4}$/;

function badDiscovery(message: string): MasepError {
  return new MasepError('MASEP_BAD_DISCOVERY', message);
}

/** Whether `host` is a dotted-quad IPv4 address without leading zeros. */
export function isIPv4Address(host: string): boolean {
  return IPV4.test(host);
}

/**
 * Whether a datagram is exactly the discovery query. actorwire engines answer this and nothing
 * else (pymasep answers any datagram, including its own `stop`).
 */
export function isDiscoveryQuery(datagram: Uint8Array): boolean {
  if (datagram.length !== DISCOVERY_QUERY.length) return false;
  for (let i = 0; i < datagram.length; i++) if (datagram[i] !== DISCOVERY_QUERY[i]) return false;
  return true;
}

/**
 * The reply datagram `"<ip>:<port>"`, e.g. `192.168.1.23:60000`. The host must be a reachable
 * IPv4 address of the engine (not the requester's, which is pymasep's bug).
 * Throws `MASEP_BAD_DISCOVERY` for a host that is not IPv4 or a port outside 1–65535.
 */
export function encodeDiscoveryReply(address: DiscoveredAddress): Uint8Array {
  if (!isIPv4Address(address.host)) throw badDiscovery(`${JSON.stringify(address.host)} is not an IPv4 address`);
  if (!Number.isInteger(address.port) || address.port < 1 || address.port > 65535) {
    throw badDiscovery(`${address.port} is not a TCP port`);
  }
  return Buffer.from(`${address.host}:${address.port}`, 'latin1');
}

/**
 * Reads a reply datagram: ASCII `<ipv4>:<port>` and nothing else (no whitespace, no leading
 * zeros in the port). Throws `MASEP_BAD_DISCOVERY` otherwise; a client skips such replies
 * instead of aborting its search as pymasep does.
 */
export function decodeDiscoveryReply(datagram: Uint8Array): DiscoveredAddress {
  if (datagram.length > MAX_DISCOVERY_DATAGRAM) throw badDiscovery('reply longer than 1024 bytes');
  const text = Buffer.from(datagram).toString('latin1');
  const colon = text.indexOf(':');
  const host = colon < 0 ? '' : text.slice(0, colon);
  const portText = colon < 0 ? '' : text.slice(colon + 1);
  const port = Number(portText);
  if (!isIPv4Address(host) || !PORT.test(portText) || port > 65535) {
    throw badDiscovery(`reply ${JSON.stringify(text.slice(0, 64))} is not <ipv4>:<port>`);
  }
  return { host, port };
}

/**
 * The address to dial for a reply received from UDP source `sourceHost`. A pymasep engine
 * writes the *requester's* address into its reply; when the payload names one of our own
 * addresses (`localAddresses`) and came from another host, the source address is the engine.
 * A reply from this very host (its source is one of our addresses) is taken as written: an engine
 * bound to 127.0.0.1 announces 127.0.0.1, though its datagram leaves through another interface.
 */
export function resolveDiscoveredAddress(
  reply: DiscoveredAddress,
  sourceHost: string,
  localAddresses: ReadonlySet<string>,
): DiscoveredAddress {
  if (reply.host !== sourceHost && localAddresses.has(reply.host) && !localAddresses.has(sourceHost) && isIPv4Address(sourceHost)) {
    return { host: sourceHost, port: reply.port };
  }
  return reply;
}
