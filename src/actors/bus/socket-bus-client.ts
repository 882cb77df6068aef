import { createLogger } from '../../logger.js';
import type { RsbIncoming } from '../../protocols/rsb/index.js';
import { dial } from '../client.js';
import type { Connection } from '../connection/connection.js';
import { busConnectionOptions, SOCKET_BUS_DEFAULTS, type SocketBusTuning } from './bus-options.js';
import { createBusProtocol, type BusOutgoing, type FramedNotification } from './bus-protocol.js';
import type { BusTransport, BusTransportHooks, BusTransportStats } from './bus-transport.js';
import { BusError } from './errors.js';
import { PeerLinks } from './peer-links.js';

/** Where a bus client connects. */
export interface SocketBusClientOptions extends SocketBusTuning {
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Default 55555. */
  readonly port?: number;
}

/**
 * The client side of the RSB socket transport: one connection to the bus server, opened once
 * the server's 4 zero bytes have arrived (the client sends nothing first). When the server goes
 * away the bus is lost: nobody reconnects or takes over, as in the originals.
 */
export class SocketBusClient implements BusTransport {
  readonly role = 'client' as const;
  readonly address: { host: string; port: number };
  private readonly links: PeerLinks;
  private closing = false;

  private constructor(
    private readonly connection: Connection<RsbIncoming, BusOutgoing>,
    hooks: BusTransportHooks,
    address: { host: string; port: number },
    private readonly closeTimeoutMs: number,
  ) {
    this.address = address;
    // The server is our only peer: never drop it for being slow, let producers wait instead.
    this.links = new PeerLinks(hooks, { slowPeerTimeoutMs: Infinity, maxBacklogBytes: Infinity }, false, createLogger('rsb.bus.client'));
    void this.links.add(connection).then(() => {
      if (this.closing) return;
      const end = connection.end;
      const why = end?.error ? `${end.error.message}` : `the bus server at ${address.host}:${address.port} closed the connection (${end?.reason ?? 'closed'})`;
      hooks.lost(new BusError('BUS_CLOSED', why, { cause: end?.error }));
    });
  }

  /** Connects and waits for the handshake; rejects with the `ConnectError` of `dial`. */
  static async connect(options: SocketBusClientOptions, hooks: BusTransportHooks): Promise<SocketBusClient> {
    const host = options.host ?? '127.0.0.1';
    const port = options.port ?? 55555;
    const connection = await dial(createBusProtocol({ maxFrameBytes: options.maxFrameBytes }), {
      host,
      port,
      connectTimeoutMs: options.connectTimeoutMs ?? SOCKET_BUS_DEFAULTS.connectTimeoutMs,
      connection: busConnectionOptions(options, 'rsb.bus.client'),
    });
    return new SocketBusClient(connection, hooks, { host, port }, options.closeTimeoutMs ?? SOCKET_BUS_DEFAULTS.closeTimeoutMs);
  }

  get congested(): boolean {
    return this.links.congested;
  }

  broadcast(frame: FramedNotification): void {
    this.links.broadcast(frame);
  }

  whenUncongested(): Promise<void> {
    return this.links.whenUncongested();
  }

  async drain(): Promise<void> {
    this.closing = true;
    await this.links.flushBacklogs(this.closeTimeoutMs);
    await this.connection.drain();
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.connection.close();
  }

  stats(): BusTransportStats {
    return this.links.stats();
  }
}
