import type { ConnectionOptions } from '../connection/options.js';
import type { SlowPeerPolicy } from './peer-link.js';

/** Tunables of a socket bus (server or client), each with a documented default. */
export interface SocketBusTuning {
  /** Largest frame body accepted from a peer. Default 64 MiB (the protocol layer's default). */
  readonly maxFrameBytes?: number;
  /**
   * Send queue of each connection, in bytes. Default 8 MiB. Beyond it frames wait in the peer's
   * backlog and the bus applies backpressure (see {@link SlowPeerPolicy}).
   */
  readonly maxQueuedBytes?: number;
  /**
   * Server only: a client whose frames have waited beyond its send queue for this long is
   * disconnected. Default 5 000 ms. Bus clients never drop their server.
   */
  readonly slowPeerTimeoutMs?: number;
  /** Server only: a client with more than this many bytes in its backlog is disconnected at once. Default 256 MiB. */
  readonly maxBacklogBytes?: number;
  /** Disable Nagle's algorithm (RSB `tcpnodelay`/`nodelay`). Default true. */
  readonly tcpNoDelay?: boolean;
  /** Time allowed for a client's connect and handshake, in ms. Default 5 000. */
  readonly connectTimeoutMs?: number;
  /** Time allowed for an orderly close before sockets are destroyed, in ms. Default 5 000. */
  readonly closeTimeoutMs?: number;
  /** Server only: clients served at once. Default 1 024. */
  readonly maxConnections?: number;
  /**
   * Server only: a client beyond `maxConnections` is refused with a FIN (`refuse`, the default: a
   * bus's listeners are rightly silent for long), or served by evicting the client that has sent
   * nothing for the longest time (`evict-idle`).
   */
  readonly whenFull?: 'refuse' | 'evict-idle';
  /**
   * Server only: time a client may take to complete a frame it has started, in ms (0: no limit).
   * Default 60 000: generous for 64 MiB frames, short enough that half-sent frames cannot hold
   * connections.
   */
  readonly frameTimeoutMs?: number;
}

/** The defaults of {@link SocketBusTuning}. */
export const SOCKET_BUS_DEFAULTS = Object.freeze({
  maxQueuedBytes: 8 * 1024 * 1024,
  slowPeerTimeoutMs: 5_000,
  maxBacklogBytes: 256 * 1024 * 1024,
  tcpNoDelay: true,
  connectTimeoutMs: 5_000,
  closeTimeoutMs: 5_000,
  maxConnections: 1_024,
  frameTimeoutMs: 60_000,
});

/** The connection options a socket bus uses for each of its connections. */
export function busConnectionOptions(tuning: SocketBusTuning, name: string): ConnectionOptions {
  return {
    name,
    maxQueuedBytes: tuning.maxQueuedBytes ?? SOCKET_BUS_DEFAULTS.maxQueuedBytes,
    overflow: 'block',
    noDelay: tuning.tcpNoDelay ?? SOCKET_BUS_DEFAULTS.tcpNoDelay,
    closeTimeoutMs: tuning.closeTimeoutMs ?? SOCKET_BUS_DEFAULTS.closeTimeoutMs,
    closeOnPeerEnd: true,
  };
}

/** The slow peer policy of a bus server's connections. */
export function serverSlowPeerPolicy(tuning: SocketBusTuning): SlowPeerPolicy {
  return {
    slowPeerTimeoutMs: tuning.slowPeerTimeoutMs ?? SOCKET_BUS_DEFAULTS.slowPeerTimeoutMs,
    maxBacklogBytes: tuning.maxBacklogBytes ?? SOCKET_BUS_DEFAULTS.maxBacklogBytes,
  };
}
