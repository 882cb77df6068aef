import type { Bus } from '../actors/bus/bus.js';
import { RollingSeries } from './rolling-series.js';
import { ScopeMeter, type ScopeCounters } from './scope-meter.js';
import type { WatchedServer } from './server-probe.js';
import type { BusSample, NatsLinkSample, ScopeSample } from './snapshot.js';

/** What a bus on NATS (or a bridge, under `nats`) counts of its link. */
interface NatsCounts {
  readonly reconnects: number;
  readonly buffered: number;
  readonly lost: number;
  readonly missing: number;
}

function natsCounts(stats: object): NatsCounts | undefined {
  const inner = (stats as { nats?: object }).nats ?? stats;
  return 'reconnects' in inner && 'buffered' in inner ? (inner as NatsCounts) : undefined;
}

interface ScopeHistory {
  readonly events: RollingSeries;
  lastEvents: number;
  lastBytes: number;
  eventsPerSec: number;
  bytesPerSec: number;
  p50: number | null;
  p99: number | null;
  sizeP50: number | null;
  sizeP99: number | null;
}

/**
 * Samples one RSB bus for the monitor: attaches a {@link ScopeMeter} to it (the only thing on the
 * bus's data path: counters per notification) and turns the counters into rates, quantiles and
 * sparklines once per sample.
 */
export class BusProbe {
  readonly meter: ScopeMeter;
  private readonly histories = new Map<ScopeCounters, ScopeHistory>();
  private lastAt: number | undefined;

  constructor(
    readonly name: string,
    readonly bus: Bus,
    private readonly historyLength: number,
    maxScopes?: number,
  ) {
    this.meter = new ScopeMeter(maxScopes);
    bus.meter = this.meter;
  }

  /** The bus server's TCP server, when this bus is one. */
  acceptor(): WatchedServer | undefined {
    const transport = this.bus.transport as { readonly acceptor?: WatchedServer };
    return transport.acceptor;
  }

  private natsLink(stats: object): NatsLinkSample | null {
    const counts = natsCounts(stats);
    if (!counts) return null;
    const connection = (this.bus.transport as { readonly connection?: { isClosed(): boolean } }).connection;
    return {
      state: connection?.isClosed() || this.bus.status === 'closed' ? 'closed' : 'connected',
      reconnectsTotal: counts.reconnects,
      buffered: counts.buffered,
      lostTotal: counts.lost,
      missingTotal: counts.missing,
    };
  }

  /** Stops metering. */
  detach(): void {
    if (this.bus.meter === this.meter) this.bus.meter = undefined;
  }

  /**
   * Samples the bus and its scopes at `now` (ms). `advance: false` reads the counters without
   * moving the rates' baseline, the quantiles' window or the history (a scrape).
   */
  sample(now: number, advance = true): { bus: BusSample; scopes: ScopeSample[] } {
    const seconds = this.lastAt === undefined ? 0 : (now - this.lastAt) / 1000;
    if (advance) this.lastAt = now;
    const scopes: ScopeSample[] = [];
    for (const counters of this.meter.all()) {
      let h = this.histories.get(counters);
      if (h === undefined) {
        h = { events: new RollingSeries(this.historyLength), lastEvents: 0, lastBytes: 0, eventsPerSec: 0, bytesPerSec: 0, p50: null, p99: null, sizeP50: null, sizeP99: null };
        this.histories.set(counters, h);
      }
      if (advance) {
        h.eventsPerSec = seconds > 0 ? (counters.events - h.lastEvents) / seconds : 0;
        h.bytesPerSec = seconds > 0 ? (counters.bytes - h.lastBytes) / seconds : 0;
        h.lastEvents = counters.events;
        h.lastBytes = counters.bytes;
        h.events.push(h.eventsPerSec);
        // Quantiles of the last interval; an idle interval keeps the previous ones on show.
        counters.closeWindow();
        // quantile() is null for an empty window.
        if (counters.latency.quantile(0.5) !== null) {
          h.p50 = counters.latency.quantile(0.5);
          h.p99 = counters.latency.quantile(0.99);
        }
        if (counters.sizes.quantile(0.5) !== null) {
          h.sizeP50 = counters.sizes.quantile(0.5);
          h.sizeP99 = counters.sizes.quantile(0.99);
        }
      }
      scopes.push({
        bus: this.name,
        scope: counters.scope,
        eventsTotal: counters.events,
        bytesTotal: counters.bytes,
        eventsPerSec: h.eventsPerSec,
        bytesPerSec: h.bytesPerSec,
        size: { p50: h.sizeP50, p99: h.sizeP99, max: counters.sizes.max },
        latencyMs: { p50: h.p50 === null ? null : h.p50 / 1000, p99: h.p99 === null ? null : h.p99 / 1000 },
        history: h.events.values(),
      });
    }
    const stats = this.bus.stats();
    const address = this.bus.transport.address;
    return {
      bus: {
        name: this.name,
        // A bus server asked for port 0 is registered under it: show the port it got.
        endpoint: address ? this.bus.endpoint.replace(/:0$/, `:${address.port}`) : this.bus.endpoint,
        role: this.bus.role,
        status: this.bus.status,
        remotePeers: stats.connections,
        localSinks: stats.sinks,
        participants: this.bus.participants(),
        publishedTotal: stats.published,
        notificationsInTotal: stats.notificationsIn,
        forwardedTotal: stats.forwarded,
        badNotificationsTotal: stats.badNotifications,
        slowPeersDroppedTotal: stats.slowPeersDropped,
        scopes: scopes.length,
        nats: this.natsLink(stats),
      },
      scopes,
    };
  }
}
