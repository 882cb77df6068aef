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
  /** `ready` samples of each of {@link DriveSpec.others}, in order. */
  others_ready: number[][];
}

/** What one driver invocation does; `runs: 0` only sends `ready`. */
export interface DriveSpec {
  grid?: number;
  runs?: number;
  steps?: number;
  ready?: number;
  seed?: number;
  /** Ports of servers measured at the same moments as `port`: `ready` round trips rotate over all servers connection by connection. */
  others?: readonly number[];
}

/**
 * Runs the driver against `port` and returns its samples. Bounded in time: the driver is killed
 * after a generous allowance for the commands it sends (`timeoutMs`, default from the counts).
 */
export async function driveTcpcmd(port: number, spec: DriveSpec, timeoutMs?: number): Promise<DriverSamples> {
  const { grid = 0, runs = 0, steps = 0, ready = 0, seed = 0, others = [] } = spec;
  const commands = (runs + (runs > 0 ? 1 : 0)) * (steps * 4 + 1) + ready * (1 + others.length);
  const limit = timeoutMs ?? 60_000 + commands * 50;
  const args = [DRIVER, String(port), String(grid), String(runs), String(steps), String(ready), String(seed), others.join(',')];
  const { code, stdout, stderr } = await runToEnd('python3', args, limit);
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

function batchOf(micros: number[], cpuMicros: number | undefined): ReadyBatch {
  return { samples: micros, p50: quantile(micros, 0.5), p99: quantile(micros, 0.99), cpuMicros, count: micros.length };
}

/**
 * `count` sequential `ready` commands to each server, one connection each, the servers taking
 * turns connection by connection (so that the machine's drift hits all alike), with each server's
 * CPU time over the batch (Linux /proc, 10 ms ticks: sum batches over a second or more of server
 * CPU before dividing).
 */
export async function interleavedReadyBatch(servers: readonly ChildServer[], count: number): Promise<ReadyBatch[]> {
  const before = servers.map((s) => processCpuMicros(s.pid));
  const out = await driveTcpcmd(servers[0].port, { ready: count, others: servers.slice(1).map((s) => s.port) });
  const after = servers.map((s) => processCpuMicros(s.pid));
  const samples = [out.ready, ...out.others_ready];
  return servers.map((_, i) => {
    const b = before[i];
    const a = after[i];
    return batchOf(
      samples[i].map((ms) => ms * 1000),
      a === undefined || b === undefined ? undefined : a - b,
    );
  });
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
 * `rounds` rounds of `count` ready round trips against every server, interleaved connection by
 * connection within a round (see {@link interleavedReadyBatch}); round r rotates the servers' order
 * by r. Calls `onRound` after each round with that round's batches (e.g. to print them, or to
 * measure something else between rounds). Returns the batches per server, in round order.
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
    const order = keys.map((_, i) => keys[(round + i) % keys.length]);
    const measured = await interleavedReadyBatch(
      order.map((k) => servers[k]),
      count,
    );
    const batches = {} as Record<K, ReadyBatch>;
    order.forEach((k, i) => {
      batches[k] = measured[i];
      out[k].push(measured[i]);
    });
    await onRound?.(round, batches);
  }
  return out;
}
