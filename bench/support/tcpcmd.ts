/**
 * The optbayesexpt client's way of talking to an OBE server, for benchmarks: one TCP connection per
 * command (`Socket.tcpcmd`: connect, `sendall` of the 10-digit header and JSON body, read 10 bytes
 * then the body, close), from Python, by bench/obe-server/tcpcmd_driver.py.
 */
import { fileURLToPath } from 'node:url';
import { runToEnd } from '../../test/helpers/cli.js';
import type { ChildServer } from './child-server.js';
import { processCpuMicros } from './process-cpu.js';
import { quantile } from './stats.js';

const DRIVER = fileURLToPath(new URL('../obe-server/tcpcmd_driver.py', import.meta.url));

/** What the driver prints: samples in ms (run_wall in s, error_mhz in MHz). */
export interface DriverSamples {
  run_wall: number[];
  step: number[];
  goodset: number[];
  newdat: number[];
  getmean: number[];
  getstd: number[];
  newrun: number[];
  ready: number[];
  error_mhz: number[];
}

/** What one driver invocation does; `runs: 0` only sends `ready`. */
export interface DriveSpec {
  grid?: number;
  runs?: number;
  steps?: number;
  ready?: number;
  seed?: number;
}

/**
 * Runs the driver against `port` and returns its samples. Bounded in time: the driver is killed
 * after a generous allowance for the commands it sends (`timeoutMs`, default from the counts).
 */
export async function driveTcpcmd(port: number, spec: DriveSpec, timeoutMs?: number): Promise<DriverSamples> {
  const { grid = 0, runs = 0, steps = 0, ready = 0, seed = 0 } = spec;
  const commands = (runs + (runs > 0 ? 1 : 0)) * (steps * 4 + 1) + ready;
  const limit = timeoutMs ?? 60_000 + commands * 50;
  const { code, stdout, stderr } = await runToEnd('python3', [DRIVER, String(port), String(grid), String(runs), String(steps), String(ready), String(seed)], limit);
  if (code !== 0) throw new Error(`tcpcmd driver failed (${code}): ${stderr}`);
  return JSON.parse(stdout) as DriverSamples;
}

/** One batch of `ready` round trips against one server: latency and the server's CPU over it. */
export interface ReadyBatch {
  /** Round-trip samples, µs. */
  samples: number[];
  p50: number;
  p99: number;
  /** Server CPU (user + system, all threads) over the batch, µs; undefined without /proc. */
  cpuMicros: number | undefined;
  count: number;
}

/**
 * `count` sequential `ready` commands, one connection each, with the server's CPU time (Linux
 * /proc, 10 ms ticks: sum batches over a second or more of server CPU before dividing).
 */
export async function readyBatch(server: ChildServer, count: number): Promise<ReadyBatch> {
  const before = processCpuMicros(server.pid);
  const { ready } = await driveTcpcmd(server.port, { ready: count });
  const after = processCpuMicros(server.pid);
  const samples = ready.map((ms) => ms * 1000);
  return {
    samples,
    p50: quantile(samples, 0.5),
    p99: quantile(samples, 0.99),
    cpuMicros: before === undefined || after === undefined ? undefined : after - before,
    count,
  };
}

/** Server CPU per connection over `batches`, µs (total CPU / total connections), if known. */
export function cpuPerConnection(batches: readonly ReadyBatch[]): number | undefined {
  let cpu = 0;
  let count = 0;
  for (const b of batches) {
    if (b.cpuMicros === undefined) return undefined;
    cpu += b.cpuMicros;
    count += b.count;
  }
  return count > 0 ? cpu / count : undefined;
}

/** The /proc tick (10 ms) spread over `connections`, in µs per connection: the CPU figure's resolution. */
export function cpuResolution(connections: number): number {
  return 10_000 / connections;
}

/**
 * `rounds` rounds of `count` ready round trips against every server, alternating: round r starts
 * with server r mod n, so that no server always goes first (the machine's load drifts). Calls
 * `onRound` after each round with that round's batches (e.g. to print them, or to measure something
 * else between rounds). Returns the batches per server, in round order.
 */
export async function alternateReadyRounds<K extends string>(
  servers: Record<K, ChildServer>,
  rounds: number,
  count: number,
  onRound?: (round: number, batches: Record<K, ReadyBatch>) => void | Promise<void>,
): Promise<Record<K, ReadyBatch[]>> {
  const keys = Object.keys(servers) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, [] as ReadyBatch[]])) as Record<K, ReadyBatch[]>;
  for (let round = 0; round < rounds; round++) {
    const batches = {} as Record<K, ReadyBatch>;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[(round + i) % keys.length];
      batches[key] = await readyBatch(servers[key], count);
      out[key].push(batches[key]);
    }
    await onRound?.(round, batches);
  }
  return out;
}
