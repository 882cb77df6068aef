import type { Scope } from '../../../protocols/rsb/index.js';

/** What the `statistics` and `monitor` logger styles show for one scope over a window. */
export interface ScopeRow {
  /** Normalised scope text, e.g. `/demo/a/`. */
  readonly scope: string;
  readonly events: number;
  /** Events per second. */
  readonly rate: number;
  /** Notification bytes per second. */
  readonly throughput: number;
  /** Mean notification size in bytes (0 without events). */
  readonly meanSize: number;
  /** Mean of receive time minus send time, in ms; undefined when no event had a send time. */
  readonly latencyMs: number | undefined;
}

/** The rows of one window, sorted by scope, and the window's length. */
export interface StatisticsWindow {
  readonly seconds: number;
  readonly rows: readonly ScopeRow[];
  readonly total: ScopeRow;
}

interface Counters {
  events: number;
  bytes: number;
  latencyUs: number;
  timed: number;
}

const empty = (): Counters => ({ events: 0, bytes: 0, latencyUs: 0, timed: 0 });

function row(scope: string, c: Counters, seconds: number): ScopeRow {
  return {
    scope,
    events: c.events,
    rate: seconds > 0 ? c.events / seconds : 0,
    throughput: seconds > 0 ? c.bytes / seconds : 0,
    meanSize: c.events > 0 ? c.bytes / c.events : 0,
    latencyMs: c.timed > 0 ? c.latencyUs / c.timed / 1000 : undefined,
  };
}

/**
 * Per-scope counters of events, bytes and latency (from the events' own send and receive times),
 * read in windows: {@link take} returns the window since the previous take, {@link overall}
 * everything since the start. The clock is injected (ms), so tests need not wait.
 */
export class ScopeStatistics {
  private window = new Map<string, Counters>();
  private readonly all = new Map<string, Counters>();
  private readonly started: number;
  private windowStart: number;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.started = now();
    this.windowStart = this.started;
  }

  /** Counts one event of `size` bytes on `scope`; `sendTime` 0 means the sender gave none. */
  add(scope: Scope, size: number, sendTime: number, receiveTime: number): void {
    for (const map of [this.window, this.all]) {
      let c = map.get(scope.text);
      if (c === undefined) map.set(scope.text, (c = empty()));
      c.events++;
      c.bytes += size;
      if (sendTime > 0 && receiveTime >= sendTime) {
        c.latencyUs += receiveTime - sendTime;
        c.timed++;
      }
    }
  }

  /** The window since the last take (or the start), and a new window begins. */
  take(): StatisticsWindow {
    const now = this.now();
    const result = summarise(this.window, (now - this.windowStart) / 1000);
    this.window = new Map();
    this.windowStart = now;
    return result;
  }

  /** Everything since the start. */
  overall(): StatisticsWindow {
    return summarise(this.all, (this.now() - this.started) / 1000);
  }
}

function summarise(map: ReadonlyMap<string, Counters>, seconds: number): StatisticsWindow {
  const total = empty();
  const rows = [...map.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([scope, c]) => {
      total.events += c.events;
      total.bytes += c.bytes;
      total.latencyUs += c.latencyUs;
      total.timed += c.timed;
      return row(scope, c, seconds);
    });
  return { seconds, rows, total: row('total', total, seconds) };
}

const fixed = (n: number, digits = 1): string => n.toFixed(digits);
const latency = (ms: number | undefined): string => (ms === undefined ? '-' : fixed(ms, 3));

/**
 * The `statistics` style: a table with a line per scope (events, rate, throughput, mean size,
 * mean latency), a total line, and a blank line.
 */
export function renderStatistics(window: StatisticsWindow): string {
  const header = ['scope', 'events', 'events/s', 'bytes/s', 'mean size B', 'latency ms'];
  const body = [...window.rows, window.total].map((r) => [r.scope, String(r.events), fixed(r.rate), fixed(r.throughput), fixed(r.meanSize), latency(r.latencyMs)]);
  const table = [header, ...body];
  const widths = header.map((_, i) => Math.max(...table.map((cells) => cells[i].length)));
  const lines = table.map((cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd());
  return `-- ${fixed(window.seconds, 1)} s --\n${lines.join('\n')}\n\n`;
}

/**
 * The `monitor` style: the scope tree of the events seen, each node with the events and rate of
 * its scope and everything below it.
 *
 * @example
 * ```text
 * /              12 events  12.0/s
 *   demo/        12 events  12.0/s
 *     a/         10 events  10.0/s
 * ```
 */
export function renderScopeTree(window: StatisticsWindow): string {
  const nodes = new Map<string, { depth: number; name: string; events: number }>();
  nodes.set('/', { depth: 0, name: '/', events: 0 });
  for (const r of window.rows) {
    const parts = r.scope.split('/').filter((p) => p !== '');
    nodes.get('/')!.events += r.events;
    let path = '/';
    parts.forEach((part, i) => {
      path += `${part}/`;
      let node = nodes.get(path);
      if (node === undefined) nodes.set(path, (node = { depth: i + 1, name: `${part}/`, events: 0 }));
      node.events += r.events;
    });
  }
  const entries = [...nodes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const labels = entries.map(([, n]) => '  '.repeat(n.depth) + n.name);
  const width = Math.max(...labels.map((l) => l.length));
  const lines = entries.map(([, n], i) => {
    const rate = window.seconds > 0 ? n.events / window.seconds : 0;
    return `${labels[i].padEnd(width)}  ${String(n.events).padStart(6)} events  ${fixed(rate).padStart(8)}/s`;
  });
  return `-- ${fixed(window.seconds, 1)} s --\n${lines.join('\n')}\n\n`;
}
