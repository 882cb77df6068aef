import { createSocket, type Socket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import { createLogger } from '../../logger.js';
import {
  DISCOVERY_GROUP,
  DISCOVERY_PORT,
  encodeDiscoveryReply,
  isDiscoveryQuery,
  isIPv4Address,
} from '../../protocols/masep/index.js';

/** Options of a {@link DiscoveryResponder}. */
export interface DiscoveryResponderOptions {
  /** The engine's TCP port announced in replies. */
  readonly tcpPort: number;
  /**
   * The IPv4 address announced in replies. Default: the engine's bind address when it is a
   * specific one, else the address of the local interface on the requester's subnet, else
   * `127.0.0.1` for loopback requesters.
   */
  readonly advertisedHost?: string;
  /** Multicast group. Default 224.3.29.71. */
  readonly group?: string;
  /** UDP port. Default 10000. */
  readonly port?: number;
  /** Local address of the interface that joins the group (e.g. `127.0.0.1`). Default: any. */
  readonly interfaceAddress?: string;
  /** UDP bind address. Default `0.0.0.0` (needed to receive multicast). */
  readonly bindAddress?: string;
}

/** Whether two dotted-quad addresses share a /`bits` prefix. */
function samePrefix(a: string, b: string, netmask: string): boolean {
  const parts = (s: string): number[] => s.split('.').map(Number);
  const [x, y, m] = [parts(a), parts(b), parts(netmask)];
  return x.every((v, i) => (v & m[i]) === (y[i] & m[i]));
}

/** A local IPv4 address on the requester's subnet, or undefined. */
export function localAddressFacing(requester: string): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      if (info.family === 'IPv4' && samePrefix(info.address, requester, info.netmask)) return info.address;
    }
  }
  return undefined;
}

/**
 * The engine side of pymasep discovery: listens on the multicast group and answers exactly the
 * query `pymasep server?` with `"<ip>:<tcp port>"` unicast to the requester, where `<ip>` is an
 * address of this engine (not the requester's, pymasep's bug). Binds with `reuseAddr`.
 */
export class DiscoveryResponder {
  private socket: Socket | undefined;
  private readonly log = createLogger('masep.discovery');
  private answered = 0;

  constructor(private readonly options: DiscoveryResponderOptions) {}

  /** Replies sent so far. */
  get replies(): number {
    return this.answered;
  }

  /** Binds and joins the group; resolves with the bound UDP port. */
  start(): Promise<number> {
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    this.socket = socket;
    socket.on('message', (datagram, remote) => this.onDatagram(datagram, remote.address, remote.port));
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.options.port ?? DISCOVERY_PORT, this.options.bindAddress ?? '0.0.0.0', () => {
        socket.off('error', reject);
        socket.on('error', (err) => this.log.warn('discovery socket error', { error: err }));
        try {
          socket.addMembership(this.options.group ?? DISCOVERY_GROUP, this.options.interfaceAddress);
          socket.setMulticastLoopback(true);
        } catch (err) {
          this.log.warn('cannot join the discovery group; answering unicast queries only', { error: err });
        }
        resolve(socket.address().port);
      });
    });
  }

  /** Leaves the group and closes the socket. */
  stop(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => socket.close(() => resolve()));
  }

  private onDatagram(datagram: Buffer, host: string, port: number): void {
    if (!isDiscoveryQuery(datagram)) return;
    const advertised = this.options.advertisedHost ?? localAddressFacing(host) ?? (host.startsWith('127.') ? '127.0.0.1' : undefined);
    if (advertised === undefined || !isIPv4Address(advertised)) {
      this.log.warn('no reachable address to announce', { requester: host });
      return;
    }
    this.socket?.send(encodeDiscoveryReply({ host: advertised, port: this.options.tcpPort }), port, host);
    this.answered++;
  }
}
