import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runToEnd } from '../helpers/cli.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/obe-lorentzian/main.ts', import.meta.url));

interface Trail {
  steps: number;
  runs: Array<{ lolim: number; hilim: number; truth: { f0: number }; trail: Array<{ step: number; f: number; y: number; mean: number[]; std: number[] }> }>;
}

describe('examples/obe-lorentzian', () => {
  it('runs three small measurement runs and writes one SVG per run plus the trail', async () => {
    const out = mkdtempSync(join(tmpdir(), 'obe-demo-'));
    const { code, stdout, stderr } = await runToEnd(
      process.execPath,
      ['--import', 'tsx', EXAMPLE, '--out', out, '--steps', '40', '--particles', '3000', '--runs', '25:2:3,60:2:3,60:1:4', '--seed', '3'],
      60_000,
    );
    expect(stderr).toMatch(/run 3\/3 \[#+\] 40\/40/);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^obe listening on 127\.0\.0\.1:\d+\n/);
    const trail = JSON.parse(readFileSync(join(out, 'trail.json'), 'utf8')) as Trail;
    expect(trail.runs.map((r) => [r.lolim, r.hilim, r.trail.length])).toEqual([
      [2, 3, 40],
      [2, 3, 40],
      [1, 4, 40],
    ]);
    for (const [i, run] of trail.runs.entries()) {
      for (const s of run.trail) {
        expect(s.f).toBeGreaterThanOrEqual(run.lolim);
        expect(s.f).toBeLessThanOrEqual(run.hilim);
        expect(s.mean).toHaveLength(3);
        expect(s.std).toHaveLength(3);
      }
      // The posterior narrows as measurements come in. Over the wide 1..4 range, 40 steps find the
      // dip in most seeded runs but not all (1 in 12 seeds, before and after the engine's block
      // resampling), so only the 2..3 runs must have narrowed.
      if (run.hilim - run.lolim === 1) expect(run.trail[39].std[0]).toBeLessThan(run.trail[0].std[0] / 10);
      const svg = readFileSync(join(out, `run-${i + 1}.svg`), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      for (const mark of ['mark-symbol', 'mark-line', 'mark-area', 'mark-rule role-mark']) expect(svg).toContain(mark);
      expect(svg).toContain('f0 estimate: mean ± std');
      expect(stdout).toContain(`-> ${join(out, `run-${i + 1}.svg`)}`);
    }
  });
});
