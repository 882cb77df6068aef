import { InvalidArgumentError } from 'commander';

/**
 * Parsers of option and argument values for commander (`.option(flags, text, parser)`): each
 * returns the typed value or throws commander's `InvalidArgumentError`, which the CLI reports as
 * a usage error (one line, a hint, exit code 2). Flags and their defaults: docs/CONFIGURATION.md.
 */

/** A TCP port: an integer 0..65535 (0: any free port). */
export function portArgument(value: string): number {
  const port = Number(value);
  if (value.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('give an integer 0-65535 (0: a free port).');
  return port;
}

/** A non-negative number: a duration, a size, a rate. */
export function nonNegativeArgument(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('give a number >= 0.');
  return n;
}

/** A positive number (a rate). */
export function positiveArgument(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('give a number > 0.');
  return n;
}

/** A count: an integer >= 0. */
export function countArgument(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('give a whole number >= 0.');
  return n;
}

/** A count of at least one. */
export function positiveCountArgument(value: string): number {
  const n = countArgument(value);
  if (n === 0) throw new InvalidArgumentError('give a whole number >= 1.');
  return n;
}

/** Collects a repeatable option's values (`--filter a --filter b`). */
export function collectArgument(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A comma-separated list of URLs (at least one). */
export function urlListArgument(value: string): string[] {
  const urls = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (urls.length === 0) throw new InvalidArgumentError('give at least one URL, e.g. nats://127.0.0.1:4222.');
  return urls;
}
