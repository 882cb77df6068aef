import { Scope, encodeNotification, type Notification } from '../../../protocols/rsb/index.js';
import { FramedNotification } from '../bus-protocol.js';
import type { BusTransport, BusTransportHooks, BusTransportStats } from '../bus-transport.js';
import { SocketBusServer, type SocketBusServerOptions } from '../socket-bus-server.js';
import type { NatsBusOptions } from './nats-options.js';
import { rpcSubject } from '../../../protocols/rsb/nats/nats-subject.js';
import { NatsBusTransport, type NatsTransportStats } from './nats-transport.js';

/** Counters of a bridge: its socket side's, plus its NATS side's under `nats`. */
export interface NatsBridgeStats extends BusTransportStats {
  readonly nats: NatsTransportStats;
  /** Notifications from socket clients published to NATS. */
  readonly toNats: number;
  /** Notifications from NATS sent to the socket clients. */
  readonly fromNats: number;
}

/**
 * An RSB socket bus server whose traffic is also carried over NATS, so that unmodified socket
 * programs on several hosts, each pointed at its local bridge, share one bus. What a socket
 * client sends goes to the other clients (as on any bus server), to this process's sinks, and
 * to NATS; what arrives from NATS goes to the socket clients and the sinks, never back to NATS.
 * The bridge's connection uses `noEcho`, so its own publishes do not return to it either; each
 * notification thus reaches each listener once. The bridge subscribes to every scope (`rsb`,
 * `rsb.>`), since socket clients do not say what they listen to.
 *
 * The connection is the bridge's own, not shared with the process's NATS bus. Since its socket
 * clients may serve any RPC method, a bridge answers every presence probe: where a bridge is
 * up, calls to methods nobody serves time out instead of failing fast.
 */
export class NatsBridgeTransport implements BusTransport {
  readonly role = 'server' as const;
  private toNats = 0;
  private fromNats = 0;

  private constructor(
    private readonly socket: SocketBusServer,
    /** The NATS side, for its `events$` and stats. */
    readonly nats: NatsBusTransport,
  ) {}

  /** @internal The socket side's TCP server (for the monitor, docs/MONITOR.md). */
  get acceptor(): SocketBusServer['acceptor'] {
    return this.socket.acceptor;
  }

  /** Connects to NATS, then listens for socket clients; rejects when either fails. */
  static async start(socketOptions: SocketBusServerOptions, natsOptions: NatsBusOptions, hooks: BusTransportHooks): Promise<NatsBridgeTransport> {
    let bridge: NatsBridgeTransport | undefined;
    const nats = await NatsBusTransport.connect(natsOptions, {
      deliver: (notification, body) => {
        hooks.deliver(notification);
        bridge?.fromNatsToSockets(notification, body);
      },
      lost: (error) => hooks.lost(error),
    });
    let socket: SocketBusServer;
    try {
      socket = await SocketBusServer.listen(socketOptions, {
        deliver: (notification, body) => {
          hooks.deliver(notification);
          bridge?.fromSocketToNats(notification, body);
        },
        lost: (error) => hooks.lost(error),
      });
    } catch (err) {
      await nats.close();
      throw err;
    }
    bridge = new NatsBridgeTransport(socket, nats);
    nats.watch(Scope.ROOT);
    // Socket clients may serve any method, and cannot say which: answer every RPC presence
    // probe, so that calls through a bridge wait for their reply (or timeout) as in the originals.
    const probes = rpcSubject(Scope.ROOT, nats.subjectPrefix);
    for (const subject of [probes, `${probes}.>`]) {
      nats.connection.subscribe(subject, { queue: 'rsb-bridge', callback: (_err, msg) => void msg.respond() });
    }
    await nats.whenWatching();
    return bridge;
  }

  get address(): { host: string; port: number } | undefined {
    return this.socket.address;
  }

  get congested(): boolean {
    return this.socket.congested || this.nats.congested;
  }

  /** A notification published in this process: to the socket clients and to NATS. */
  broadcast(frame: FramedNotification, notification: Notification): void {
    this.socket.broadcast(frame);
    this.nats.broadcast(frame, notification);
  }

  async whenUncongested(): Promise<void> {
    while (this.congested) await Promise.all([this.socket.whenUncongested(), this.nats.whenUncongested()]);
  }

  async drain(): Promise<void> {
    await this.nats.drain();
    await this.socket.drain();
  }

  async close(): Promise<void> {
    await Promise.all([this.nats.close(), this.socket.close()]);
  }

  stats(): NatsBridgeStats {
    return { ...this.socket.stats(), nats: this.nats.stats(), toNats: this.toNats, fromNats: this.fromNats };
  }

  private fromSocketToNats(notification: Notification, body: Uint8Array | undefined): void {
    this.toNats++;
    this.nats.publishBody(notification.scope, body ?? encodeNotification(notification));
  }

  private fromNatsToSockets(notification: Notification, body: Uint8Array | undefined): void {
    this.fromNats++;
    this.socket.broadcast(FramedNotification.fromBody(body ?? encodeNotification(notification)));
  }
}
