import type { ConnectionEndings } from '../actors/connection/connection-endings.js';
import type { ConnectionStats } from '../actors/connection/connection-stats.js';
import type { ListenAddress, ServerStats } from '../actors/server.js';
import { RollingSeries } from './rolling-series.js';
import type { ConnectionSample, ServiceKind, ServiceSample } from './snapshot.js';

/** What the monitor reads of a live connection (a `Connection` of any protocol). */
export interface WatchedConnection {
  readonly status: string;
  /** The machine's state value, e.g. `{ open: { receiving: 'flowing', sending: 'idle' } }`. */
  readonly state: unknown;
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly peerId: string | undefined;
  stats(): ConnectionStats;
}

/** What the monitor reads of a TCP server (a `Server` of any protocol). */
export interface WatchedServer {
  readonly address: ListenAddress | undefined;
  readonly connections: ReadonlySet<WatchedConnection>;
  readonly endings: ConnectionEndings;
  stats(): ServerStats;
}

/** A server that may not exist yet (a masep engine makes its server when it listens). */
type ServerSource = () => WatchedServer | undefined;

/**
 * `open (flowing, idle)` for `{ open: { receiving: 'flowing', sending: 'idle' } }`: the top state,
 * then its leaves. Connections share their machine's state objects (docs/ARCHITECTURE.md, "What a
 * connection costs"), so labels are made once per state and kept.
 */
export class StateLabels {
  private readonly labels = new WeakMap<object, string>();

  /** The label of a machine state value. */
  of(value: unknown): string {
    if (typeof value === 'string') return value;
    if (typeof value !== 'object' || value === null) return String(value);
    let label = this.labels.get(value);
    if (label === undefined) {
      const [top, inner] = Object.entries(value as Record<string, unknown>)[0] ?? ['?', undefined];
      const leaves: string[] = [];
      collectLeaves(inner, leaves);
      label = leaves.length === 0 ? top : `${top} (${leaves.join(', ')})`;
      this.labels.set(value, label);
    }
    return label;
  }
}

function collectLeaves(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'object' && value !== null) for (const inner of Object.values(value)) collectLeaves(inner, out);
}

/**
 * Samples one TCP server for the monitor: its counters (the server's own `stats()`), its live
 * connections by machine state, rates since the previous sample and how connections ended. It
 * reads; it adds nothing to the server's data path.
 */
export class ServerProbe {
  private readonly framesIn: RollingSeries;
  private last: { at: number; s: ServerStats } | undefined;
  private tracked: WatchedServer | undefined;

  constructor(
    readonly name: string,
    readonly kind: ServiceKind,
    private readonly source: ServerSource,
    private readonly labels: StateLabels,
    historyLength: number,
  ) {
    this.framesIn = new RollingSeries(historyLength);
    this.server();
  }

  /** The server, once there is one; the first time, its endings start naming their peers. */
  private server(): WatchedServer | undefined {
    const server = this.source();
    if (server !== undefined && server !== this.tracked) {
      this.tracked = server;
      server.endings.trackPeers();
    }
    return server;
  }

  /** The live connections (none before the server exists). */
  connections(): ReadonlySet<WatchedConnection> {
    return this.server()?.connections ?? EMPTY;
  }

  /** One connection as the monitor shows it. */
  connectionSample(connection: WatchedConnection): ConnectionSample {
    const s = connection.stats();
    return {
      service: this.name,
      peer: connection.remoteAddress === undefined ? '?' : `${connection.remoteAddress}:${connection.remotePort ?? '?'}`,
      peerId: connection.peerId ?? null,
      status: connection.status,
      state: this.labels.of(connection.state),
      framesIn: s.framesIn,
      framesOut: s.framesOut,
      bytesIn: s.bytesIn,
      bytesOut: s.bytesOut,
      queuedFrames: s.queuedFrames,
      queuedBytes: s.queuedBytes,
    };
  }

  /**
   * Samples the server at `now` (ms); rates are over the time since the previous sample that
   * advanced. `advance: false` reads without moving the rates' baseline or the history (a scrape).
   */
  sample(now: number, advance = true): ServiceSample {
    const server = this.server();
    const s = server?.stats() ?? ZERO;
    const states: Record<string, number> = {};
    for (const connection of server?.connections ?? EMPTY) {
      const label = this.labels.of(connection.state);
      states[label] = (states[label] ?? 0) + 1;
    }
    const seconds = this.last ? (now - this.last.at) / 1000 : 0;
    const rate = (key: 'framesIn' | 'framesOut' | 'bytesIn' | 'bytesOut'): number => (this.last && seconds > 0 ? Math.max(0, (s[key] - this.last.s[key]) / seconds) : 0);
    const rates = { framesIn: rate('framesIn'), framesOut: rate('framesOut'), bytesIn: rate('bytesIn'), bytesOut: rate('bytesOut') };
    if (advance) {
      this.framesIn.push(rates.framesIn);
      this.last = { at: now, s };
    }
    const address = server?.address;
    const endings = server?.endings;
    return {
      name: this.name,
      kind: this.kind,
      address: address ? `${address.host}:${address.port}` : null,
      connections: {
        active: s.connectionsActive,
        acceptedTotal: s.connectionsAccepted,
        refusedTotal: s.connectionsRefused,
        held: s.connectionsHeld,
        evictedTotal: s.connectionsEvicted,
        errorsTotal: s.connectionErrors,
      },
      states,
      traffic: {
        framesInTotal: s.framesIn,
        framesOutTotal: s.framesOut,
        bytesInTotal: s.bytesIn,
        bytesOutTotal: s.bytesOut,
        queuedFrames: s.queuedFrames,
        queuedBytes: s.queuedBytes,
      },
      rates,
      framesInHistory: this.framesIn.values(),
      endsByReason: { ...(endings?.byReason ?? {}) },
      errorsByCode: Object.fromEntries(endings?.errorsByCode ?? []),
      recentEnds: (endings?.recent() ?? []).map((e) => ({ peer: e.peer, reason: e.reason, code: e.code ?? null, at: e.at })),
    };
  }
}

const EMPTY: ReadonlySet<WatchedConnection> = new Set();

const ZERO: ServerStats = {
  bytesIn: 0,
  bytesOut: 0,
  framesIn: 0,
  framesOut: 0,
  socketWrites: 0,
  droppedFrames: 0,
  refusedSends: 0,
  connectionsAccepted: 0,
  connectionsActive: 0,
  connectionsHeld: 0,
  connectionsRefused: 0,
  connectionsEvicted: 0,
  connectionErrors: 0,
  queuedFrames: 0,
  queuedBytes: 0,
};
