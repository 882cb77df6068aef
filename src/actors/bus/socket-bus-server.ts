import { createLogger } from '../../logger.js';
import type { RsbIncoming } from '../../protocols/rsb/index.js';
import { Server } from '../server.js';
import { SOCKET_BUS_DEFAULTS, busConnectionOptions, serverSlowPeerPolicy, type SocketBusTuning } from './bus-options.js';
import { createBusProtocol, type BusOutgoing, type FramedNotification } from './bus-protocol.js';
import type { BusTransport, BusTransportHooks, BusTransportStats } from './bus-transport.js';
import { PeerLinks } from './peer-links.js';

/** Where a bus server listens. */
export interface SocketBusServerOptions extends SocketBusTuning {
  /**
   * Default `127.0.0.1`; `localhost` binds `127.0.0.1` too. The originals bind every IPv4
   * interface; actorwire binds the given host only.
   */
  readonly host?: string;
  /** Default 55555; 0 picks a free port. */
  readonly port?: number;
}

/**
 * The server side of the RSB socket transport: accepts clients (writing the 4-byte handshake),
 * delivers what each sends to the local sinks and forwards the frame, verbatim, to every other
 * client, never back to its origin.
 */
export class SocketBusServer implements BusTransport {
  readonly role = 'server' as const;
  private readonly links: PeerLinks;

  private constructor(
    private readonly server: Server<RsbIncoming, BusOutgoing>,
    hooks: BusTransportHooks,
    private readonly tuning: SocketBusTuning,
  ) {
    this.links = new PeerLinks(hooks, serverSlowPeerPolicy(tuning), true, createLogger('rsb.bus.server'));
    server.connections$.subscribe((connection) => void this.links.add(connection));
  }

  /** Binds and listens; rejects with the bind error (e.g. `EADDRINUSE`). */
  static async listen(options: SocketBusServerOptions, hooks: BusTransportHooks): Promise<SocketBusServer> {
    const server = new Server<RsbIncoming, BusOutgoing>({
      protocol: createBusProtocol({ maxFrameBytes: options.maxFrameBytes }),
      // Node may resolve `localhost` to ::1 alone; bind the IPv4 loopback that every client tries.
      host: options.host === undefined || options.host === 'localhost' ? '127.0.0.1' : options.host,
      port: options.port ?? 55555,
      connection: { ...busConnectionOptions(options, 'rsb.bus.server'), frameTimeoutMs: options.frameTimeoutMs ?? SOCKET_BUS_DEFAULTS.frameTimeoutMs },
      maxConnections: options.maxConnections ?? SOCKET_BUS_DEFAULTS.maxConnections,
      overflow: options.whenFull ?? 'refuse',
      name: 'rsb.bus.server',
    });
    const transport = new SocketBusServer(server, hooks, options);
    await server.listen();
    return transport;
  }

  /** @internal The TCP server and its connections (for the monitor, docs/MONITOR.md). */
  get acceptor(): Server<RsbIncoming, BusOutgoing> {
    return this.server;
  }

  get address(): { host: string; port: number } | undefined {
    return this.server.address;
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
    await this.links.flushBacklogs(this.tuning.closeTimeoutMs ?? SOCKET_BUS_DEFAULTS.closeTimeoutMs);
    await this.server.drain();
  }

  close(): Promise<void> {
    return this.server.close();
  }

  stats(): BusTransportStats {
    return this.links.stats();
  }
}
