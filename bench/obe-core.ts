/**
 * `npm run bench:obe [-- --json <file>]`: per-call speed of the OBE numeric core on the Lorentzian
 * server workload (spec §7.2/§7.3), next to the reference figures of optbayesexpt 1.2.0 (NumPy 1.24.2,
 * same kind of 2-core machine, not this run: context, not a same-run baseline) as ratios. For each of 10k/100k particles × grids of 200/1000: 3 runs
 * × 200 steps timing optSetting (variance_approx, 30 draws), goodSetting(6) and pdfUpdate at each
 * step, then resample() alone on the final distribution (restored before every repetition).
 */
import { writeFileSync } from 'node:fs';
import { createWorkload, TRUTH } from './obe/lorentzian-workload.js';
import type { OptBayesExpt } from '../src/obe/core/index.js';

/** Spec §7.3, NumPy 1.24.2 medians (ms). */
const REFERENCE: Record<string, Record<string, number>> = {
  '10000x200': { pdf_update: 0.155, pdf_no_rs: 0.154, pdf_rs: 2.125, opt_setting: 0.371, good_setting: 0.394, utility: 0.348, mean_std: 0.065, resample: 1.8, randdraw30: 0.093 },
  '10000x1000': { pdf_update: 0.153, pdf_no_rs: 0.153, pdf_rs: 1.961, opt_setting: 0.437, good_setting: 0.473, utility: 0.418, mean_std: 0.064, resample: 1.788, randdraw30: 0.095 },
  '100000x200': { pdf_update: 1.023, pdf_no_rs: 1.018, pdf_rs: 28.34, opt_setting: 1.04, good_setting: 1.06, utility: 1.019, mean_std: 0.418, resample: 22.783, randdraw30: 0.737 },
  '100000x1000': { pdf_update: 1.05, pdf_no_rs: 1.044, pdf_rs: 28.127, opt_setting: 1.136, good_setting: 1.157, utility: 1.099, mean_std: 0.46, resample: 23.045, randdraw30: 0.738 },
};

const RUNS = 3;
const STEPS = 200;
const RESAMPLE_REPS = 30;

function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

interface Timings {
  pdf: number[];
  pdfNoRs: number[];
  pdfRs: number[];
  opt: number[];
  good: number[];
  utility: number[];
  meanStd: number[];
  resample: number[];
  randdraw: number[];
}

function runSteps(obe: OptBayesExpt, sim: ReturnType<typeof createWorkload>['sim'], steps: number, t: Timings): void {
  for (let i = 0; i < steps; i++) {
    t.opt.push(time(() => obe.optSetting()));
    let setting: number[] = [];
    t.good.push(time(() => (setting = obe.goodSetting(6))));
    t.utility.push(time(() => obe.utility()));
    const [y] = sim.simdata(setting);
    const before = obe.resampleCount;
    const dt = time(() => obe.pdfUpdate({ settings: setting, y, sigma: TRUTH.sigma }));
    t.pdf.push(dt);
    (obe.resampleCount > before ? t.pdfRs : t.pdfNoRs).push(dt);
    t.meanStd.push(time(() => (obe.mean(), obe.std())));
  }
}

function benchConfig(particles: number, grid: number): Timings {
  const t: Timings = { pdf: [], pdfNoRs: [], pdfRs: [], opt: [], good: [], utility: [], meanStd: [], resample: [], randdraw: [] };
  let last: OptBayesExpt | undefined;
  for (let r = 0; r < RUNS; r++) {
    const { obe, sim } = createWorkload({ particles, grid, seed: 7000 + r });
    runSteps(obe, sim, STEPS, t);
    last = obe;
  }
  const obe = last!;
  const snapshot = obe.particles.map((row) => Float64Array.from(row));
  const weights = Float64Array.from(obe.weights);
  for (let i = 0; i < RESAMPLE_REPS; i++) {
    obe.setPdf(snapshot, weights);
    t.resample.push(time(() => obe.resample()));
    obe.setPdf(snapshot, weights);
    t.randdraw.push(time(() => obe.randdraw(30)));
  }
  return t;
}

function main(): void {
  const args = process.argv.slice(2);
  const jsonAt = args.indexOf('--json');
  const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
  if (jsonAt >= 0 && jsonFile === undefined) throw new Error('--json needs a file name');

  // Warm the JIT on a small run so that the first configuration is not penalised.
  const warm = createWorkload({ particles: 10_000, grid: 200, seed: 1 });
  runSteps(warm.obe, warm.sim, 400, { pdf: [], pdfNoRs: [], pdfRs: [], opt: [], good: [], utility: [], meanStd: [], resample: [], randdraw: [] });

  const configs: { particles: number; grid: number; pdf_update: number; resample: number; opt_setting: number; good_setting: number }[] = [];
  console.log(`OBE core, Lorentzian server workload: ${RUNS} runs x ${STEPS} steps per cell; median ms per call (mean), reference = optbayesexpt 1.2.0 / NumPy 1.24.2 as the spec (§7.3) measured it on another machine, not in this run; ratio = ours / that figure, context rather than a same-run baseline`);
  console.log(`node ${process.version}, single thread\n`);
  const rows: string[][] = [['N', 'G', 'call', 'ours median', '(mean)', 'spec §7.3 (not this run)', 'ours/spec']];
  for (const particles of [10_000, 100_000]) {
    for (const grid of [200, 1000]) {
      const t = benchConfig(particles, grid);
      const ref = REFERENCE[`${particles}x${grid}`];
      const cells: [string, string, number[]][] = [
        ['pdf_update', 'pdf_update', t.pdf],
        ['  w/o resample', 'pdf_no_rs', t.pdfNoRs],
        [`  with resample (${t.pdfRs.length}/${t.pdf.length})`, 'pdf_rs', t.pdfRs],
        ['opt_setting', 'opt_setting', t.opt],
        ['good_setting', 'good_setting', t.good],
        ['utility()', 'utility', t.utility],
        ['mean()+std()', 'mean_std', t.meanStd],
        ['resample() alone', 'resample', t.resample],
        ['randdraw(30)', 'randdraw30', t.randdraw],
      ];
      for (const [label, key, xs] of cells) {
        const m = median(xs);
        rows.push([String(particles), String(grid), label, m.toFixed(4), `(${mean(xs).toFixed(4)})`, ref[key].toFixed(3), (m / ref[key]).toFixed(2) + 'x']);
      }
      configs.push({ particles, grid, pdf_update: median(t.pdf), resample: median(t.resample), opt_setting: median(t.opt), good_setting: median(t.good) });
    }
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((v, c) => (c === 2 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  '));
  if (jsonFile !== undefined) {
    writeFileSync(jsonFile, JSON.stringify({ configs }) + '\n');
    console.log(`\nwrote ${jsonFile}`);
  }
}

main();
