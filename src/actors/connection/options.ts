import { systemClock, type Clock } from '../clock.js';
import type { OverflowPolicy } from './send-queue.js';

/** Tunables of one connection; every field has a documented default. */
export interface ConnectionOptions {
  /** Name used in log lines, e.g. `oneline.server`. Default: the protocol's name. */
  name?: string;
  /** Time allowed for the protocol's handshake, in ms. Default 10 000. */
  handshakeTimeoutMs?: number;
  /**
   * Close the connection (after flushing and the bye) when no byte has moved either way for this
   * long, in ms. 0 disables it. Default 0.
   */
  idleTimeoutMs?: number;
  /**
   * Time allowed for a frame the peer has started (at least one byte of it arrived) to be
   * completed, in ms; past it the connection fails with `FRAME_TIMEOUT`. A peer that keeps
   * completing frames is never cut; one that sends half a request and waits is. 0 disables it.
   * Default 0 (servers set their own: see the README's table of limits).
   */
  frameTimeoutMs?: number;
  /** Time allowed for an orderly close before the socket is destroyed, in ms. Default 5 000. */
  closeTimeoutMs?: number;
  /** Largest number of bytes waiting in the send queue. Default 8 MiB. */
  maxQueuedBytes?: number;
  /** Largest number of frames waiting in the send queue. Default 65 536. */
  maxQueuedFrames?: number;
  /** What happens to a send when the queue is full. Default `block`. */
  overflow?: OverflowPolicy;
  /**
   * Messages that arrive before anyone subscribes to `messages$` are kept, up to this many, and
   * the socket is paused beyond it. Default 1 024.
   */
  maxEarlyMessages?: number;
  /** When the peer half-closes: close after flushing (`true`) or leave it to the owner. Default `true`. */
  closeOnPeerEnd?: boolean;
  /** Our identity, announced in hello handshakes. */
  localId?: string;
  /** Disable Nagle's algorithm. Default `true`: every protocol here is request/response. */
  noDelay?: boolean;
  /**
   * Record when the peer last sent bytes ({@link Connection.lastInputAt}); a server whose overflow
   * policy evicts idle connections turns it on. Default false: the data path keeps no timestamps.
   */
  trackInput?: boolean;
  /** Where timers come from (handshake, idle and close timeouts). Default: the system clock. */
  clock?: Clock;
}

/** {@link ConnectionOptions} with every default filled in. */
export type ResolvedConnectionOptions = Required<Omit<ConnectionOptions, 'name' | 'localId'>> &
  Pick<ConnectionOptions, 'name' | 'localId'>;

/** The defaults of {@link ConnectionOptions}. */
export const CONNECTION_DEFAULTS: Readonly<ResolvedConnectionOptions> = Object.freeze({
  handshakeTimeoutMs: 10_000,
  idleTimeoutMs: 0,
  frameTimeoutMs: 0,
  closeTimeoutMs: 5_000,
  maxQueuedBytes: 8 * 1024 * 1024,
  maxQueuedFrames: 65_536,
  overflow: 'block',
  maxEarlyMessages: 1024,
  closeOnPeerEnd: true,
  noDelay: true,
  trackInput: false,
  clock: systemClock,
});

/** Fills in defaults and checks ranges. */
export function resolveConnectionOptions(options: ConnectionOptions = {}): ResolvedConnectionOptions {
  const resolved: ResolvedConnectionOptions = { ...CONNECTION_DEFAULTS };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) (resolved as unknown as Record<string, unknown>)[key] = value;
  }
  for (const key of ['handshakeTimeoutMs', 'idleTimeoutMs', 'frameTimeoutMs', 'closeTimeoutMs', 'maxQueuedBytes', 'maxQueuedFrames', 'maxEarlyMessages'] as const) {
    const value = resolved[key];
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`${key} must be a non-negative number, got ${value}`);
  }
  return resolved;
}
