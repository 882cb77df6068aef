/** Tunables of the NATS bus transport, each with a documented default. */
export interface NatsBusTuning {
  /** First reconnect delay, in ms; doubled per failed attempt up to {@link maxReconnectDelayMs}. Default 100. */
  readonly reconnectDelayMs?: number;
  /** Largest reconnect delay, in ms. Default 2 000. */
  readonly maxReconnectDelayMs?: number;
  /** Reconnect attempts per server before the bus is lost; -1 never gives up. Default -1. */
  readonly maxReconnectAttempts?: number;
  /**
   * Bytes of notifications kept while disconnected, published in order on reconnect. Default
   * 8 MiB. Beyond it, `publish` through an informer waits; a direct `bus.publish` is dropped and
   * counted (`lost` in the transport's stats, and a `publish-dropped` event).
   */
  readonly maxReconnectBufferBytes?: number;
  /** Time allowed for the first connection, in ms. Default 5 000. */
  readonly connectTimeoutMs?: number;
  /** Time allowed for `drain()` (flush, unsubscribe, close) on shutdown, in ms. Default 5 000. */
  readonly drainTimeoutMs?: number;
  /** Subject prefix of RSB traffic. Default `rsb`. */
  readonly subjectPrefix?: string;
}

/** Where and as whom the NATS transport connects. */
export interface NatsBusOptions extends NatsBusTuning {
  /** Server URLs, e.g. `nats://127.0.0.1:4222`; the client picks among them and follows the cluster. */
  readonly servers: readonly string[];
  /** User name (with {@link pass}). */
  readonly user?: string;
  /** Password (with {@link user}). */
  readonly pass?: string;
  /** Authentication token (instead of user and password). */
  readonly token?: string;
  /** Client name shown in the server's monitoring. Default `actorwire-rsb`. */
  readonly name?: string;
}

/** The defaults of {@link NatsBusTuning}. */
export const NATS_BUS_DEFAULTS = Object.freeze({
  reconnectDelayMs: 100,
  maxReconnectDelayMs: 2_000,
  maxReconnectAttempts: -1,
  maxReconnectBufferBytes: 8 * 1024 * 1024,
  connectTimeoutMs: 5_000,
  drainTimeoutMs: 5_000,
  subjectPrefix: 'rsb',
});
