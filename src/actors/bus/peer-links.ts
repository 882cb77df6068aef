import type { Logger } from '../../logger.js';
import type { RsbIncoming } from '../../protocols/rsb/index.js';
import type { Connection } from '../connection/connection.js';
import { FramedNotification, type BusOutgoing } from './bus-protocol.js';
import type { BusTransportHooks, BusTransportStats } from './bus-transport.js';
import { PeerLink, type SlowPeerPolicy } from './peer-link.js';

/** Bytes a producer may broadcast in one turn of the event loop before it is asked to yield. */
const BURST_BYTES = 64 * 1024;

/**
 * The connections of a socket transport (a server's clients, or a client's one connection to
 * its server): reading frames from each, forwarding (server) and broadcasting, and the
 * congestion state the bus exposes as backpressure. While a link is congested the others are
 * paused, so producers on other processes slow down instead of filling memory; the slow peer
 * policy bounds how long that lasts.
 */
export class PeerLinks {
  private readonly links = new Set<PeerLink>();
  private readonly congestedLinks = new Set<PeerLink>();
  private waiters: Array<() => void> = [];
  private readonly pausedLinks = new Set<PeerLink>();
  /** Bytes broadcast in the current turn of the event loop (reset by `burstReset`). */
  private burstBytes = 0;
  private burstReset: NodeJS.Immediate | undefined;
  private counters = { notificationsIn: 0, framesOut: 0, forwarded: 0, badNotifications: 0, badPeersClosed: 0, slowPeersDropped: 0 };

  constructor(
    private readonly hooks: BusTransportHooks,
    private readonly policy: SlowPeerPolicy,
    /** Forward every notification from one peer to all others (the bus server's rule). */
    private readonly forward: boolean,
    private readonly log: Logger,
  ) {}

  get size(): number {
    return this.links.size;
  }

  /**
   * True while some link is congested, or when more than {@link BURST_BYTES} were broadcast in
   * this turn of the event loop: producers that respect backpressure then yield once, so that
   * batches reach the sockets (and the next processes) while they produce the next ones.
   */
  get congested(): boolean {
    return this.congestedLinks.size > 0 || this.burstBytes > BURST_BYTES;
  }

  /** Takes a connection in; returns a promise that settles when it has ended and been removed. */
  add(connection: Connection<RsbIncoming, BusOutgoing>): Promise<void> {
    const link = new PeerLink(connection, this.policy, (l) => this.onCongestionChange(l), this.log);
    this.links.add(link);
    this.updatePause();
    connection.messages$.subscribe({ next: (frame) => this.onFrame(link, frame) });
    return connection.closed.then((end) => {
      if (end.error) this.log.info('peer connection ended', { reason: end.reason, error: end.error });
      if (link.droppedAsSlow) this.counters.slowPeersDropped++;
      this.links.delete(link);
      this.pausedLinks.delete(link);
      link.dispose();
      this.onCongestionChange(link);
    });
  }

  /** Sends a frame to every link. */
  broadcast(frame: FramedNotification): void {
    for (const link of this.links) link.send(frame);
    this.counters.framesOut += this.links.size;
    this.burstBytes += frame.frame.length;
    this.burstReset ??= setImmediate(() => {
      this.burstReset = undefined;
      this.burstBytes = 0;
      this.wakeWriters();
    });
  }

  whenUncongested(): Promise<void> {
    if (!this.congested) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Resolves when every backlog has gone into the send queues, or after `timeoutMs`: an orderly
   * close must not drop frames that are still waiting behind a full queue.
   */
  async flushBacklogs(timeoutMs: number): Promise<void> {
    if (!this.congested) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.whenUncongested(), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** Every connection, e.g. to drain or close them. */
  connections(): Array<Connection<RsbIncoming, BusOutgoing>> {
    return [...this.links].map((link) => link.connection);
  }

  stats(): BusTransportStats {
    let backlogBytes = 0;
    for (const link of this.links) backlogBytes += link.pendingBytes;
    return { ...this.counters, connections: this.links.size, backlogBytes };
  }

  private onFrame(origin: PeerLink, frame: RsbIncoming): void {
    if (frame.kind === 'rejected') {
      // Never forwarded: it would make rsb-python and rsb-cpp peers drop their connections.
      this.counters.badNotifications++;
      if (origin.errorBudget.spend()) {
        this.log.warn('dropping a frame that is not a valid notification', { code: frame.error.code, error: frame.error });
        return;
      }
      this.counters.badPeersClosed++;
      this.log.warn('closing a peer that sent too many invalid frames', {
        peer: `${origin.connection.remoteAddress}:${origin.connection.remotePort}`,
        badFrames: origin.errorBudget.count,
        windowMs: origin.errorBudget.limits.windowMs,
      });
      void origin.connection.close();
      return;
    }
    this.counters.notificationsIn++;
    this.hooks.deliver(frame.notification, frame.body);
    if (!this.forward || this.links.size < 2) return;
    const framed = FramedNotification.fromBody(frame.body);
    for (const link of this.links) {
      if (link !== origin) link.send(framed);
    }
    this.counters.forwarded++;
    this.counters.framesOut += this.links.size - 1;
  }

  private onCongestionChange(link: PeerLink): void {
    const isCongested = link.congested && this.links.has(link);
    if (isCongested) this.congestedLinks.add(link);
    else this.congestedLinks.delete(link);
    this.updatePause();
  }

  /** Reads from every link but the congested ones are paused while any link is congested. */
  private updatePause(): void {
    const congested = this.congestedLinks.size > 0;
    for (const link of this.links) {
      const pause = congested && !this.congestedLinks.has(link);
      if (pause === this.pausedLinks.has(link)) continue;
      if (pause) {
        this.pausedLinks.add(link);
        link.connection.pause();
      } else {
        this.pausedLinks.delete(link);
        link.connection.resume();
      }
    }
    this.wakeWriters();
  }

  private wakeWriters(): void {
    if (this.congested || this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
