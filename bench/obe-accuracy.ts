/**
 * `npm run bench:obe-accuracy`: end accuracy of the OBE core on the Lorentzian server workload of
 * spec §7.5: 80 seeded runs (40 with a 200-point grid, 40 with 1000), 10 000 particles, goodset
 * pickiness 6, 200 measurements with σ = 0.005, final |f0_est − f0_true| in MHz. Prints the same
 * table as the reference next to the reference's pooled 10 000-particle row.
 *
 * Options: `--runs <n>` (default 80), `--particles <n>` (default 10000).
 */
import { runAccuracy, summarizeAccuracy, type AccuracyResult } from './obe/lorentzian-workload.js';

/** Spec §7.5, pooled over NumPy versions and grids, 10 000 particles. */
const REFERENCE = { median: 0.56, rms: 0.8, p90: 1.2, max: 2.08, medianStd: 0.77, within2Sigma: 0.94, failures: 0, runs: 80 };

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

function main(): void {
  const runs = option('--runs', 80);
  const particles = option('--particles', 10_000);
  const t0 = performance.now();
  const byGrid = new Map<number, AccuracyResult[]>([[200, []], [1000, []]]);
  for (let i = 0; i < runs; i++) {
    const grid = i % 2 === 0 ? 200 : 1000;
    byGrid.get(grid)!.push(runAccuracy({ particles, grid, seed: 20_000 + i }));
  }
  const all = [...byGrid.values()].flat();
  const elapsed = (performance.now() - t0) / 1000;

  console.log(`OBE core accuracy, Lorentzian server workload: ${particles} particles, goodset pickiness 6, 200 steps, sigma 0.005`);
  console.log('final |f0_est - f0_true| in MHz; failure = error > 10 MHz; "within 2σ" uses the final getstd[0]\n');
  const header = ['rows', 'N', 'G', 'runs', 'median', 'mean', 'RMS', 'p90', 'max', 'median final std', 'within 2σ', 'failures'];
  const rows: string[][] = [header];
  const fmt = (x: number) => x.toFixed(3);
  const add = (label: string, grid: string, rs: AccuracyResult[]) => {
    const s = summarizeAccuracy(rs);
    rows.push([label, String(particles), grid, String(s.runs), fmt(s.median), fmt(s.mean), fmt(s.rms), fmt(s.p90), fmt(s.max), fmt(s.medianStd), `${Math.round(s.within2Sigma * 100)} %`, `${s.failures} / ${s.runs}`]);
  };
  add('actorwire', '200', byGrid.get(200)!);
  add('actorwire', '1000', byGrid.get(1000)!);
  add('actorwire', 'both', all);
  const r = REFERENCE;
  rows.push(['reference §7.5', '10000', 'both', String(r.runs), fmt(r.median), '-', fmt(r.rms), fmt(r.p90), fmt(r.max), fmt(r.medianStd), `${Math.round(r.within2Sigma * 100)} %`, `${r.failures} / ${r.runs}`]);
  const widths = header.map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const row of rows) console.log(row.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  '));
  const s = summarizeAccuracy(all);
  // RMS of n errors is uncertain by about 1/sqrt(2n) relative (±8 % for 80 runs).
  console.log(`\nRMS ratio to reference: ${(s.rms / r.rms).toFixed(2)} (±${Math.round(100 / Math.sqrt(2 * all.length))} % sampling noise); median ratio ${(s.median / r.median).toFixed(2)}`);
  console.log(`${all.length} runs in ${elapsed.toFixed(1)} s`);
}

main();
