import { performance } from 'node:perf_hooks';

/**
 * The current time as integer microseconds since the Unix epoch, the unit of every RSB timestamp
 * (`create_time`, `send_time`, user times). Read from the high-resolution clock anchored at the
 * process's wall-clock start, so successive calls never go backwards; truncated like rsb-python's
 * `int(time.time() * 1e6)`.
 */
export function nowMicros(): number {
  return Math.trunc((performance.timeOrigin + performance.now()) * 1000);
}

/** A `Date` (millisecond precision) as microseconds since the epoch. */
export function dateToMicros(date: Date): number {
  return date.getTime() * 1000;
}

/** Microseconds since the epoch as a `Date` (the sub-millisecond part is truncated). */
export function microsToDate(micros: number): Date {
  return new Date(Math.floor(micros / 1000));
}
