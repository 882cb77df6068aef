/**
 * `npm run bench:rsb`: the RSB bus against a raw node:net baseline with the same framing (4 zero
 * handshake bytes, uint32 LE length prefix, each frame forwarded to every other connection),
 * three processes each time: informer -> bus server -> listener.
 *
 * - Small events: events/s delivered to the listener, 64-byte payloads (goal >= 200 000/s).
 * - Large events: bytes/s delivered, 1 MiB payloads (goal >= 0.6x the raw baseline).
 * - RPC: sequential round trips client -> bus server -> server -> bus server -> client, p50 and
 *   p99 (goal p50 <= 200 µs). The raw baseline echoes the frame back.
 *
 * The bus server is the real CLI (`actorwire rsb bus`). Every phase is bounded in count and time.
 * The two sides alternate over several rounds (the machine may be shared); each figure is the
 * median over the rounds.
 * Options: --rounds N (default 3), --small N (default 200 000), --large N (default 200),
 * --calls N (default 5 000), --monitor: also the bus server with the live monitor on and its page
 * open (an /api/events reader), measured in the same rounds, printed beside the others with
 * monitor on / off (issue 14: at most 5 % lower), and the bus server's own CPU per event on / off
 * (CPU time per event of each process, from /proc, is printed for every kind). With --monitor a
 * control runs in the same rounds too: a second bus server exactly like the first (monitor off), so
 * that on / off can be read against off / off, the spread of two identical runs on this machine
 * (three processes on two cores: single rounds differ by tens of percent).
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startChildServer, type ChildServer } from './support/child-server.js';
import { startMonitoredServer } from './support/monitor-page.js';
import { processCpuMicros } from './support/process-cpu.js';
import { bounded as boundedBy, spawnRole, type RoleProcess } from './support/role-process.js';
import { median, quantile, ratio } from './support/stats.js';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    small: { type: 'string', default: '200000' },
    large: { type: 'string', default: '200' },
    calls: { type: 'string', default: '5000' },
    monitor: { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(opts.rounds);
const SMALL = Number(opts.small);
const LARGE = Number(opts.large);
const CALLS = Number(opts.calls);
const WARMUP = Math.min(500, CALLS);
const PHASE_TIMEOUT_MS = 120_000;

const role = (args: string[]): RoleProcess => spawnRole(ROLES, args);
const bounded = <T>(name: string, roles: RoleProcess[], phase: Promise<T>): Promise<T> => boundedBy(name, roles, phase, PHASE_TIMEOUT_MS);
const ROLES = fileURLToPath(new URL('./rsb/roles.ts', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/actorwire.js', import.meta.url));

/**
 * The bus measured: ours, ours with the monitor on and its page open, ours again (the control of
 * `--monitor`), or the raw relay.
 */
type Kind = 'rsb' | 'rsb+monitor' | 'rsb again' | 'raw';

/** The participants' side: the raw peers, or RSB participants (for either of our buses). */
const peers = (kind: Kind): 'rsb' | 'raw' => (kind === 'raw' ? 'raw' : 'rsb');

async function startBus(kind: Kind): Promise<ChildServer> {
  if (kind === 'raw') return startChildServer(process.execPath, [...process.execArgv, ROLES, 'relay']);
  // Compiled, as users run it (the script builds first).
  const args = [BIN, 'rsb', 'bus', '--port', '0'];
  return kind === 'rsb+monitor' ? startMonitoredServer(args) : startChildServer(process.execPath, args);
}

interface Throughput {
  count: number;
  seconds: number;
  bytes: number;
  /** CPU time (user + system) per event in the listener and informer processes, µs. */
  cpuMicrosPerEvent: number;
  informerCpuMicrosPerEvent: number;
  /** CPU time per event of the bus server process itself (/proc, all threads), µs; NaN where unknown. */
  busCpuMicrosPerEvent: number;
}

async function throughput(kind: Kind, bus: ChildServer, count: number, size: number): Promise<Throughput> {
  const port = bus.port;
  const listener = role(['listener', peers(kind), String(port), String(count)]);
  const roles = [listener];
  return bounded(`${kind} ${size}-byte events`, roles, (async () => {
    await listener.next(); // ready
    const busBefore = processCpuMicros(bus.pid);
    const informer = role(['informer', peers(kind), String(port), String(count), String(size)]);
    roles.push(informer);
    const result = (await listener.next()) as Throughput;
    const sent = (await informer.next()) as { cpuMicrosPerEvent: number };
    const busAfter = processCpuMicros(bus.pid);
    await Promise.all([listener.exited, informer.exited]);
    const busCpuMicrosPerEvent = busBefore === undefined || busAfter === undefined ? NaN : (busAfter - busBefore) / count;
    return { ...result, informerCpuMicrosPerEvent: sent.cpuMicrosPerEvent, busCpuMicrosPerEvent };
  })());
}

async function rpc(kind: Kind, port: number): Promise<number[]> {
  const server = role(['rpc-server', peers(kind), String(port)]);
  const roles = [server];
  try {
    return await bounded(`${kind} rpc`, roles, (async () => {
      await server.next();
      const client = role(['rpc-client', peers(kind), String(port), String(CALLS), String(WARMUP), '64']);
      roles.push(client);
      const latencies = (await client.next()) as number[];
      await client.exited;
      return latencies;
    })());
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

interface Results {
  small: Throughput;
  large: Throughput;
  rpc: number[];
}

async function measure(kind: Kind): Promise<Results> {
  const bus = await startBus(kind);
  try {
    const small = await throughput(kind, bus, SMALL, 64);
    const large = await throughput(kind, bus, LARGE, 1024 * 1024);
    const latencies = await rpc(kind, bus.port);
    return { small, large, rpc: latencies };
  } finally {
    await bus.stop();
  }
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');

const runs: Record<Kind, Results[]> = { rsb: [], 'rsb+monitor': [], 'rsb again': [], raw: [] };
const kinds: Kind[] = opts.monitor ? ['rsb', 'rsb+monitor', 'rsb again', 'raw'] : ['rsb', 'raw'];
for (let round = 0; round < ROUNDS; round++) {
  // Each round starts with another kind, so that no kind always runs first or last.
  for (let k = 0; k < kinds.length; k++) {
    const kind = kinds[(round + k) % kinds.length];
    runs[kind].push(await measure(kind));
  }
}
const mid = (kind: Kind, pick: (r: Results) => number): number => median(runs[kind].map(pick));
const rate = (t: Throughput): number => t.count / t.seconds;
const byteRate = (t: Throughput): number => t.bytes / t.seconds / 2 ** 20;
const smallRsb = mid('rsb', (r) => rate(r.small));
const smallRaw = mid('raw', (r) => rate(r.small));
const largeRsb = mid('rsb', (r) => byteRate(r.large));
const largeRaw = mid('raw', (r) => byteRate(r.large));
const p50 = mid('rsb', (r) => quantile(r.rpc, 0.5));
const p99 = mid('rsb', (r) => quantile(r.rpc, 0.99));
const rawP50 = mid('raw', (r) => quantile(r.rpc, 0.5));
const rawP99 = mid('raw', (r) => quantile(r.rpc, 0.99));
const cpu = (kind: Kind, phase: 'small' | 'large'): string =>
  `cpu/event informer ${fmt(mid(kind, (r) => r[phase].informerCpuMicrosPerEvent), 2)} us, bus ${fmt(mid(kind, (r) => r[phase].busCpuMicrosPerEvent), 2)} us, listener ${fmt(mid(kind, (r) => r[phase].cpuMicrosPerEvent), 2)} us`;

console.log(`RSB bus vs raw node:net with the same framing (informer -> bus server -> listener, 3 processes; median of ${ROUNDS} rounds)`);
console.log(`small events (64 B, ${fmt(SMALL)}):  rsb ${fmt(smallRsb)} ev/s   raw ${fmt(smallRaw)} ev/s   ratio ${ratio(smallRsb, smallRaw)}   goal >= 200,000 ev/s: ${verdict(smallRsb >= 200_000)}`);
console.log(`large events (1 MiB, ${fmt(LARGE)}):     rsb ${fmt(largeRsb)} MiB/s   raw ${fmt(largeRaw)} MiB/s   ratio ${ratio(largeRsb, largeRaw)}   goal >= 0.6x: ${verdict(largeRsb >= 0.6 * largeRaw)}`);
console.log(`  small: rsb ${cpu('rsb', 'small')}; raw ${cpu('raw', 'small')}`);
console.log(`  large: rsb ${cpu('rsb', 'large')}; raw ${cpu('raw', 'large')}`);
console.log(`RPC round trip (${fmt(CALLS)} calls):     rsb p50 ${fmt(p50, 1)} us p99 ${fmt(p99, 1)} us   raw p50 ${fmt(rawP50, 1)} us p99 ${fmt(rawP99, 1)} us   ratio p50 ${ratio(p50, rawP50)} p99 ${ratio(p99, rawP99)}   goal p50 <= 200 us: ${verdict(p50 <= 200)}`);
if (opts.monitor) {
  const on = 'rsb+monitor';
  // Per-round ratios against the monitor-off bus of the same round: their median and quartiles,
  // for the monitor (on / off) and for the control (again / off).
  const perRound = (kind: Kind, pick: (r: Results) => number): number[] => runs[kind].map((r, i) => pick(r) / pick(runs.rsb[i]));
  const spread = (values: number[]): string => `${median(values).toFixed(2)}x (quartiles ${quantile(values, 0.25).toFixed(2)}-${quantile(values, 0.75).toFixed(2)})`;
  const both = (pick: (r: Results) => number): string => `on/off ${spread(perRound(on, pick))}; control again/off ${spread(perRound('rsb again', pick))}`;
  const smallOn = mid(on, (r) => rate(r.small));
  const largeOn = mid(on, (r) => byteRate(r.large));
  const p50On = mid(on, (r) => quantile(r.rpc, 0.5));
  const p99On = mid(on, (r) => quantile(r.rpc, 0.99));
  console.log(`with the monitor on and its page open (issue 14: within 5 %; ratios per round to the monitor-off bus, median over ${ROUNDS} rounds):`);
  console.log(`  small events: ${fmt(smallOn)} ev/s   ratio to raw ${ratio(smallOn, smallRaw)} (off ${ratio(smallRsb, smallRaw)})   ${both((r) => rate(r.small))}`);
  console.log(`  large events: ${fmt(largeOn)} MiB/s   ratio to raw ${ratio(largeOn, largeRaw)} (off ${ratio(largeRsb, largeRaw)})   ${both((r) => byteRate(r.large))}`);
  console.log(`  RPC: p50 ${fmt(p50On, 1)} us p99 ${fmt(p99On, 1)} us   ratio p50 to raw ${ratio(p50On, rawP50)} (off ${ratio(p50, rawP50)})   p50 ${both((r) => quantile(r.rpc, 0.5))}`);
  console.log(`  ${cpu(on, 'small')} (small)`);
  // The bus server's own CPU per event is where the monitor's cost would show; it moves with the
  // batching that three processes on two cores happen to get, hence the control beside it.
  console.log(`  bus server CPU per event, small: ${both((r) => r.small.busCpuMicrosPerEvent)}`);
  console.log(`  bus server CPU per event, large: ${both((r) => r.large.busCpuMicrosPerEvent)}`);
}
