import { createMasepProtocol, type MasepFrame, type MasepOutgoing } from '../../protocols/masep/index.js';
import type { Connection } from '../connection/connection.js';
import { Server, type ListenAddress } from '../server.js';
import { DiscoveryResponder } from './discovery-responder.js';
import type { MasepEngineOptions } from './engine-options.js';
import type { MasepLink } from './link.js';

const DEFAULT_PORT = 60000;
/** TCP connections beyond the limit still admitted, so that they can be refused gracefully. */
const REFUSAL_SLACK = 8;

/**
 * An engine's TCP side (spec §3 and §4, §6.1 items 6 and 7): the server interfaces connect to,
 * each hello handled on its own with a timeout, and the UDP discovery responder. Every connection
 * whose hello exchange succeeded is handed to `admit` (docs/ARCHITECTURE.md, "pymasep: the
 * engine's parts").
 */
export class EngineListener {
  private server: Server<MasepFrame, MasepOutgoing> | undefined;
  private discovery: DiscoveryResponder | undefined;

  /**
   * @param engineId - the engine's hello ident.
   * @param options - the engine's options (address, limits, connection options, discovery).
   * @param admit - serves a link whose hello exchange is done.
   */
  constructor(
    private readonly engineId: string,
    private readonly options: MasepEngineOptions,
    private readonly admit: (link: MasepLink) => void,
  ) {}

  /** The TCP address, once listening. */
  get address(): ListenAddress | undefined {
    return this.server?.address;
  }

  /** The TCP server and its connections, once listening. */
  get acceptor(): Server<MasepFrame, MasepOutgoing> | undefined {
    return this.server;
  }

  /** Starts the TCP server (and discovery); resolves with the bound address. */
  async listen(): Promise<ListenAddress> {
    if (this.server) return this.server.listen();
    const max = this.options.maxConnections ?? 10;
    const server = new Server<MasepFrame, MasepOutgoing>({
      protocol: createMasepProtocol({ objects: this.options.objects }),
      host: this.options.host ?? '127.0.0.1',
      port: this.options.port ?? DEFAULT_PORT,
      maxConnections: max + REFUSAL_SLACK,
      // Silent players and observers are normal; silent sockets that never said hello are not.
      overflow: 'evict-handshaking',
      // pymasep sends its hello the moment it connects: a quarter second of silence is no client.
      evictAfterMs: 250,
      name: 'masep.engine',
      connection: {
        handshakeTimeoutMs: this.options.handshakeTimeoutMs ?? 5_000,
        ...this.options.connection,
        localId: this.engineId,
      },
    });
    server.connections$.subscribe((connection) => void this.onConnection(connection));
    this.server = server;
    const address = await server.listen();
    if (this.options.discovery) {
      const advertisedHost = this.options.discovery.advertisedHost ?? (address.host === '0.0.0.0' ? undefined : address.host);
      this.discovery = new DiscoveryResponder({ ...this.options.discovery, advertisedHost, tcpPort: address.port });
      try {
        await this.discovery.start();
      } catch (err) {
        await server.close();
        throw err;
      }
    }
    return address;
  }

  /** Stops accepting, drains the server's connections and stops discovery. */
  async close(): Promise<void> {
    await Promise.all([this.server?.drain(), this.discovery?.stop()]);
  }

  private async onConnection(connection: Connection<MasepFrame, MasepOutgoing>): Promise<void> {
    try {
      await connection.whenOpen();
    } catch {
      return; // handshake failed or timed out: the connection already ended
    }
    this.admit(connection);
  }
}
