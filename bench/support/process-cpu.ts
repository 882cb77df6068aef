import { readFileSync } from 'node:fs';

/** Linux reports process times in clock ticks of 1/100 s (USER_HZ, fixed for /proc). */
const MICROS_PER_TICK = 10_000;

/**
 * CPU time (user + system, all threads) that process `pid` has used so far, in µs, from
 * `/proc/<pid>/stat`; undefined where there is no such file (not Linux, or the process is gone).
 * Tick resolution: measure spans of a second or more.
 */
export function processCpuMicros(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15, i.e. the 12th and 13th after the name.
  return (Number(fields[11]) + Number(fields[12])) * MICROS_PER_TICK;
}
