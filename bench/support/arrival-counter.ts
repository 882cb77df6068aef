/** What a listening role reports: events, their span in seconds, bytes, and CPU per event. */
export interface ArrivalReport {
  count: number;
  seconds: number;
  bytes: number;
  cpuMicrosPerEvent: number;
}

/**
 * Counts `count` arrivals of events of `size` bytes and measures from the first to the last (the
 * first one only starts the clock, so `count − 1` intervals are reported), then calls `onDone`.
 */
export function arrivalCounter(count: number, onDone: (result: ArrivalReport) => void): (size: number) => void {
  let seen = 0;
  let bytes = 0;
  let start = 0n;
  let cpu = process.cpuUsage();
  return (size: number): void => {
    if (seen === 0) {
      start = process.hrtime.bigint();
      cpu = process.cpuUsage();
    }
    seen++;
    bytes += size;
    if (seen === count) {
      const used = process.cpuUsage(cpu);
      onDone({ count: count - 1, seconds: Number(process.hrtime.bigint() - start) / 1e9, bytes: bytes - bytes / count, cpuMicrosPerEvent: (used.user + used.system) / count });
    }
  };
}

/** Prints one JSON result line for the driving benchmark. */
export function report(result: unknown): void {
  process.stdout.write(JSON.stringify(result) + '\n');
}
