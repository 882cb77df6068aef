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

  /**
   * From now on, learn each admitted connection's peer (see {@link admitted}), so that its ending
   * names it: one `getpeername` per connection, paid only once someone watches (the monitor).
   */
  trackPeers(): void {
    this.peers = true;
  }

  /**
   * A connection was admitted. When peers are tracked, reads its peer address now: a socket
   * that has closed no longer knows it unless it was asked before (Node keeps the first answer).
   */
  admitted(connection: { readonly remoteAddress: string | undefined }): void {
    if (this.peers) void connection.remoteAddress;
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
