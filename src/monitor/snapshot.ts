/**
 * The JSON the monitor serves at `/api/snapshot` and pushes on `/api/events`, field by field
 * (docs/MONITOR.md). Counters (`*Total`, `events`, `bytes`, ...) only grow for the life of the
 * process; rates are per second over the last sampling interval; times are ms since the epoch.
 */

/** What kind of service a {@link ServiceSample} is. */
export type ServiceKind = 'oneline' | 'obe' | 'rsb' | 'masep' | 'server';

/** Counters and gauges of one TCP server and its connections. */
export interface ServiceSample {
  /** The name it was registered under, e.g. `obe`. */
  readonly name: string;
  readonly kind: ServiceKind;
  /** `host:port` it listens on, once listening. */
  readonly address: string | null;
  readonly connections: {
    readonly active: number;
    readonly acceptedTotal: number;
    readonly refusedTotal: number;
    /** Sockets waiting unread for a slot (oneline's held clients). */
    readonly held: number;
    readonly evictedTotal: number;
    /** Connections that ended with an error. */
    readonly errorsTotal: number;
  };
  /** Active connections by machine state, e.g. `{ "open (flowing, idle)": 3 }`. */
  readonly states: Readonly<Record<string, number>>;
  readonly traffic: {
    readonly framesInTotal: number;
    readonly framesOutTotal: number;
    readonly bytesInTotal: number;
    readonly bytesOutTotal: number;
    /** Frames and bytes waiting in send queues now. */
    readonly queuedFrames: number;
    readonly queuedBytes: number;
  };
  readonly rates: { readonly framesIn: number; readonly framesOut: number; readonly bytesIn: number; readonly bytesOut: number };
  /** Frames in per second over the last samples, oldest first (a sparkline). */
  readonly framesInHistory: readonly number[];
  /** Ended connections by reason (`peer-closed`, `drained`, `error`, ...). */
  readonly endsByReason: Readonly<Record<string, number>>;
  /** Connections that ended with an error, by its code. */
  readonly errorsByCode: Readonly<Record<string, number>>;
  /** The last connections that ended, newest first. */
  readonly recentEnds: readonly { readonly peer: string; readonly reason: string; readonly code: string | null; readonly at: number }[];
}

/** One live connection. */
export interface ConnectionSample {
  /** The service it belongs to. */
  readonly service: string;
  /** `address:port` of the peer. */
  readonly peer: string;
  /** The peer's id from a hello handshake (pymasep), if any. */
  readonly peerId: string | null;
  /** Its machine's coarse state: connecting, handshaking, open, closing. */
  readonly status: string;
  /** Its machine's full state, e.g. `open (flowing, idle)`, `closing (flushing)`. */
  readonly state: string;
  readonly framesIn: number;
  readonly framesOut: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly queuedFrames: number;
  readonly queuedBytes: number;
}

/** A page of a long list. */
export interface Page<T> {
  /** How many there are in all. */
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly items: readonly T[];
}

/** Traffic on one RSB scope of one bus (exactly that scope, not its sub-scopes). */
export interface ScopeSample {
  readonly bus: string;
  /** E.g. `/demo/a/`; `(other)` sums the scopes beyond the meter's bound. */
  readonly scope: string;
  readonly eventsTotal: number;
  readonly bytesTotal: number;
  readonly eventsPerSec: number;
  readonly bytesPerSec: number;
  /** Event sizes (bytes, encoded notification) over the last interval: null when there were none. */
  readonly size: { readonly p50: number | null; readonly p99: number | null; readonly max: number };
  /** Create → receive, from the notifications' own timestamps, ms, over the last interval. */
  readonly latencyMs: { readonly p50: number | null; readonly p99: number | null };
  /** Events per second over the last samples, oldest first (a sparkline). */
  readonly history: readonly number[];
}

/** One RSB bus of this process. */
export interface BusSample {
  readonly name: string;
  /** E.g. `socket:127.0.0.1:55555`. */
  readonly endpoint: string;
  /** `server`, `client`, `inprocess` or `nats`. */
  readonly role: string;
  /** `open`, `closing` or `closed`. */
  readonly status: string;
  /** Connections to other processes (the bus server's clients). */
  readonly remotePeers: number;
  /** Local in-connectors (listeners, servers' method sinks). */
  readonly localSinks: number;
  /**
   * Participants of this process by kind (`informer`, `listener`; RPC servers and readers are made
   * of them) and scope. Other processes' participants are behind `remotePeers`.
   */
  readonly participants: readonly { readonly kind: string; readonly scope: string; readonly count: number }[];
  readonly publishedTotal: number;
  readonly notificationsInTotal: number;
  readonly forwardedTotal: number;
  readonly badNotificationsTotal: number;
  /** Peers cut because they did not read. */
  readonly slowPeersDroppedTotal: number;
  /** Distinct scopes seen. */
  readonly scopes: number;
  /** The NATS link of a bus on NATS or of a bridge; null for other buses. */
  readonly nats: NatsLinkSample | null;
}

/** The state of a bus's link to NATS. */
export interface NatsLinkSample {
  /** `connected`, or `closed` once the connection is gone for good. */
  readonly state: string;
  readonly reconnectsTotal: number;
  /** Notifications waiting for a reconnect. */
  readonly buffered: number;
  /** Notifications dropped because the reconnect buffer was full. */
  readonly lostTotal: number;
  /** Senders' sequence numbers skipped, as seen here. */
  readonly missingTotal: number;
}

/** One OBE server and its current run. */
export interface ObeSample {
  readonly name: string;
  /** `idle`, `starting`, `running`, `crashed` or `stopped`: the engine actor's machine. */
  readonly engine: string;
  readonly run: {
    /** Whether a run is going. */
    readonly active: boolean;
    /** The model by name (or `module#export`). */
    readonly model: string | null;
    readonly particles: number | null;
    /** Parameter names, from the prior (`p0`, `p1`, ... when unnamed). */
    readonly parameters: readonly string[];
    /** Measurements (`newdat`) taken in this run. */
    readonly steps: number;
    /** Resamples of the particles in this run, as of the engine's last snapshot (null: not known yet). */
    readonly resamples: number | null;
    /** Threads of the run's particle loops (null: not known yet). */
    readonly threads: number | null;
    /** The effective sample size `1/Σw²` as of the engine's last snapshot (null: not known yet). */
    readonly effectiveSampleSize: number | null;
    /** Runs started since the server started. */
    readonly runsTotal: number;
    /** The last setting chosen by goodset or optset. */
    readonly lastSetting: readonly number[] | null;
  };
  /** Mean and std per parameter after each sampled step of this run: `mean[p][i]` at `steps[i]`. */
  readonly series: { readonly steps: readonly number[]; readonly mean: readonly (readonly number[])[]; readonly std: readonly (readonly number[])[] };
  readonly requestsTotal: number;
  readonly errorRepliesTotal: number;
  /** Requests by command name. */
  readonly byCommand: Readonly<Record<string, number>>;
  readonly engineCrashesTotal: number;
}

/** One masep engine and its game. */
export interface MasepSample {
  readonly name: string;
  readonly game: string | null;
  /** The engine's lifecycle: `awaitingGame`, `awaitingPlayers`, `playing`, `ended`, ... */
  readonly phase: string;
  readonly episodesTotal: number;
  readonly stepsTotal: number;
  readonly stepsPerSec: number;
  /** Players and observers connected now. */
  readonly members: readonly { readonly id: string; readonly role: string; readonly agent: string | null; readonly state: string }[];
  /** The last finished episodes, oldest first: reward per agent. */
  readonly episodes: readonly { readonly episode: number; readonly steps: number; readonly rewards: Readonly<Record<string, number>> }[];
  readonly actionsAppliedTotal: number;
  readonly observationsSentTotal: number;
  readonly timeoutsTotal: number;
  readonly refusedTotal: number;
}

/** One socket-oneline server. */
export interface OnelineSample {
  readonly name: string;
  /** Lines by command name (first word), and per second over the last interval. */
  readonly commands: readonly { readonly name: string; readonly total: number; readonly perSec: number }[];
  /** Whether a client is being served. */
  readonly serving: boolean;
  /** Clients held unread until the served one leaves. */
  readonly held: number;
  readonly refusedTotal: number;
  readonly handlerErrorsTotal: number;
}

/** Everything the monitor knows at one moment: the body of `/api/snapshot` and of each `/api/events` update. */
export interface MonitorSnapshot {
  /** The format's version; fields are only added within one version. */
  readonly version: 1;
  /** When it was sampled. */
  readonly time: number;
  /** The process's pid and uptime. */
  readonly process: { readonly pid: number; readonly uptimeSec: number; readonly rssBytes: number };
  /** How often the monitor samples now, in ms. */
  readonly intervalMs: number;
  readonly services: readonly ServiceSample[];
  /** Live connections of every service, a page of them (`?offset=&limit=`, default 0 and 50). */
  readonly connections: Page<ConnectionSample>;
  readonly buses: readonly BusSample[];
  /** Scopes, busiest first, a page of them (`?scopeOffset=&scopeLimit=`, default 0 and 25). */
  readonly scopes: Page<ScopeSample>;
  readonly obe: readonly ObeSample[];
  readonly masep: readonly MasepSample[];
  readonly oneline: readonly OnelineSample[];
}
