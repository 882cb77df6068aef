/**
 * `npm run bench:oneline`: our socket-oneline server (the real CLI process) against a raw
 * node:net line server (bench/support/raw-oneline-server.mjs), both in their own process, driven
 * by the same raw client in this process, alternating over several rounds.
 *
 * - Round-trip latency: sequential `ping` → `pong`, p50 and p99.
 * - Pipelined throughput: `cmd01` lines sent in batches with a bounded window, answers counted.
 *
 * Options: --rounds N (default 3), --pings N (default 10 000), --commands N (default 1 000 000).
 */
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startChildServer, type ChildServer } from './support/child-server.js';
import { median, quantile, ratio } from './support/stats.js';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    pings: { type: 'string', default: '10000' },
    commands: { type: 'string', default: '1000000' },
  },
});
const ROUNDS = Number(opts.rounds);
const PINGS = Number(opts.pings);
const COMMANDS = Number(opts.commands);
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
  const results = { raw: [] as Array<{ p50: number; p99: number; rate: number }>, ours: [] as Array<{ p50: number; p99: number; rate: number }> };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      results.raw.push(await measure(raw));
      results.ours.push(await measure(ours));
    }
  } finally {
    await Promise.all([raw.stop(), ours.stop()]);
  }
  const pick = (side: 'raw' | 'ours', key: 'p50' | 'p99' | 'rate'): number => median(results[side].map((r) => r[key]));
  const rows = [
    ['ping/pong p50 (us)', pick('raw', 'p50'), pick('ours', 'p50'), 'lower is better; goal <= 1.50x'],
    ['ping/pong p99 (us)', pick('raw', 'p99'), pick('ours', 'p99'), 'lower is better'],
    ['pipelined commands/s', pick('raw', 'rate'), pick('ours', 'rate'), 'higher is better; goal >= 0.50x'],
  ] as const;
  console.log(`socket-oneline: ${ROUNDS} rounds, ${PINGS} pings, ${COMMANDS} pipelined commands (median of rounds)`);
  console.log('metric'.padEnd(24) + 'raw net'.padStart(14) + 'actorwire'.padStart(14) + 'ratio'.padStart(9) + '  note');
  for (const [name, base, ourValue, note] of rows) {
    const fmt = (v: number): string => (v >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1));
    console.log(name.padEnd(24) + fmt(base).padStart(14) + fmt(ourValue).padStart(14) + ratio(ourValue, base).padStart(9) + '  ' + note);
  }
}

await main();
