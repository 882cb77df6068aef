/**
 * The one structured logger of actorwire. Quiet by default in library use: nothing is printed
 * unless the `ACTORWIRE_LOG` environment variable (or {@link setLogLevel}) asks for it.
 * Lines go to stderr as `<ISO time> <LEVEL> <name>: <message> <JSON fields>`.
 */

/** Severity levels, from most to least severe; `silent` prints nothing. */
export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

const RANK: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };

function levelFromEnv(): LogLevel {
  const raw = process.env.ACTORWIRE_LOG?.toLowerCase();
  return raw !== undefined && raw in RANK ? (raw as LogLevel) : 'silent';
}

let threshold = RANK[levelFromEnv()];
let sink: (line: string) => void = (line) => process.stderr.write(line + '\n');

/** Sets the process-wide level (the CLI raises it to `info`). */
export function setLogLevel(level: LogLevel): void {
  threshold = RANK[level];
}

/** The current process-wide level. */
export function getLogLevel(): LogLevel {
  return (Object.keys(RANK) as LogLevel[]).find((l) => RANK[l] === threshold) ?? 'silent';
}

/** Redirects log lines (tests capture them); returns the previous sink. */
export function setLogSink(next: (line: string) => void): (line: string) => void {
  const previous = sink;
  sink = next;
  return previous;
}

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** A named logger; cheap to create, filtered by the process-wide level. */
export interface Logger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  /** True when lines of `level` would be printed (to skip building costly fields). */
  enabled(level: Exclude<LogLevel, 'silent'>): boolean;
}

/** Longest string value (peer data, parser messages) kept in a log line; the rest is cut. */
export const LOG_MAX_VALUE_CHARS = 256;
/** Longest log line; a line with many fields is cut here. */
export const LOG_MAX_LINE_CHARS = 2_048;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(+${text.length - max} chars)`;
}

/** JSON for a field value: errors as name, message and code; every string cut; bigints as text. */
function plainValue(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, code: (value as { code?: unknown }).code };
  if (typeof value === 'string') return clip(value, LOG_MAX_VALUE_CHARS);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function render(fields: LogFields | undefined): string {
  // JSON escapes control characters, so peer bytes cannot forge lines or terminal sequences.
  return fields ? ' ' + JSON.stringify(fields, plainValue) : '';
}

/**
 * How many lines of one kind (logger, level, message) may be written: a burst, then a steady rate.
 * Lines beyond it are counted, and the next line of that kind that may be written says how many
 * were suppressed. So a peer that sends a stream of bad frames gets a few lines, not one per frame.
 */
export interface LogRateLimit {
  /** Lines of one kind written at once before limiting starts. Default 20. */
  readonly burst: number;
  /** Lines of one kind per second after the burst. Default 1. */
  readonly perSecond: number;
  /** The clock, in ms (tests drive it). Default `Date.now`. */
  readonly now: () => number;
}

const DEFAULT_RATE_LIMIT: LogRateLimit = Object.freeze({ burst: 20, perSecond: 1, now: () => Date.now() });
let rateLimit: LogRateLimit = DEFAULT_RATE_LIMIT;

interface Bucket {
  tokens: number;
  at: number;
  suppressed: number;
}

/** Kinds of line seen, bounded: our messages are a fixed set, but a caller might build them. */
const buckets = new Map<string, Bucket>();
const MAX_BUCKETS = 4_096;

/** Sets the log rate limit (tests); returns the previous one. `undefined` restores the default. */
export function setLogRateLimit(next: Partial<LogRateLimit> | undefined): LogRateLimit {
  const previous = rateLimit;
  rateLimit = next === undefined ? DEFAULT_RATE_LIMIT : { ...DEFAULT_RATE_LIMIT, ...next };
  buckets.clear();
  return previous;
}

/** Takes a token for a line of `kind`; returns -1 to drop the line, else how many were suppressed before it. */
function admit(kind: string): number {
  const now = rateLimit.now();
  let bucket = buckets.get(kind);
  if (bucket === undefined) {
    if (buckets.size >= MAX_BUCKETS) buckets.clear();
    bucket = { tokens: rateLimit.burst, at: now, suppressed: 0 };
    buckets.set(kind, bucket);
  } else {
    bucket.tokens = Math.min(rateLimit.burst, bucket.tokens + ((now - bucket.at) / 1000) * rateLimit.perSecond);
    bucket.at = now;
  }
  if (bucket.tokens < 1) {
    bucket.suppressed++;
    return -1;
  }
  bucket.tokens -= 1;
  const suppressed = bucket.suppressed;
  bucket.suppressed = 0;
  return suppressed;
}

/** Creates a logger whose lines carry `name`, e.g. `oneline.server`. */
export function createLogger(name: string): Logger {
  const emit = (level: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields): void => {
    if (RANK[level] > threshold) return;
    const suppressed = admit(`${name}\u0000${level}\u0000${message}`);
    if (suppressed < 0) return;
    const note = suppressed > 0 ? ` (${suppressed} similar lines suppressed)` : '';
    const line = `${new Date().toISOString()} ${level.toUpperCase()} ${name}: ${clip(message, LOG_MAX_VALUE_CHARS)}${note}${render(fields)}`;
    sink(clip(line, LOG_MAX_LINE_CHARS));
  };
  return {
    error: (m, f) => emit('error', m, f),
    warn: (m, f) => emit('warn', m, f),
    info: (m, f) => emit('info', m, f),
    debug: (m, f) => emit('debug', m, f),
    enabled: (level) => RANK[level] <= threshold,
  };
}
