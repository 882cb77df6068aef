import { describe, expect, it } from 'vitest';
import { createWorkload } from '../../bench/obe/lorentzian-workload.js';
import { createUpdateFloor } from '../../bench/obe/update-floor.js';

// bench:obe's update floor is only a floor if it does the update's work: its weights must be the
// engine's, to the few ulp its cheaper exp allows.
describe('bench:obe update floor', () => {
  it("computes the engine's posterior weights over its particles", async () => {
    const { obe } = createWorkload({ particles: 3000, grid: 200, seed: 5 });
    obe.tuningParameters.autoResample = false;
    const [f0, a, lw] = obe.particles;
    const floor = await createUpdateFloor({ f0, a, lw, w: obe.weights });
    expect(floor.particles).toBe(2944);
    floor.run(2.5, 0.99, 0.005);
    obe.pdfUpdate({ settings: [2.5], y: 0.99, sigma: 0.005 });
    const w = obe.weights;
    let total = 0;
    for (let i = 0; i < floor.particles; i++) total += w[i];
    let worst = 0;
    for (let i = 0; i < floor.particles; i++) {
      const expected = w[i] / total;
      if (expected > 1e-200) worst = Math.max(worst, Math.abs(floor.weights[i] - expected) / expected);
    }
    expect(total).toBeGreaterThan(0.5);
    expect(worst).toBeLessThan(1e-12);
  });
});
