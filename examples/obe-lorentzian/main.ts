/**
 * The TypeScript counterpart of optbayesexpt's instrument-controller demo: starts an OBE server
 * (the original server demo: Lorentzian model, 10 000 particles, scale=False), then runs three
 * measurement runs against a simulated noisy instrument over TCP, one connection per command as
 * the original client does, with a progress bar. Writes one SVG per run (measured points, the
 * estimated curve, the f0 mean ± std trail) and a JSON file of every trail.
 *
 *   npx tsx examples/obe-lorentzian/main.ts [--out <tmpdir>/obe-lorentzian] [--steps 200] [--particles 10000] [--seed 1]
 *                                           [--runs 25:2:3,200:2:3,200:1:4] [--port 0]
 *
 * `--runs` lists `settings:lolim:hilim` per run (the original's three runs by default).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_RUN_SPEC, ObeClient, ObeServer } from '../../src/obe/index.js';
import { SimulatedInstrument } from './instrument.js';
import { renderRunSvg, type RunRecord } from './plot.js';

const { values: opts } = parseArgs({
  options: {
    out: { type: 'string', default: join(tmpdir(), 'obe-lorentzian') },
    steps: { type: 'string', default: '200' },
    particles: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '25:2:3,200:2:3,200:1:4' },
    port: { type: 'string', default: '0' },
  },
});

const STEPS = Number(opts.steps);
const RUNS = opts.runs.split(',').map((r) => {
  const [settings, lolim, hilim] = r.split(':').map(Number);
  return { settings, lolim, hilim };
});

/** A progress bar on stderr: redrawn in place on a terminal, a line per quarter otherwise. */
function progress(label: string, done: number, total: number): void {
  const width = 30;
  const filled = Math.round((width * done) / total);
  const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
  else if (done === total || done % Math.max(1, Math.round(total / 4)) === 0) process.stderr.write(line + '\n');
}

async function measureRun(obe: ObeClient, index: number, run: (typeof RUNS)[number]): Promise<RunRecord> {
  const instrument = new SimulatedInstrument(Number(opts.seed) * 1000 + index);
  await obe.newrun({ lolim: run.lolim, hilim: run.hilim, steps: run.settings });
  const record: RunRecord = {
    title: `run ${index + 1}: ${run.settings} settings over [${run.lolim}, ${run.hilim}] GHz`,
    lolim: run.lolim,
    hilim: run.hilim,
    steps: STEPS,
    truth: instrument.truth,
    trail: [],
  };
  for (let step = 1; step <= STEPS; step++) {
    const [f] = await obe.goodset(6);
    const y = instrument.measure(f);
    await obe.newdat([f], y, instrument.truth.sigma);
    const mean = await obe.getmean();
    const std = await obe.getstd();
    record.trail.push({ step, f, y, mean, std });
    progress(`run ${index + 1}/${RUNS.length}`, step, STEPS);
  }
  return record;
}

async function main(): Promise<void> {
  const out = resolve(opts.out);
  mkdirSync(out, { recursive: true });
  const server = new ObeServer({
    port: Number(opts.port),
    run: { ...DEMO_RUN_SPEC, particles: Number(opts.particles), seed: Number(opts.seed) },
    startRun: false,
  });
  const { host, port } = await server.start();
  process.stdout.write(`obe listening on ${host}:${port}\n`);
  const obe = new ObeClient({ port });
  const records: RunRecord[] = [];
  for (const [i, run] of RUNS.entries()) {
    const record = await measureRun(obe, i, run);
    records.push(record);
    const svg = join(out, `run-${i + 1}.svg`);
    writeFileSync(svg, await renderRunSvg(record));
    const last = record.trail[record.trail.length - 1];
    const errorMHz = Math.abs(last.mean[0] - record.truth.f0) * 1000;
    process.stdout.write(`run ${i + 1}: f0 = ${last.mean[0].toFixed(5)} ± ${last.std[0].toFixed(5)} GHz (true ${record.truth.f0.toFixed(5)}, error ${errorMHz.toFixed(2)} MHz) -> ${svg}\n`);
  }
  const trailFile = join(out, 'trail.json');
  writeFileSync(trailFile, JSON.stringify({ particles: Number(opts.particles), steps: STEPS, runs: records }, null, 1));
  process.stdout.write(`trail -> ${trailFile}\n`);
  await obe.done();
  await server.stopped;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
