import { parseArgs, type ParseArgsConfig } from 'node:util';

type Parsed<T extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>;
import { UsageError } from './usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses `argv` with node:util's parser, turning its errors into {@link UsageError}s. */
export function parseCommandLine<T extends Options>(argv: string[], options: T): Parsed<T> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** Reads a TCP port option: an integer 0..65535. */
export function portOption(value: string | undefined, fallback: number, name = '--port'): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`${name} must be an integer 0-65535, got '${value}'`);
  return port;
}

/** Reads a positive number option (a duration, a count). */
export function numberOption(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name} must be a non-negative number, got '${value}'`);
  return n;
}
