import type { Logger } from '../../logger.js';
import type { RsbIncoming } from '../../protocols/rsb/index.js';
import type { Connection } from '../connection/connection.js';
import { ErrorBudget } from '../error-budget.js';
import type { BusOutgoing, FramedNotification } from './bus-protocol.js';

/** How a {@link PeerLink} treats a peer that does not keep up. */
export interface SlowPeerPolicy {
  /**
   * A peer whose frames have waited beyond its connection's send queue for this long is
   * disconnected (ms). `Infinity` never disconnects (a bus client: its only peer is the server).
   */
  readonly slowPeerTimeoutMs: number;
  /** A peer whose backlog beyond the send queue exceeds this many bytes is disconnected at once. */
  readonly maxBacklogBytes: number;
}

/**
 * One bus connection plus the overflow behind its bounded send queue. Frames that do not fit
 * the queue wait here, in order; while any wait the link is *congested* and the bus applies
 * backpressure to its producers. A congested link that does not recover within
 * `slowPeerTimeoutMs`, or whose backlog exceeds `maxBacklogBytes`, is closed at once (and
 * logged as a slow peer), so one peer that stops reading holds up the others only for a bounded
 * time.
 */
export class PeerLink {
  private backlog: FramedNotification[] = [];
  private backlogHead = 0;
  private backlogBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private pumping = false;
  private dropped = false;
  private slow = false;
  /** Invalid frames this peer may still send before it is disconnected. */
  readonly errorBudget = new ErrorBudget();

  constructor(
    readonly connection: Connection<RsbIncoming, BusOutgoing>,
    private readonly policy: SlowPeerPolicy,
    private readonly onCongestionChange: (link: PeerLink) => void,
    private readonly log: Logger,
  ) {}

  /** Frames are waiting beyond the connection's send queue. */
  get congested(): boolean {
    return this.backlogHead < this.backlog.length;
  }

  /** True once the slow peer policy has disconnected this peer. */
  get droppedAsSlow(): boolean {
    return this.slow;
  }

  /** Bytes waiting beyond the connection's send queue. */
  get pendingBytes(): number {
    return this.backlogBytes;
  }

  /** Queues a frame for this peer; never throws (a closed peer drops it). */
  send(frame: FramedNotification): void {
    if (this.dropped) return;
    const wasCongested = this.congested;
    if (!wasCongested) {
      try {
        if (this.connection.send(frame)) return;
      } catch {
        return; // the connection is closing or closed: its end is handled by its owner
      }
    }
    this.backlog.push(frame);
    this.backlogBytes += frame.frame.length;
    if (!wasCongested) this.startCongestion();
    if (this.backlogBytes > this.policy.maxBacklogBytes) {
      this.disconnect(`more than ${this.policy.maxBacklogBytes} bytes waiting for a peer that does not read`);
    }
  }

  /** Forgets the backlog (the connection has ended). */
  dispose(): void {
    this.dropped = true;
    this.clearBacklog();
  }

  private startCongestion(): void {
    if (Number.isFinite(this.policy.slowPeerTimeoutMs)) {
      this.timer = setTimeout(
        () => this.disconnect(`peer has not read for ${this.policy.slowPeerTimeoutMs} ms`),
        this.policy.slowPeerTimeoutMs,
      );
      this.timer.unref();
    }
    this.onCongestionChange(this);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.congested && !this.dropped) {
        await this.connection.whenWritable();
        if (this.dropped || this.connection.end !== undefined) break;
        while (this.congested) {
          let accepted: boolean;
          try {
            accepted = this.connection.send(this.backlog[this.backlogHead]);
          } catch {
            accepted = false;
            this.dispose();
          }
          if (!accepted) break;
          this.backlogBytes -= this.backlog[this.backlogHead].frame.length;
          this.backlog[this.backlogHead++] = undefined as unknown as FramedNotification;
        }
        if (this.connection.status !== 'open' && this.connection.status !== 'handshaking') break;
      }
    } finally {
      this.pumping = false;
      this.endCongestion();
    }
  }

  private endCongestion(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.congested && !this.dropped) return;
    this.clearBacklog();
    this.onCongestionChange(this);
  }

  private clearBacklog(): void {
    this.backlog = [];
    this.backlogHead = 0;
    this.backlogBytes = 0;
  }

  private disconnect(why: string): void {
    if (this.dropped) return;
    this.slow = true;
    this.log.warn('disconnecting slow peer', {
      peer: `${this.connection.remoteAddress}:${this.connection.remotePort}`,
      why,
      backlogBytes: this.backlogBytes,
    });
    this.dispose();
    this.onCongestionChange(this);
    // Close at once: an orderly close would wait for a peer that does not read.
    void this.connection.close();
  }
}
