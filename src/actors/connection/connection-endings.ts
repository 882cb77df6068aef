import type { EndReason } from './connection-machine.js';

/** One ended connection, as {@link ConnectionEndings} remembers it. */
export interface ConnectionEnding {
  /** `address:port` of the peer, when the socket still knew it. */
  readonly peer: string;
  readonly reason: EndReason;
  /** The `code` of the error that ended it (`SLOW_CONSUMER`, `ECONNRESET`, ...), if any. */
  readonly code?: string;
  /** When it ended, ms since the epoch. */
  readonly at: number;
}

/** What a connection tells {@link ConnectionEndings} when it has ended. */
export interface EndedConnection {
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly end: { readonly reason: EndReason; readonly error?: Error } | undefined;
}

/** How many recent endings are kept. */
export const RECENT_ENDINGS = 32;
/** How many distinct error codes are counted; later new codes count as `OTHER`. */
export const MAX_ERROR_CODES = 64;
/** Admitted connections whose peer is named in each second, before sampling starts. */
export const NAMED_PER_SECOND = 32;
/** Beyond {@link NAMED_PER_SECOND} in a second, one admitted connection in this many is named. */
export const NAMED_SAMPLE_EVERY = 16;

/**
 * How a server's connections ended: counts by reason, errors by code, and the last
 * {@link RECENT_ENDINGS} endings. Recorded once per connection, at its end (never per frame), so
 * the monitor can show why peers went away (docs/MONITOR.md).
 *
 * @example
 * ```ts
 * const endings = new ConnectionEndings();
 * endings.record(connection);          // once it is closed or failed
 * endings.byReason;                    // { 'peer-closed': 1 }
 * ```
 */
export class ConnectionEndings {
  /** Ended connections by reason. */
  readonly byReason: Partial<Record<EndReason, number>> = {};
  /** Connections that ended with an error, by the error's code. */
  readonly errorsByCode = new Map<string, number>();
  private readonly ring: Array<ConnectionEnding | undefined> = new Array<ConnectionEnding | undefined>(RECENT_ENDINGS);
  private next = 0;
  private peers = false;
  /** Start of the current one-second naming window, ms on the caller's clock. */
  private windowStart = -Infinity;
  private admittedInWindow = 0;

  /**
   * From now on, learn the peers of admitted connections (see {@link admitted}), so that their
   * endings name them; paid only once someone watches (the monitor).
   */
  trackPeers(): void {
    this.peers = true;
  }

  /**
   * A connection was admitted at `now` (ms). When peers are tracked, reads its peer address now,
   * since a socket that has closed no longer knows it unless it was asked before (Node keeps the
   * first answer). That is a `getpeername` call, about 5 µs: every connection of a quiet server is
   * named, and under load the first {@link NAMED_PER_SECOND} of each second, then one in
   * {@link NAMED_SAMPLE_EVERY}; the others end as `?`.
   */
  admitted(connection: { readonly remoteAddress: string | undefined }, now: number): void {
    if (!this.peers) return;
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.admittedInWindow = 0;
    }
    const n = this.admittedInWindow++;
    if (n < NAMED_PER_SECOND || (n - NAMED_PER_SECOND) % NAMED_SAMPLE_EVERY === 0) void connection.remoteAddress;
  }

  /** Records an ended connection. */
  record(connection: EndedConnection): void {
    const end = connection.end;
    if (!end) return;
    this.byReason[end.reason] = (this.byReason[end.reason] ?? 0) + 1;
    let code: string | undefined;
    if (end.error) {
      const raw = (end.error as { code?: unknown }).code;
      code = typeof raw === 'string' ? raw : 'ERROR';
      if (!this.errorsByCode.has(code) && this.errorsByCode.size >= MAX_ERROR_CODES) code = 'OTHER';
      this.errorsByCode.set(code, (this.errorsByCode.get(code) ?? 0) + 1);
    }
    const peer = connection.remoteAddress === undefined ? '?' : `${connection.remoteAddress}:${connection.remotePort ?? '?'}`;
    this.ring[this.next] = { peer, reason: end.reason, code, at: Date.now() };
    this.next = (this.next + 1) % RECENT_ENDINGS;
  }

  /** The recent endings, newest first. */
  recent(): ConnectionEnding[] {
    const out: ConnectionEnding[] = [];
    for (let i = 1; i <= RECENT_ENDINGS; i++) {
      const e = this.ring[(this.next - i + RECENT_ENDINGS) % RECENT_ENDINGS];
      if (e) out.push(e);
    }
    return out;
  }
}
