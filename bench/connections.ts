/**
 * `npm run bench:connections`: what one short connection costs in actorwire against a bare
 * node:net server with the same framing, with optbayesexpt's own client pattern (`Socket.tcpcmd`
 * from Python, bench/obe-server/tcpcmd_driver.py: connect, sendall header + JSON body, read 10
 * bytes then the body, close), one connection per `{"command": "ready"}`.
 *
 * Three servers, each its own process started from dist/ (the script builds first):
 *   bare  bench/obe-server/raw-ready-server.mjs: node:net answering every frame `0000000004"OK"`;
 *   core  bench/connections/core-ready-server.mjs: the generic Server + Connection with the OBE
 *         protocol answering "OK" to every frame and draining on the peer's EOF (the connection
 *         core alone: no command parsing, no engine);
 *   obe   `actorwire obe serve` (the real CLI, default run), answering `ready`.
 * After a warm-up batch each, the servers alternate over rounds (round r starts with server r mod 3).
 * Printed: p50 and p99 per server and round with the ratio of p50 to bare's in the same round; then
 * medians over rounds, and the server CPU per connection (Linux /proc utime + stime of the server
 * process, all threads, summed over the rounds) with its ratio to bare's.
 *
 * Goals (issue 11), judged for `obe` only, the set-up they name: `ready` p50 <= 1.3x bare (median
 * of the per-round ratios); server CPU per short connection <= 1.5x bare.
 *
 * Options: --rounds N (default 3), --connections N per server and round (default 3000),
 *          --warmup N per server before the rounds (default 500).
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startChildServer, type ChildServer } from './support/child-server.js';
import { median, ratio } from './support/stats.js';
import { alternateReadyRounds, cpuPerConnection, cpuResolution, driveTcpcmd, type ReadyBatch } from './support/tcpcmd.js';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '3000' },
    warmup: { type: 'string', default: '500' },
  },
});
const ROUNDS = Number(opts.rounds);
const CONNECTIONS = Number(opts.connections);
const WARMUP = Number(opts.warmup);
for (const [name, value] of [['--rounds', ROUNDS], ['--connections', CONNECTIONS], ['--warmup', WARMUP]] as const) {
  if (!Number.isInteger(value) || value < (name === '--warmup' ? 0 : 1)) throw new Error(`${name} must be a positive integer, got ${value}`);
}

const BIN = fileURLToPath(new URL('../bin/actorwire.js', import.meta.url));
const BARE = fileURLToPath(new URL('./obe-server/raw-ready-server.mjs', import.meta.url));
const CORE = fileURLToPath(new URL('./connections/core-ready-server.mjs', import.meta.url));

type Kind = 'bare' | 'core' | 'obe';
const KINDS: Kind[] = ['bare', 'core', 'obe'];
const LABELS: Record<Kind, string> = {
  bare: 'bare node:net',
  core: 'Server+Connection',
  obe: 'actorwire obe serve',
};
const READY_GOAL = 1.3;
const CPU_GOAL = 1.5;

const verdict = (ok: boolean): string => (ok ? 'goal met' : 'goal MISSED');
const cell = (text: string, width: number): string => text.padStart(width);

async function main(): Promise<void> {
  const started: ChildServer[] = [];
  const start = async (args: string[]): Promise<ChildServer> => {
    const server = await startChildServer(process.execPath, args);
    started.push(server);
    return server;
  };
  let batches: Record<Kind, ReadyBatch[]>;
  try {
    const servers: Record<Kind, ChildServer> = {
      bare: await start([BARE]),
      core: await start([CORE]),
      obe: await start([BIN, 'obe', 'serve', '--port', '0']),
    };
    process.stdout.write(
      `short connections: Python tcpcmd client (connect, sendall header+body, read 10 + body, close), one connection per ready;\n` +
        `${ROUNDS} rounds x ${CONNECTIONS} connections per server after ${WARMUP} warm-up, servers alternating; servers from dist/; times in us\n`,
    );
    for (const kind of KINDS) if (WARMUP > 0) await driveTcpcmd(servers[kind].port, { ready: WARMUP });
    batches = await alternateReadyRounds(servers, ROUNDS, CONNECTIONS, (round, b) => {
      const parts = KINDS.map((k) => `${k} p50 ${b[k].p50.toFixed(0)} p99 ${b[k].p99.toFixed(0)}${k === 'bare' ? '' : ` (${ratio(b[k].p50, b.bare.p50)})`}`);
      process.stdout.write(`  round ${round + 1}: ${parts.join('   ')}\n`);
    });
  } finally {
    await Promise.all(started.map((s) => s.stop()));
  }

  const p50 = (k: Kind): number => median(batches[k].map((b) => b.p50));
  const p99 = (k: Kind): number => median(batches[k].map((b) => b.p99));
  const p50Ratio = (k: Kind): number => median(batches[k].map((b, round) => b.p50 / batches.bare[round].p50));
  const cpu = Object.fromEntries(KINDS.map((k) => [k, cpuPerConnection(batches[k])])) as Record<Kind, number | undefined>;
  const bareCpu = cpu.bare;
  const cpuRatio = (k: Kind): number | undefined => (cpu[k] === undefined || bareCpu === undefined ? undefined : cpu[k]! / bareCpu);

  process.stdout.write(`\n${'server'.padEnd(22)}${cell('p50 us', 9)}${cell('p99 us', 9)}${cell('p50/bare', 10)}${cell('CPU/conn us', 13)}${cell('CPU/bare', 10)}\n`);
  for (const k of KINDS) {
    const c = cpu[k];
    const r = cpuRatio(k);
    process.stdout.write(
      `${LABELS[k].padEnd(22)}${cell(p50(k).toFixed(0), 9)}${cell(p99(k).toFixed(0), 9)}${cell(`${p50Ratio(k).toFixed(2)}x`, 10)}` +
        `${cell(c === undefined ? 'n/a' : c.toFixed(1), 13)}${cell(r === undefined ? 'n/a' : `${r.toFixed(2)}x`, 10)}\n`,
    );
  }
  process.stdout.write(
    `(p50, p99: median over rounds; p50/bare: median of the per-round ratios; CPU: server process user+sys, all threads, ` +
      `over all ${ROUNDS * CONNECTIONS} measured connections, /proc tick resolution +-${cpuResolution(ROUNDS * CONNECTIONS).toFixed(1)} us)\n`,
  );
  const readyRatio = p50Ratio('obe');
  process.stdout.write(`goal: actorwire obe serve, ready p50 <= ${READY_GOAL}x bare in the same run: ${readyRatio.toFixed(2)}x, ${verdict(readyRatio <= READY_GOAL)}\n`);
  const obeCpuRatio = cpuRatio('obe');
  if (obeCpuRatio !== undefined) {
    process.stdout.write(`goal: actorwire obe serve, server CPU per short connection <= ${CPU_GOAL}x bare: ${obeCpuRatio.toFixed(2)}x, ${verdict(obeCpuRatio <= CPU_GOAL)}\n`);
  } else {
    process.stdout.write('goal: server CPU per short connection: not measured (no /proc)\n');
  }
}

await main();
