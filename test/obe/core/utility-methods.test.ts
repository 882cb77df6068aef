import { describe, expect, it } from 'vitest';
import { Xoshiro128StarStar } from '../../../src/obe/core/index.js';
import { createUtilityScratch, varianceUtility, type DrawSpace } from '../../../src/obe/core/utility-methods.js';

/** `variance_approx` one draw at a time, the order of operations the unrolled loops must keep. */
function referenceVariance(y: DrawSpace, noiseVar: ArrayLike<number>, cost: number): Float64Array {
  const { values, nDraws: k, nChannels: nc, nSettings: g } = y;
  const out = new Float64Array(g);
  for (let c = 0; c < nc; c++) {
    const mean = new Float64Array(g);
    for (let i = 0; i < k; i++) for (let s = 0; s < g; s++) mean[s] += values[(i * nc + c) * g + s];
    for (let s = 0; s < g; s++) mean[s] /= k;
    const inv = 1 / (k * noiseVar[c]);
    for (let i = 0; i < k; i++) {
      for (let s = 0; s < g; s++) {
        const dv = values[(i * nc + c) * g + s] - mean[s];
        out[s] += dv * dv * inv;
      }
    }
  }
  for (let s = 0; s < g; s++) out[s] /= cost;
  return out;
}

describe('varianceUtility', () => {
  it('gives the bits of one draw at a time for any K, channel count and grid range', () => {
    const rng = new Xoshiro128StarStar(91);
    for (const [k, nc, g] of [[1, 1, 7], [3, 1, 5], [4, 2, 9], [30, 1, 1000], [31, 3, 17], [9, 2, 64]]) {
      const values = Float64Array.from({ length: k * nc * g }, () => rng.nextNormal() * 1e3 + 1e6 * rng.nextDouble());
      const y = { values, nDraws: k, nChannels: nc, nSettings: g };
      const noiseVar = Float64Array.from({ length: nc }, () => 0.1 + rng.nextDouble());
      const expected = referenceVariance(y, noiseVar, 1.5);
      const out = new Float64Array(g);
      varianceUtility(y, noiseVar, 1.5, createUtilityScratch(k, g), out);
      expect(Buffer.from(out.buffer).equals(Buffer.from(expected.buffer)), `K ${k}, C ${nc}, G ${g}`).toBe(true);
      // A range computed apart (as a pool thread does) has the same bits.
      const part = new Float64Array(g);
      const mid = g >> 1;
      const scratch = createUtilityScratch(k, g);
      varianceUtility(y, noiseVar, 1.5, scratch, part, 0, mid);
      varianceUtility(y, noiseVar, 1.5, scratch, part, mid, g);
      expect(Buffer.from(part.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    }
  });
});
