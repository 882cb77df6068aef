/**
 * `npm run bench:oneline`: our socket-oneline server (the real CLI process) against a raw
 * node:net line server (bench/support/raw-oneline-server.mjs), both in their own process, driven
 * by the same raw client in this process, alternating over several rounds.
 *
 * - Round-trip latency: sequential `ping` → `pong`, p50 and p99.
 * - Pipelined throughput: `cmd01` lines sent in batches with a bounded window, answers counted.
 * - Short connections: connect, `ping`, read `pong`, close (FIN), wait for the server's close; the
 *   time of the whole lifecycle (p50) and the server's CPU per connection (Linux /proc utime + stime
 *   of the server process, all threads, summed over the rounds). These rounds run first, after a
 *   warm-up, so that the garbage of the pipelined phase is not billed to them.
 *
 * Options: --rounds N (default 3), --pings N (default 10 000), --commands N (default 1 000 000),
 *          --connections N short connections per server and round (default 3 000),
 *          --monitor: also a third server with the live monitor on and its page open (an
 *          /api/events reader), measured in the same rounds; its ratios are printed beside the
 *          others, and monitor on / off (issue 14: at most 5 % lower), with a control: a fourth
 *          server exactly like ours (monitor off), whose again/off shows how far two identical
 *          servers differ on this machine.
 */
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startChildServer, type ChildServer } from './support/child-server.js';
import { startMonitoredServer } from './support/monitor-page.js';
import { processCpuMicros } from './support/process-cpu.js';
import { median, quantile, ratio } from './support/stats.js';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    pings: { type: 'string', default: '10000' },
    commands: { type: 'string', default: '1000000' },
    connections: { type: 'string', default: '3000' },
    monitor: { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(opts.rounds);
const PINGS = Number(opts.pings);
const COMMANDS = Number(opts.commands);
const CONNECTIONS = Number(opts.connections);
const SHORT_WARMUP = Math.min(500, CONNECTIONS);
/** A short connection that neither answers nor closes within this time fails the benchmark. */
const SHORT_TIMEOUT_MS = 5_000;
const PING_GOAL = 1.2;
const BATCH = 500;
const WINDOW = 50_000;

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setNoDelay(true);
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Counts 0x0A bytes arriving on `socket` and calls `onLines` with each chunk's count. */
function countLines(socket: Socket, onLines: (n: number) => void): void {
  socket.on('data', (chunk: Buffer) => {
    let n = 0;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) n++;
    if (n > 0) onLines(n);
  });
}

async function latency(port: number): Promise<{ p50: number; p99: number }> {
  const socket = await open(port);
  const samples = new Float64Array(PINGS);
  const ping = Buffer.from('ping\n');
  let i = -Math.min(1000, PINGS); // warm-up round trips are not recorded
  let sent = 0n;
  await new Promise<void>((resolve) => {
    countLines(socket, () => {
      if (i >= 0) samples[i] = Number(process.hrtime.bigint() - sent) / 1000;
      i++;
      if (i >= PINGS) return resolve();
      sent = process.hrtime.bigint();
      socket.write(ping);
    });
    sent = process.hrtime.bigint();
    socket.write(ping);
  });
  socket.destroy();
  return { p50: quantile(samples, 0.5), p99: quantile(samples, 0.99) };
}

async function throughput(port: number): Promise<number> {
  const socket = await open(port);
  const batch = Buffer.from('cmd01\n'.repeat(BATCH));
  let sent = 0;
  let received = 0;
  const started = process.hrtime.bigint();
  await new Promise<void>((resolve) => {
    const pump = (): void => {
      while (sent < COMMANDS && sent - received < WINDOW) {
        socket.write(batch);
        sent += BATCH;
      }
    };
    countLines(socket, (n) => {
      received += n;
      if (received >= COMMANDS) resolve();
      else pump();
    });
    pump();
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  socket.destroy();
  return COMMANDS / seconds;
}

const PING = Buffer.from('ping\n');

/** One short connection: connect, ping, pong, close (FIN), until the server has closed too. µs. */
function shortConnection(port: number): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setNoDelay(true);
    socket.setTimeout(SHORT_TIMEOUT_MS, () => socket.destroy(new Error(`short connection: no pong or close within ${SHORT_TIMEOUT_MS} ms`)));
    socket.once('error', reject);
    socket.once('connect', () => socket.write(PING));
    socket.on('data', (chunk: Buffer) => {
      if (chunk.includes(10)) socket.end();
    });
    socket.once('close', (hadError) => {
      if (!hadError) resolve(Number(process.hrtime.bigint() - started) / 1000);
    });
  });
}

interface ShortRound {
  p50: number;
  /** Server CPU over the round, µs (undefined without /proc). */
  cpuMicros: number | undefined;
}

async function shortConnections(server: ChildServer, count: number): Promise<ShortRound> {
  const samples = new Float64Array(count);
  const before = processCpuMicros(server.pid);
  for (let i = 0; i < count; i++) samples[i] = await shortConnection(server.port);
  const after = processCpuMicros(server.pid);
  return { p50: quantile(samples, 0.5), cpuMicros: before === undefined || after === undefined ? undefined : after - before };
}

async function measure(server: ChildServer): Promise<{ p50: number; p99: number; rate: number }> {
  const { p50, p99 } = await latency(server.port);
  const rate = await throughput(server.port);
  return { p50, p99, rate };
}

async function main(): Promise<void> {
  const bin = fileURLToPath(new URL('../bin/actorwire.js', import.meta.url));
  const rawScript = fileURLToPath(new URL('./support/raw-oneline-server.mjs', import.meta.url));
  const raw = await startChildServer(process.execPath, [rawScript]);
  // The compiled CLI, as users run it (`npm run bench:oneline` builds first).
  const ours = await startChildServer(process.execPath, [bin, 'oneline', 'serve', '--port', '0']);
  const servers: Partial<Record<Side, ChildServer>> = { raw, ours };
  if (opts.monitor) {
    servers.monitored = await startMonitoredServer([bin, 'oneline', 'serve', '--port', '0']);
    servers.control = await startChildServer(process.execPath, [bin, 'oneline', 'serve', '--port', '0']);
  }
  const sides = Object.keys(servers) as Side[];
  const results: Record<Side, Array<{ p50: number; p99: number; rate: number }>> = { raw: [], ours: [], monitored: [], control: [] };
  const short: Record<Side, ShortRound[]> = { raw: [], ours: [], monitored: [], control: [] };
  try {
    for (const side of sides) await shortConnections(servers[side]!, SHORT_WARMUP);
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate which side goes first.
      for (const side of sides.map((_, i) => sides[(round + i) % sides.length])) short[side].push(await shortConnections(servers[side]!, CONNECTIONS));
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of sides.map((_, i) => sides[(round + i) % sides.length])) results[side].push(await measure(servers[side]!));
    }
  } finally {
    await Promise.all(sides.map((side) => servers[side]!.stop()));
  }
  const pick = (side: Side, key: 'p50' | 'p99' | 'rate'): number => median(results[side].map((r) => r[key]));
  const cpuPerShort = (side: Side): number => {
    const cpu = short[side].map((r) => r.cpuMicros);
    return cpu.some((c) => c === undefined) ? NaN : (cpu as number[]).reduce((a, b) => a + b, 0) / (ROUNDS * CONNECTIONS);
  };
  const pingRatio = pick('ours', 'p50') / pick('raw', 'p50');
  const shortP50 = (side: Side): number => median(short[side].map((r) => r.p50));
  const rows: Array<[string, (side: Side) => number, string]> = [
    ['ping/pong p50 (us)', (s) => pick(s, 'p50'), `lower is better; goal <= ${PING_GOAL.toFixed(2)}x (issue 11): ${pingRatio <= PING_GOAL ? 'met' : 'MISSED'}`],
    ['ping/pong p99 (us)', (s) => pick(s, 'p99'), 'lower is better'],
    ['pipelined commands/s', (s) => pick(s, 'rate'), 'higher is better; goal >= 0.50x'],
    ['short conn p50 (us)', shortP50, 'connect, ping, pong, close; lower is better'],
    ['CPU/short conn (us)', cpuPerShort, `server process, all threads, /proc; +-${(10_000 / (ROUNDS * CONNECTIONS)).toFixed(1)} us`],
  ];
  const monitored = opts.monitor;
  console.log(`socket-oneline: ${ROUNDS} rounds, ${PINGS} pings, ${COMMANDS} pipelined commands, ${CONNECTIONS} short connections (median of rounds; CPU summed over rounds)`);
  if (monitored) {
    console.log('+monitor: the same server with --monitor and its page open (an /api/events reader); on/off: +monitor / actorwire (issue 14: within 5 %);');
    console.log('control: a second server like actorwire, monitor off; again/off: control / actorwire, what two identical servers differ by here');
  }
  const head = 'metric'.padEnd(24) + 'raw net'.padStart(14) + 'actorwire'.padStart(14) + 'ratio'.padStart(9);
  console.log(head + (monitored ? '+monitor'.padStart(14) + 'ratio'.padStart(9) + 'on/off'.padStart(9) + 'again/off'.padStart(11) : '') + '  note');
  const fmt = (v: number): string => (v >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1));
  for (const [name, value, note] of rows) {
    const [base, ourValue] = [value('raw'), value('ours')];
    let line = name.padEnd(24) + fmt(base).padStart(14) + fmt(ourValue).padStart(14) + ratio(ourValue, base).padStart(9);
    if (monitored) line += fmt(value('monitored')).padStart(14) + ratio(value('monitored'), base).padStart(9) + ratio(value('monitored'), ourValue).padStart(9) + ratio(value('control'), ourValue).padStart(11);
    console.log(line + '  ' + note);
  }
}

/** The servers measured: the raw baseline, ours, and ours with the monitor on (`--monitor`). */
/** The servers: the raw baseline, ours, ours with the monitor (`--monitor`), and ours again (its control). */
type Side = 'raw' | 'ours' | 'monitored' | 'control';

await main();
