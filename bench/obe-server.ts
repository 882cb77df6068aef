/**
 * `npm run bench:obe-server`: our OBE server (the built CLI, `node bin/actorwire.js obe serve`, in
 * its own process, from dist/) under the workload of spec §7.2/§7.4, driven by the original's kind
 * of client (bench/obe-server/tcpcmd_driver.py: Python 3, connection-per-command `tcpcmd`), with
 * every baseline measured in the same run:
 *
 * 1. `ready` rounds: the same client against a bare node:net server that answers every frame with
 *    "OK" (bench/obe-server/raw-ready-server.mjs) and against ours, alternating over rounds, with the
 *    server CPU per connection (Linux /proc); between rounds, round trips to a bare worker_threads
 *    Worker that echoes postMessage. Goals (issue 11): ready p50 <= 1.3x bare, CPU per connection
 *    <= 1.5x bare.
 * 2. Per configuration (particles:grid): runs of `newrun {lolim: 2, hilim: 3, steps: G}` then
 *    steps x (goodset pickiness 6 -> simulated instrument -> newdat -> getmean -> getstd), then, with
 *    the server stopped, the same Lorentzian workload in process (src/obe/core) timing good_setting
 *    and pdf_update. Each run gets its own floor, measured right before and right after it (500
 *    ready round trips to the bare server, bare worker round trips; the mean of both):
 *    floor = 4 x bare ready p50 + good_setting + pdf_update + 2 x worker round trip, so that drift
 *    of the machine's speed over the benchmark does not decide the verdict. The worker round trip
 *    of the floor is the one the demo pays: to a bare worker that idled 1 ms since the previous
 *    trip, as the engine thread idles between a client's commands (waking a sleeping thread is
 *    most of a hop's cost); the ratio against back-to-back trips, with both threads awake, is
 *    printed beside it. Goal (issue 11, 10k particles, 200 steps): the median over runs of
 *    per step / its floor <= 1.25. Each
 *    command has its share of that floor (goodset: ready + good_setting + worker; newdat: ready +
 *    pdf_update + worker; getmean, getstd: ready).
 * Beside the floor, each run is repeated on a bare demo server (bench/obe-server/bare-demo-server.mjs:
 * node:net and the same numeric core in one thread, reads computed on request as the original
 * does): what a minimal Node implementation of the service costs in the same floor window; and on
 * the same server with its numeric core in a bare Worker (one postMessage each way per write, the
 * reads posted by the worker after each newdat): the least a design with the core in a worker
 * thread, as ours, costs.
 * The original's figures (spec §7.4, another machine) are printed only as labelled context.
 *
 * Options: --rounds N ready rounds (default 3), --ready N round trips per server and round (3000,
 *          as bench:connections: over fewer, the servers' first compilations weigh more in the
 *          CPU per connection),
 *          --runs N per configuration (default 5), --steps N (200),
 *          --configs 10000:200,10000:1000,100000:200,100000:1000,
 *          --monitor: also our server with the live monitor on and its page open (an /api/events
 *          reader): in the ready rounds as a third server, beside a control (a fourth: a second
 *          server like ours, monitor off, printed as again / off), and per configuration a run on it
 *          after each run on the plain one, each judged against its own floor; printed beside the
 *          others with monitor on / off (issue 14: at most 5 % worse).
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createWorkload, TRUTH } from './obe/lorentzian-workload.js';
import { startChildServer, type ChildServer } from './support/child-server.js';
import { startMonitoredServer } from './support/monitor-page.js';
import { median, ratio } from './support/stats.js';
import { alternateReadyRounds, cpuPerConnection, cpuResolution, driveTcpcmd, type DriverSamples, type ReadyBatch } from './support/tcpcmd.js';
import { workerRoundTrip } from './support/worker-echo.js';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    ready: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '5' },
    steps: { type: 'string', default: '200' },
    configs: { type: 'string', default: '10000:200,10000:1000,100000:200,100000:1000' },
    monitor: { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(opts.rounds);
const READY = Number(opts.ready);
const RUNS = Number(opts.runs);
const STEPS = Number(opts.steps);
const CONFIGS = opts.configs.split(',').map((c) => c.split(':').map(Number) as [number, number]);
for (const [name, value] of [['--rounds', ROUNDS], ['--ready', READY], ['--runs', RUNS], ['--steps', STEPS]] as const) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
}
for (const [particles, grid] of CONFIGS) {
  if (!(Number.isInteger(particles) && particles > 0 && Number.isInteger(grid) && grid > 1)) throw new Error(`--configs: bad particles:grid ${particles}:${grid}`);
}
const WARMUP = Math.min(500, READY);
const WORKER_TRIPS = 2000;
/** In-process numerics: runs of STEPS steps after one warm-up run, per configuration. */
const NUMERIC_RUNS = 2;
const READY_GOAL = 1.3;
const CPU_GOAL = 1.5;
const STEP_GOAL = 1.25;
const BIN = fileURLToPath(new URL('../bin/actorwire.js', import.meta.url));
const RAW_SERVER = fileURLToPath(new URL('./obe-server/raw-ready-server.mjs', import.meta.url));
const BARE_DEMO_SERVER = fileURLToPath(new URL('./obe-server/bare-demo-server.mjs', import.meta.url));

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

/**
 * Spec §7.4, the original server and client on the reference machine (NumPy 1.24.2 rows): run wall
 * s, per step ms, per command ms, newrun ms, start→ready s. Context only: not this machine, not
 * this run.
 */
const REFERENCE: Record<string, Reference> = {
  '10000:200': { run: 0.306, step: 1.352, goodset: 0.603, newdat: 0.335, getmean: 0.211, getstd: 0.183, ready: 0.129, newrun: 0.53, start: 0.25 },
  '10000:1000': { run: 0.324, step: 1.44, goodset: 0.69, newdat: 0.335, getmean: 0.212, getstd: 0.184, ready: 0.15, newrun: 0.53, start: 0.25 },
  '100000:200': { run: 1.059, step: 3.168, goodset: 1.261, newdat: 1.193, getmean: 0.38, getstd: 0.327, ready: 0.132, newrun: 1.42, start: 0.25 },
  '100000:1000': { run: 1.069, step: 3.309, goodset: 1.368, newdat: 1.228, getmean: 0.388, getstd: 0.327, ready: 0.098, newrun: 1.4, start: 0.25 },
};

const verdict = (ok: boolean): string => (ok ? 'goal met' : 'goal MISSED');

/** Our server (`obe serve` with `args`) with the monitor on and its page open (`--monitor`). */
const startMonitored = (args: string[]): Promise<ChildServer> => startMonitoredServer([BIN, 'obe', 'serve', ...args]);
const ms = (v: number, digits = 3): string => v.toFixed(digits).padStart(8);

/** Same-run baselines: bare ready p50 (ms) and worker round trip p50 (ms). */
interface Baselines {
  bareReady: number;
  worker: number;
}

async function readyRounds(): Promise<Baselines> {
  const started: ChildServer[] = [];
  const workerP50: number[] = [];
  let batches;
  try {
    const bare = await startChildServer(process.execPath, [RAW_SERVER]);
    started.push(bare);
    const ours = await startChildServer(process.execPath, [BIN, 'obe', 'serve', '--port', '0']);
    started.push(ours);
    const servers: Partial<Record<'bare' | 'ours' | 'monitored' | 'control', ChildServer>> = { bare, ours };
    if (opts.monitor) {
      servers.monitored = await startMonitored(['--port', '0']);
      started.push(servers.monitored);
      await driveTcpcmd(servers.monitored.port, { ready: WARMUP });
      // The control: a second server exactly like ours (monitor off), for what two identical servers differ by.
      servers.control = await startChildServer(process.execPath, [BIN, 'obe', 'serve', '--port', '0']);
      started.push(servers.control);
      await driveTcpcmd(servers.control.port, { ready: WARMUP });
    }
    process.stdout.write(`ready, one connection per command: ${ROUNDS} rounds x ${READY} per server after ${WARMUP} warm-up, bare and ours alternating; between rounds ${WORKER_TRIPS} bare worker_threads round trips\n`);
    await driveTcpcmd(bare.port, { ready: WARMUP });
    await driveTcpcmd(ours.port, { ready: WARMUP });
    batches = await alternateReadyRounds(servers as Record<'bare' | 'ours', ChildServer>, ROUNDS, READY, async (round, b) => {
      const worker = await workerRoundTrip(WORKER_TRIPS);
      workerP50.push(worker.p50);
      const on = (b as Partial<Record<'monitored', ReadyBatch>>).monitored;
      process.stdout.write(
        `  round ${round + 1}: bare p50 ${b.bare.p50.toFixed(0)} us p99 ${b.bare.p99.toFixed(0)} us   ours p50 ${b.ours.p50.toFixed(0)} us p99 ${b.ours.p99.toFixed(0)} us (${ratio(b.ours.p50, b.bare.p50)})${on ? `   +monitor p50 ${on.p50.toFixed(0)} us p99 ${on.p99.toFixed(0)} us (${ratio(on.p50, b.bare.p50)})` : ''}   worker round trip p50 ${worker.p50.toFixed(1)} us\n`,
      );
    });
  } finally {
    await Promise.all(started.map((s) => s.stop()));
  }
  const p50 = (k: 'bare' | 'ours'): number => median(batches[k].map((b) => b.p50));
  const p99 = (k: 'bare' | 'ours'): number => median(batches[k].map((b) => b.p99));
  const readyRatio = median(batches.ours.map((b, i) => b.p50 / batches.bare[i].p50));
  process.stdout.write(`ready p50 (median of rounds): bare node:net ${p50('bare').toFixed(0)} us (p99 ${p99('bare').toFixed(0)}), ours ${p50('ours').toFixed(0)} us (p99 ${p99('ours').toFixed(0)}); ours/bare ${readyRatio.toFixed(2)}x (median of per-round ratios): goal <= ${READY_GOAL}x ${verdict(readyRatio <= READY_GOAL)}\n`);
  const bareCpu = cpuPerConnection(batches.bare);
  const oursCpu = cpuPerConnection(batches.ours);
  if (bareCpu !== undefined && oursCpu !== undefined) {
    const cpuRatio = oursCpu / bareCpu;
    process.stdout.write(
      `server CPU per ready connection (/proc, all threads, +-${cpuResolution(ROUNDS * READY).toFixed(1)} us): ours ${oursCpu.toFixed(1)} us, bare ${bareCpu.toFixed(1)} us; ours/bare ${cpuRatio.toFixed(2)}x: goal <= ${CPU_GOAL}x ${verdict(cpuRatio <= CPU_GOAL)}\n`,
    );
  }
  const { monitored: monitoredBatches, control: controlBatches } = batches as Partial<Record<'monitored' | 'control', ReadyBatch[]>>;
  if (monitoredBatches && controlBatches) {
    const onRatio = median(monitoredBatches.map((m, i) => m.p50 / batches.bare[i].p50));
    const againRatio = median(controlBatches.map((c, i) => c.p50 / batches.bare[i].p50));
    const onCpu = cpuPerConnection(monitoredBatches);
    const againCpu = cpuPerConnection(controlBatches);
    const cpu = onCpu !== undefined && againCpu !== undefined && oursCpu !== undefined ? `; CPU per connection ${onCpu.toFixed(1)} us, on/off ${(onCpu / oursCpu).toFixed(2)}x, control again/off ${(againCpu / oursCpu).toFixed(2)}x` : '';
    process.stdout.write(
      `with the monitor on and its page open: ready p50 ${median(monitoredBatches.map((m) => m.p50)).toFixed(0)} us; +monitor/bare ${onRatio.toFixed(2)}x (off ${readyRatio.toFixed(2)}x), on/off ${(onRatio / readyRatio).toFixed(2)}x, control again/off ${(againRatio / readyRatio).toFixed(2)}x${cpu} (issue 14: within 5 %; the control is a second server like ours, monitor off)\n`,
    );
  }
  const worker = median(workerP50);
  process.stdout.write(`bare worker_threads postMessage round trip p50 (median of rounds): ${worker.toFixed(1)} us\n`);
  process.stdout.write(`(reference machine, not this run: the original server answered ready in 0.098-0.150 ms, spec §7.4)\n`);
  return { bareReady: p50('bare') / 1000, worker: worker / 1000 };
}

/** Medians (ms) of good_setting(6) and pdf_update per call on the in-process Lorentzian workload. */
function numerics(particles: number, grid: number, seed: number, runs = NUMERIC_RUNS, warmUp = true): { good: number; pdf: number } {
  const good: number[] = [];
  const pdf: number[] = [];
  for (let run = warmUp ? -1 : 0; run < runs; run++) {
    const { obe, sim } = createWorkload({ particles, grid, seed: seed + run });
    for (let i = 0; i < STEPS; i++) {
      let t = performance.now();
      const setting = obe.goodSetting(6);
      const dGood = performance.now() - t;
      const [y] = sim.simdata(setting);
      t = performance.now();
      obe.pdfUpdate({ settings: setting, y, sigma: TRUTH.sigma });
      const dPdf = performance.now() - t;
      if (run < 0) continue; // warm-up run
      good.push(dGood);
      pdf.push(dPdf);
    }
  }
  return { good: median(good), pdf: median(pdf) };
}

/** Bare ready and worker round trips measured right before and right after each demo run. */
const INTERLEAVED_READY = 500;
const INTERLEAVED_TRIPS = 500;

type Series = Exclude<keyof DriverSamples, 'others_ready'>;

/** The runs' samples of every series, one after the other. */
const concat = (runs: DriverSamples[]): Record<Series, number[]> => {
  const out = {} as Record<Series, number[]>;
  for (const key of Object.keys(runs[0]) as Array<keyof DriverSamples>) if (key !== 'others_ready') out[key] = runs.flatMap((r) => r[key]);
  return out;
};

/** Worker round trips after 1 ms of idleness, measured right before and right after each demo run. */
const IDLE_TRIPS = 200;
const IDLE_MS = 1;

/**
 * The measured parts of a demo run's floor (ms): bare ready p50, worker round trip p50 back to back
 * and after idling, and the in-process good_setting and pdf_update p50.
 */
interface FloorParts {
  bareReady: number;
  /** Back to back: both threads awake. */
  worker: number;
  /** After the worker idled, as the engine thread does between a client's commands. */
  workerIdle: number;
  good: number;
  pdf: number;
}

/** One floor sample; the numerics are one run of the demo's steps in this process. */
async function floorSample(bare: ChildServer, particles: number, grid: number, seed: number): Promise<FloorParts> {
  const bareReady = median((await driveTcpcmd(bare.port, { ready: INTERLEAVED_READY })).ready);
  const worker = (await workerRoundTrip(INTERLEAVED_TRIPS)).p50 / 1000;
  const workerIdle = (await workerRoundTrip(IDLE_TRIPS, 20, 60_000, IDLE_MS)).p50 / 1000;
  const { good, pdf } = numerics(particles, grid, seed, 1, false);
  return { bareReady, worker, workerIdle, good, pdf };
}

const meanOf = (a: FloorParts, b: FloorParts): FloorParts => ({
  bareReady: (a.bareReady + b.bareReady) / 2,
  worker: (a.worker + b.worker) / 2,
  workerIdle: (a.workerIdle + b.workerIdle) / 2,
  good: (a.good + b.good) / 2,
  pdf: (a.pdf + b.pdf) / 2,
});

async function config(particles: number, grid: number, index: number): Promise<void> {
  const t0 = performance.now();
  const serveArgs = ['--port', '0', '--particles', String(particles), '--on-done', 'end-run'];
  const server = await startChildServer(process.execPath, [BIN, 'obe', 'serve', ...serveArgs]);
  // The CLI prints its listening line once the engine's worker is up and the port is bound.
  const start = (performance.now() - t0) / 1000;
  const bare = await startChildServer(process.execPath, [RAW_SERVER]);
  const bareDemo = await startChildServer(process.execPath, [BARE_DEMO_SERVER, String(particles)]);
  const bareWorkerDemo = await startChildServer(process.execPath, [BARE_DEMO_SERVER, String(particles), 'worker']);
  const monitored = opts.monitor ? await startMonitored(serveArgs) : undefined;
  /** Per step / its floor of the runs on the monitored server (`--monitor`). */
  const monitoredRatios: number[] = [];
  // Each demo run gets its own floor, measured right before and right after it: the machine's speed
  // drifts over a benchmark, and a floor from minutes earlier would judge a run against another
  // machine state. (Bare readies interleaved with the steps would be closer in time, but the other
  // process between our commands cools our caches and biases the comparison by about 10 %.)
  const runs: DriverSamples[] = [];
  const bareDemoRuns: DriverSamples[] = [];
  const bareWorkerDemoRuns: DriverSamples[] = [];
  const perRun: FloorParts[] = [];
  // The in-process numerics are sampled around each run too: the machine's speed drifts, and a
  // figure from the end of the benchmark judged runs against another machine state (pdf_update
  // p50 0.14-0.23 ms between benchmark runs of the same build). Warmed up once here.
  const numericSeed = 7000 + 10 * index;
  numerics(particles, grid, numericSeed - 1, 1, false);
  const monitoredRuns: Array<{ samples: DriverSamples; floor: FloorParts }> = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const seed = 1000 + 100 * index + i;
      const before = await floorSample(bare, particles, grid, numericSeed + i);
      runs.push(await driveTcpcmd(server.port, { grid, runs: 1, steps: STEPS, seed }));
      // The same steps on the bare demo server, inside the same floor window.
      bareDemoRuns.push(await driveTcpcmd(bareDemo.port, { grid, runs: 1, steps: STEPS, seed }));
      bareWorkerDemoRuns.push(await driveTcpcmd(bareWorkerDemo.port, { grid, runs: 1, steps: STEPS, seed }));
      const after = await floorSample(bare, particles, grid, numericSeed + i);
      perRun.push(meanOf(before, after));
      if (!monitored) continue;
      // The same run on the monitored server, between this floor sample and the next.
      const samples = await driveTcpcmd(monitored.port, { grid, runs: 1, steps: STEPS, seed });
      monitoredRuns.push({ samples, floor: meanOf(after, await floorSample(bare, particles, grid, numericSeed + i)) });
    }
  } finally {
    await Promise.all([server.stop(), bare.stop(), bareDemo.stop(), bareWorkerDemo.stop(), monitored?.stop()]);
  }
  const r = concat(runs);
  // The hop the demo pays is to an engine thread that sat idle since the client's previous command.
  const floorOf = (b: FloorParts, hop: number): number => 4 * b.bareReady + b.good + b.pdf + 2 * hop;
  const num = { good: median(perRun.map((b) => b.good)), pdf: median(perRun.map((b) => b.pdf)) };
  for (const { samples, floor } of monitoredRuns) monitoredRatios.push(median(samples.step) / floorOf(floor, floor.workerIdle));
  const ratios = runs.map((run, i) => median(run.step) / floorOf(perRun[i], perRun[i].workerIdle));
  const hotRatios = runs.map((run, i) => median(run.step) / floorOf(perRun[i], perRun[i].worker));
  const bareReady = median(perRun.map((b) => b.bareReady));
  const worker = median(perRun.map((b) => b.workerIdle));
  const workerHot = median(perRun.map((b) => b.worker));
  const shares = {
    goodset: bareReady + num.good + worker,
    newdat: bareReady + num.pdf + worker,
    getmean: bareReady,
    getstd: bareReady,
  };
  const floor = shares.goodset + shares.newdat + shares.getmean + shares.getstd;
  const stepRatio = median(ratios);
  const step = median(r.step);
  const ref = REFERENCE[`${particles}:${grid}`];
  const refCell = (v: number | undefined, unit: string, digits = 3): string => (v === undefined ? '' : `   reference machine ${v.toFixed(digits)} ${unit}`);
  process.stdout.write(`\nN = ${particles}, G = ${grid}: ${RUNS} runs x ${STEPS} steps (run wall min-max ${Math.min(...r.run_wall).toFixed(3)}-${Math.max(...r.run_wall).toFixed(3)} s)\n`);
  process.stdout.write(`  in process, this run: good_setting(6) p50 ${num.good.toFixed(3)} ms, pdf_update p50 ${num.pdf.toFixed(3)} ms (medians over runs of one run of ${STEPS} steps before and one after each, after a warm-up run)\n`);
  process.stdout.write(
    `  per step ${ms(step)} ms   floor ${floor.toFixed(3)} ms = 4 x ready ${bareReady.toFixed(3)} + good_setting ${num.good.toFixed(3)} + pdf_update ${num.pdf.toFixed(3)} + 2 x worker ${worker.toFixed(3)} (ready, worker and numerics: medians over runs of the measurements around each run; worker: round trip to a bare worker after ${IDLE_MS} ms idle, as the engine thread idles between commands)\n`,
  );
  process.stdout.write(`  per run, per step / its own floor: ${ratios.map((x) => `${x.toFixed(2)}x`).join(' ')}\n`);
  process.stdout.write(
    `  with back-to-back worker round trips instead (${workerHot.toFixed(3)} ms; both threads awake, which no demo hop is): per step / floor ${median(hotRatios).toFixed(2)}x (${hotRatios.map((x) => `${x.toFixed(2)}x`).join(' ')})\n`,
  );
  const named = particles === 10_000 && STEPS === 200;
  process.stdout.write(
    `  per step / floor ${stepRatio.toFixed(2)}x (median of the runs); goal <= ${STEP_GOAL}x${named ? `: ${verdict(stepRatio <= STEP_GOAL)}` : ' (the goal names 10k particles, 200 steps: no verdict here)'}${refCell(ref?.step, 'ms')}\n`,
  );
  if (monitored) {
    const on = median(monitoredRatios);
    process.stdout.write(
      `  with the monitor on and its page open: per step / floor ${on.toFixed(2)}x (${monitoredRatios.map((x) => `${x.toFixed(2)}x`).join(' ')}); on/off ${(on / stepRatio).toFixed(2)}x (issue 14: within 5 %)\n`,
    );
  }
  const bd = concat(bareDemoRuns);
  const bareDemoRatios = runs.map((run, i) => median(run.step) / median(bareDemoRuns[i].step));
  process.stdout.write(
    `  bare demo server (node:net and the same numeric core in one thread: no actors, no worker, no snapshot; reads computed on request, as the original does): per step ${median(bd.step).toFixed(3)} ms, ${(median(bd.step) / floor).toFixed(2)}x the floor; ours / bare demo per run ${bareDemoRatios.map((x) => `${x.toFixed(2)}x`).join(' ')}, median ${median(bareDemoRatios).toFixed(2)}x\n`,
  );
  const bw = concat(bareWorkerDemoRuns);
  const bareWorkerFloor = runs.map((_, i) => median(bareWorkerDemoRuns[i].step) / floorOf(perRun[i], perRun[i].workerIdle));
  const oursToBareWorker = runs.map((run, i) => median(run.step) / median(bareWorkerDemoRuns[i].step));
  process.stdout.write(
    `  bare worker demo (the same, with the numeric core in a bare worker_threads Worker: goodset and newdat one postMessage each way, getmean and getstd from what the worker posts after each newdat; the least the worker design costs): per step ${median(bw.step).toFixed(3)} ms, per run / its floor ${bareWorkerFloor.map((x) => `${x.toFixed(2)}x`).join(' ')}, median ${median(bareWorkerFloor).toFixed(2)}x; ours / bare worker demo median ${median(oursToBareWorker).toFixed(2)}x\n`,
  );
  process.stdout.write(`  ${'command'.padEnd(14)}${'ours ms'.padStart(9)}${'floor ms'.padStart(10)}${'ours/floor'.padStart(12)}${'bare demo'.padStart(11)}${'bare worker'.padStart(13)}   context (spec §7.4, original server; not this run)\n`);
  for (const key of ['goodset', 'newdat', 'getmean', 'getstd'] as const) {
    const ours = median(r[key]);
    process.stdout.write(`  ${key.padEnd(14)}${ms(ours)} ${ms(shares[key])}${ratio(ours, shares[key]).padStart(12)}${ms(median(bd[key])).padStart(11)}${ms(median(bw[key])).padStart(13)}${refCell(ref?.[key], 'ms')}\n`);
  }
  process.stdout.write(`  ${'newrun'.padEnd(14)}${ms(median(r.newrun), 2)}${' '.repeat(22)}${refCell(ref?.newrun, 'ms', 2)}\n`);
  process.stdout.write(`  ${'run wall s'.padEnd(14)}${ms(median(r.run_wall))}${' '.repeat(22)}${refCell(ref?.run, 's')}\n`);
  process.stdout.write(`  ${'start->ready s'.padEnd(14)}${ms(start, 2)}${' '.repeat(22)}${refCell(ref?.start, 's', 2)}\n`);
  process.stdout.write(`  accuracy: median |f0 error| ${median(r.error_mhz).toFixed(3)} MHz, max ${Math.max(...r.error_mhz).toFixed(3)} MHz over ${r.error_mhz.length} runs (reference machine pooled median 0.56-0.58 MHz)\n`);
}

async function main(): Promise<void> {
  process.stdout.write(`OBE server benchmark: Python tcpcmd client (one connection per command); server = dist/ CLI process; baselines measured in this run\n`);
  await readyRounds();
  for (const [i, [particles, grid]] of CONFIGS.entries()) await config(particles, grid, i);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
