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

function render(fields: LogFields | undefined): string {
  if (!fields) return '';
  const plain: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    plain[key] = value instanceof Error ? { name: value.name, message: value.message, code: (value as { code?: unknown }).code } : value;
  }
  return ' ' + JSON.stringify(plain, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Creates a logger whose lines carry `name`, e.g. `oneline.server`. */
export function createLogger(name: string): Logger {
  const emit = (level: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields): void => {
    if (RANK[level] > threshold) return;
    sink(`${new Date().toISOString()} ${level.toUpperCase()} ${name}: ${message}${render(fields)}`);
  };
  return {
    error: (m, f) => emit('error', m, f),
    warn: (m, f) => emit('warn', m, f),
    info: (m, f) => emit('info', m, f),
    debug: (m, f) => emit('debug', m, f),
    enabled: (level) => RANK[level] <= threshold,
  };
}
