/**
 * `npm run bench:obe-server`: our OBE server (the built CLI, `node bin/actorwire.js obe serve`, in
 * its own process, from dist/) under the workload of spec §7.2/§7.4, driven by the original's kind
 * of client (bench/obe-server/tcpcmd_driver.py: Python 3, connection-per-command `tcpcmd`):
 * per configuration, runs of `newrun {lolim: 2, hilim: 3, steps: G}` then 200 × (goodset
 * pickiness 6 → simulated instrument → newdat → getmean → getstd), plus bare `ready` round trips.
 * Prints medians next to the original's reference figures (spec §7.4, NumPy 1.24.2) as ratios
 * (ours / reference; below 1 is faster).
 *
 * For context it also measures the floor of a round trip on this machine under its current load:
 * the same client against a bare node:net server that answers every frame with "OK"
 * (bench/obe-server/raw-ready-server.mjs), and the server CPU time per `ready` connection of ours
 * and of that bare server (Linux /proc, after a warm-up round), which is where a connection-per-
 * command step spends most of its excess over the floor.
 *
 * Options: --runs N per configuration (default 5), --steps N (200), --ready N (1000),
 *          --configs 10000:200,10000:1000,100000:200,100000:1000
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runToEnd } from '../test/helpers/cli.js';
import { startChildServer, type ChildServer } from './support/child-server.js';
import { processCpuMicros } from './support/process-cpu.js';
import { median, ratio } from './support/stats.js';

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    steps: { type: 'string', default: '200' },
    ready: { type: 'string', default: '1000' },
    configs: { type: 'string', default: '10000:200,10000:1000,100000:200,100000:1000' },
  },
});
const RUNS = Number(opts.runs);
const STEPS = Number(opts.steps);
const READY = Number(opts.ready);
const CONFIGS = opts.configs.split(',').map((c) => c.split(':').map(Number) as [number, number]);
const BIN = fileURLToPath(new URL('../bin/actorwire.js', import.meta.url));
const RAW_SERVER = fileURLToPath(new URL('./obe-server/raw-ready-server.mjs', import.meta.url));
const DRIVER = fileURLToPath(new URL('./obe-server/tcpcmd_driver.py', import.meta.url));

interface Reference {
  run: number;
  step: number;
  goodset: number;
  newdat: number;
  getmean: number;
  getstd: number;
  ready: number;
  newrun: number;
  start: number;
}

/** Spec §7.4, NumPy 1.24.2 rows: run wall s, per step ms, per command ms, newrun ms, start→ready s. */
const REFERENCE: Record<string, Reference> = {
  '10000:200': { run: 0.306, step: 1.352, goodset: 0.603, newdat: 0.335, getmean: 0.211, getstd: 0.183, ready: 0.129, newrun: 0.53, start: 0.25 },
  '10000:1000': { run: 0.324, step: 1.44, goodset: 0.69, newdat: 0.335, getmean: 0.212, getstd: 0.184, ready: 0.15, newrun: 0.53, start: 0.25 },
  '100000:200': { run: 1.059, step: 3.168, goodset: 1.261, newdat: 1.193, getmean: 0.38, getstd: 0.327, ready: 0.132, newrun: 1.42, start: 0.25 },
  '100000:1000': { run: 1.069, step: 3.309, goodset: 1.368, newdat: 1.228, getmean: 0.388, getstd: 0.327, ready: 0.098, newrun: 1.4, start: 0.25 },
};

/** What the driver prints. */
interface DriverSamples {
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

async function drive(port: number, grid: number, runs: number, ready: number, seed: number): Promise<DriverSamples> {
  const { code, stdout, stderr } = await runToEnd('python3', [DRIVER, String(port), String(grid), String(runs), String(STEPS), String(ready), String(seed)], 600_000);
  if (code !== 0) throw new Error(`driver failed (${code}): ${stderr}`);
  return JSON.parse(stdout) as DriverSamples;
}

function row(label: string, ours: number, reference: number, unit: string, digits = 3): string {
  return `  ${label.padEnd(18)} ${ours.toFixed(digits).padStart(8)} ${unit.padEnd(3)} reference ${reference.toFixed(digits).padStart(7)} ${unit.padEnd(3)} ratio ${ratio(ours, reference)}`;
}

/**
 * `ready` round trips against `server` after a warm-up round of as many (JIT), with the server's
 * CPU per round trip over the measured round, in µs (undefined without /proc).
 */
async function driveReady(server: ChildServer): Promise<{ samples: DriverSamples; cpuMicros: number | undefined }> {
  await drive(server.port, 0, 0, READY, 0);
  const before = processCpuMicros(server.pid);
  const samples = await drive(server.port, 0, 0, READY, 0);
  const after = processCpuMicros(server.pid);
  return { samples, cpuMicros: before === undefined || after === undefined ? undefined : (after - before) / READY };
}

async function main(): Promise<void> {
  process.stdout.write(`OBE server benchmark: ${RUNS} runs x ${STEPS} steps per configuration, Python tcpcmd client (one connection per command); server = dist/ CLI process\n`);
  const raw = await startChildServer(process.execPath, [RAW_SERVER]);
  let bareCpu: number | undefined;
  try {
    const floor = await driveReady(raw);
    bareCpu = floor.cpuMicros;
    process.stdout.write(`floor: a bare node:net server answers ready in ${median(floor.samples.ready).toFixed(3)} ms (median of ${READY}) on this machine now\n`);
  } finally {
    await raw.stop();
  }
  // Where a round trip's excess over the floor goes: server CPU per connection, ours vs bare.
  const ours = await startChildServer(process.execPath, [BIN, 'obe', 'serve', '--port', '0']);
  try {
    const oursCpu = (await driveReady(ours)).cpuMicros;
    if (oursCpu !== undefined && bareCpu !== undefined) {
      process.stdout.write(`server CPU per ready connection: ours ${oursCpu.toFixed(0)} us, bare node:net ${bareCpu.toFixed(0)} us (all threads, /proc)\n`);
    }
  } finally {
    await ours.stop();
  }
  for (const [i, [particles, grid]] of CONFIGS.entries()) {
    const t0 = performance.now();
    const server = await startChildServer(process.execPath, [BIN, 'obe', 'serve', '--port', '0', '--particles', String(particles), '--on-done', 'stop']);
    // The CLI prints its listening line once the engine's worker is up and the port is bound.
    const start = (performance.now() - t0) / 1000;
    let r: DriverSamples;
    try {
      r = await drive(server.port, grid, RUNS, READY, 1000 + i);
    } finally {
      await server.stop();
    }
    const ref = REFERENCE[`${particles}:${grid}`];
    process.stdout.write(`\nN = ${particles}, G = ${grid} (run wall min-max ${Math.min(...r.run_wall).toFixed(3)}-${Math.max(...r.run_wall).toFixed(3)} s)\n`);
    const lines = [
      row('run wall (median)', median(r.run_wall), ref.run, 's'),
      row('per step', median(r.step), ref.step, 'ms'),
      row('goodset', median(r.goodset), ref.goodset, 'ms'),
      row('newdat', median(r.newdat), ref.newdat, 'ms'),
      row('getmean', median(r.getmean), ref.getmean, 'ms'),
      row('getstd', median(r.getstd), ref.getstd, 'ms'),
      row('ready', median(r.ready), ref.ready, 'ms'),
      row('newrun', median(r.newrun), ref.newrun, 'ms', 2),
      row('start -> ready', start, ref.start, 's', 2),
    ];
    process.stdout.write(lines.join('\n') + '\n');
    process.stdout.write(`  accuracy: median |f0 error| ${median(r.error_mhz).toFixed(3)} MHz, max ${Math.max(...r.error_mhz).toFixed(3)} MHz over ${r.error_mhz.length} runs (reference pooled median 0.56-0.58 MHz)\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
