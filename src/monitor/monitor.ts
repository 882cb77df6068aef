import { Observable, Subject } from 'rxjs';
import type { Bus } from '../actors/bus/bus.js';
import { systemClock, type Clock, type ClockTimer } from '../actors/clock.js';
import type { MasepEngine } from '../actors/masep/engine.js';
import type { OnelineServer } from '../actors/oneline/oneline-server.js';
import type { ObeServer } from '../obe/server.js';
import { BusProbe } from './bus-probe.js';
import { MonitorError } from './errors.js';
import { MasepProbe } from './masep-probe.js';
import { ObeProbe } from './obe-probe.js';
import { OnelineProbe } from './oneline-probe.js';
import { ServerProbe, StateLabels, type WatchedServer } from './server-probe.js';
import type { BusSample, ConnectionSample, MasepSample, MonitorSnapshot, ObeSample, OnelineSample, Page, ScopeSample, ServiceKind, ServiceSample } from './snapshot.js';

/** Options of a {@link Monitor}; every field has a default. */
export interface MonitorOptions {
  /** Sampling interval while someone watches (`/api/events`), in ms. Default 200; never below 100 (at most 10 updates a second). */
  intervalMs?: number;
  /**
   * Sampling interval while nobody watches, in ms: sparklines and OBE series keep going (an OBE
   * engine answers a getmean and a getstd per sampling that follows a step). 0: no sampling
   * while nobody watches. Default 1 000.
   */
  idleIntervalMs?: number;
  /** Samples per sparkline. Default 60. */
  historyLength?: number;
  /** Scopes kept apart per bus (peers choose scopes, so they are bounded); the rest are summed as `(other)`. Default 1 000. */
  maxScopes?: number;
  /** Where time comes from (tests pass a manual clock). Default the system clock. */
  clock?: Clock;
}

/** Which page of the long lists a snapshot holds. */
export interface SnapshotQuery {
  /** First connection (default 0) and how many (default 50, at most 500). */
  offset?: number;
  limit?: number;
  /** First scope, busiest first (default 0), and how many (default 25, at most 500). */
  scopeOffset?: number;
  scopeLimit?: number;
}

/** The fastest the monitor samples (and so pushes updates): 10 times a second. */
export const MIN_INTERVAL_MS = 100;
const MAX_PAGE = 500;

/** Everything but the pages, from one sampling. */
interface Sample {
  readonly time: number;
  readonly services: ServiceSample[];
  readonly buses: BusSample[];
  /** Busiest first. */
  readonly scopes: ScopeSample[];
  readonly obe: ObeSample[];
  readonly masep: MasepSample[];
  readonly oneline: OnelineSample[];
}

interface Entry {
  readonly name: string;
  readonly server?: ServerProbe;
  readonly bus?: BusProbe;
  readonly obe?: ObeProbe;
  readonly masep?: MasepProbe;
  readonly oneline?: OnelineProbe;
  detach(): void;
}

function clampInt(value: number | undefined, fallback: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.max(0, Math.min(max, Math.trunc(value)));
}

/**
 * The monitor actor: the servers, buses and engines of a process report to it, and it samples
 * them for the live page, `/api/snapshot`, `/api/events` and `/metrics` (docs/MONITOR.md). On the
 * data paths there are only counters (a bus's scope meter, a oneline server's command counts,
 * what the servers count anyway); everything else (connection states, rates, quantiles, OBE
 * moments) is read when it samples: every {@link MonitorOptions.intervalMs} while someone
 * watches, every {@link MonitorOptions.idleIntervalMs} otherwise (or not at all). It changes nothing it watches,
 * except that an OBE engine answers a getmean and a getstd per sample that follows a step.
 *
 * @example
 * ```ts
 * const monitor = new Monitor();
 * monitor.addOneline(onelineServer);
 * monitor.addBus(lease.bus);
 * const http = await startMonitorHttp(monitor, { port: 0 });
 * ```
 */
export class Monitor {
  /** Emits after each sampling. */
  readonly sampled$: Observable<void>;

  private readonly options: Required<Omit<MonitorOptions, 'clock'>>;
  private readonly clock: Clock;
  private readonly labels = new StateLabels();
  private readonly entries = new Map<string, Entry>();
  private readonly sampledSubject = new Subject<void>();
  private latest: Sample | undefined;
  private timer: ClockTimer | undefined;
  private watchers = 0;
  private closed = false;

  constructor(options: MonitorOptions = {}) {
    this.options = {
      intervalMs: Math.max(MIN_INTERVAL_MS, options.intervalMs ?? 200),
      idleIntervalMs: options.idleIntervalMs === 0 ? 0 : Math.max(MIN_INTERVAL_MS, options.idleIntervalMs ?? 1000),
      historyLength: options.historyLength ?? 60,
      maxScopes: options.maxScopes ?? 1000,
    };
    this.clock = options.clock ?? systemClock;
    this.sampled$ = this.sampledSubject.asObservable();
    this.schedule();
  }

  /** The sampling interval in force now, in ms. */
  get intervalMs(): number {
    return this.watchers > 0 ? this.options.intervalMs : this.options.idleIntervalMs;
  }

  /** Watches any TCP server: its connections, their states and traffic. Returns the function that stops watching. */
  addServer(server: WatchedServer, name: string, kind: ServiceKind = 'server'): () => void {
    return this.add({ name, server: this.serverProbe(name, kind, () => server), detach: () => undefined });
  }

  /** Watches a socket-oneline server: connections, commands per name, held clients. */
  addOneline(server: OnelineServer, name = 'oneline'): () => void {
    const oneline = new OnelineProbe(name, server);
    return this.add({ name, oneline, server: this.serverProbe(name, 'oneline', () => server.acceptor), detach: () => undefined });
  }

  /** Watches an OBE server: connections, requests, and its runs (steps, mean ± std). */
  addObe(server: ObeServer, name = 'obe'): () => void {
    const obe = new ObeProbe(name, server);
    return this.add({ name, obe, server: this.serverProbe(name, 'obe', () => server.acceptor), detach: () => obe.detach() });
  }

  /** Watches a masep engine: connections, players and observers, episodes and rewards. */
  addMasep(engine: MasepEngine, name = 'masep'): () => void {
    const masep = new MasepProbe(name, engine, this.labels);
    return this.add({ name, masep, server: this.serverProbe(name, 'masep', () => engine.acceptor), detach: () => masep.detach() });
  }

  /** Watches an RSB bus: traffic per scope (a meter on the bus), and its connections when it is a bus server. */
  addBus(bus: Bus, name = 'rsb'): () => void {
    const probe = new BusProbe(name, bus, this.options.historyLength, this.options.maxScopes);
    const acceptor = probe.acceptor();
    return this.add({ name, bus: probe, server: acceptor ? this.serverProbe(name, 'rsb', () => acceptor) : undefined, detach: () => probe.detach() });
  }

  /**
   * Someone is watching (an `/api/events` stream): samples at the fast interval until the
   * returned function is called.
   */
  watch(): () => void {
    this.watchers++;
    if (this.watchers === 1) this.reschedule();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.watchers--;
    };
  }

  /** Samples every source now. */
  sampleNow(): void {
    if (this.closed) return;
    this.latest = this.take(true);
    this.sampledSubject.next();
  }

  /** Reads every source; `advance: false` reads counters without moving rates, windows or histories. */
  private take(advance: boolean): Sample {
    const now = this.clock.now();
    const services: ServiceSample[] = [];
    const buses: BusSample[] = [];
    const scopes: ScopeSample[] = [];
    const obe: ObeSample[] = [];
    const masep: MasepSample[] = [];
    const oneline: OnelineSample[] = [];
    for (const entry of this.entries.values()) {
      if (entry.server) services.push(entry.server.sample(now, advance));
      if (entry.bus) {
        const s = entry.bus.sample(now, advance);
        buses.push(s.bus);
        scopes.push(...s.scopes);
      }
      if (entry.obe) obe.push(entry.obe.sample(advance));
      if (entry.masep) masep.push(entry.masep.sample(now, advance));
      if (entry.oneline) oneline.push(entry.oneline.sample(now, advance));
    }
    scopes.sort((a, b) => b.eventsPerSec - a.eventsPerSec || b.eventsTotal - a.eventsTotal || (a.scope < b.scope ? -1 : 1));
    return { time: Date.now(), services, buses, scopes, obe, masep, oneline };
  }

  /** The latest sample with the requested pages (samples first if there is none yet). */
  snapshot(query: SnapshotQuery = {}): MonitorSnapshot {
    if (!this.latest) this.sampleNow();
    return this.compose(this.latest ?? EMPTY_SAMPLE, query);
  }

  private compose(sample: Sample, query: SnapshotQuery): MonitorSnapshot {
    return {
      version: 1,
      time: sample.time,
      // rss() alone: memoryUsage() also walks V8's heap spaces, a visible cost at 5 snapshots a second.
      process: { pid: process.pid, uptimeSec: process.uptime(), rssBytes: process.memoryUsage.rss() },
      intervalMs: this.intervalMs,
      services: sample.services,
      connections: this.connectionPage(clampInt(query.offset, 0, Number.MAX_SAFE_INTEGER), clampInt(query.limit, 50, MAX_PAGE)),
      buses: sample.buses,
      scopes: page(sample.scopes, clampInt(query.scopeOffset, 0, Number.MAX_SAFE_INTEGER), query.scopeLimit === Number.MAX_SAFE_INTEGER ? sample.scopes.length : clampInt(query.scopeLimit, 25, MAX_PAGE)),
      obe: sample.obe,
      masep: sample.masep,
      oneline: sample.oneline,
    };
  }

  /**
   * A snapshot with every scope and no connection page (what `/metrics` reads): the counters as
   * they are now, rates and quantiles as of the latest sampling.
   */
  fullSnapshot(): MonitorSnapshot {
    if (!this.latest) this.sampleNow();
    return this.compose(this.closed ? EMPTY_SAMPLE : this.take(false), { limit: 0, scopeLimit: Number.MAX_SAFE_INTEGER });
  }

  /** Stops sampling and detaches from every source. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clock.clearTimeout(this.timer);
    for (const entry of this.entries.values()) entry.detach();
    this.entries.clear();
    this.sampledSubject.complete();
  }

  private serverProbe(name: string, kind: ServiceKind, server: () => WatchedServer | undefined): ServerProbe {
    return new ServerProbe(name, kind, server, this.labels, this.options.historyLength);
  }

  private add(entry: Entry): () => void {
    if (this.closed) {
      entry.detach();
      throw new MonitorError('MONITOR_CLOSED', 'the monitor is closed');
    }
    if (this.entries.has(entry.name)) {
      entry.detach();
      throw new MonitorError('MONITOR_DUPLICATE_NAME', `the monitor already watches a source named '${entry.name}'`);
    }
    this.entries.set(entry.name, entry);
    return () => {
      if (this.entries.get(entry.name) !== entry) return;
      this.entries.delete(entry.name);
      entry.detach();
    };
  }

  /** Live connections of every server, in registration order, a page of them (only the page is sampled). */
  private connectionPage(offset: number, limit: number): Page<ConnectionSample> {
    const items: ConnectionSample[] = [];
    let total = 0;
    for (const entry of this.entries.values()) {
      const probe = entry.server;
      if (!probe) continue;
      for (const connection of probe.connections()) {
        if (total >= offset && items.length < limit) items.push(probe.connectionSample(connection));
        total++;
      }
    }
    return { total, offset, limit, items };
  }

  private schedule(): void {
    if (this.closed || this.intervalMs === 0) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.sampleNow();
      this.schedule();
    }, this.intervalMs);
    this.timer.unref();
  }

  private reschedule(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.sampleNow();
    this.schedule();
  }
}

const EMPTY_SAMPLE: Sample = { time: 0, services: [], buses: [], scopes: [], obe: [], masep: [], oneline: [] };

function page<T>(all: readonly T[], offset: number, limit: number): Page<T> {
  return { total: all.length, offset, limit, items: all.slice(offset, offset + limit) };
}
