/**
 * What the NATS transport reports on `events$`. Losses are never silent: every notification
 * dropped on the sending side is a `publish-dropped`, and every skipped sequence number seen on
 * the receiving side is part of a `sequence-gap`.
 */
export type NatsBusEvent =
  /** The connection to `server` dropped (server restart, network, or the server cut a slow consumer). */
  | { readonly type: 'disconnected'; readonly server: string }
  /** The connection is back; buffered publishes have been sent, in order. */
  | { readonly type: 'reconnected'; readonly server: string }
  /** Notifications this process published that never reached NATS. */
  | { readonly type: 'publish-dropped'; readonly count: number; readonly bytes: number; readonly reason: string; readonly subject?: string }
  /**
   * A sender skipped `missing` sequence numbers as seen here: lost in transit (e.g. written to
   * a connection that died), or published on scopes this process does not subscribe to.
   */
  | { readonly type: 'sequence-gap'; readonly sender: string; readonly missing: number; readonly scope: string }
  /** The client's own per-subscription queue overflowed (messages were dropped by the client). */
  | { readonly type: 'slow-consumer'; readonly pending: number }
  /** The server answered with an error (e.g. a permission violation). */
  | { readonly type: 'server-error'; readonly error: Error }
  /** The server stopped answering pings; the client reconnects. */
  | { readonly type: 'stale-connection' };
