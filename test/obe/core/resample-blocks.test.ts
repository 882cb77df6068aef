import { describe, expect, it } from 'vitest';
import { AliasTable, Xoshiro128StarStar } from '../../../src/obe/core/index.js';
import { RESAMPLE_BLOCK, resampleBlockCount, resampleMoves, resampleNormals, ResampleScratch, type ResampleMoves } from '../../../src/obe/core/resample-blocks.js';

const NONE = new Float64Array(0);

function inputs(n: number, weights: Float64Array, over: Partial<ResampleMoves> = {}): ResampleMoves {
  const rng = new Xoshiro128StarStar(3);
  const table = new AliasTable();
  table.build(weights, n);
  return {
    n,
    src: [Float64Array.from({ length: n }, () => rng.nextDouble()), Float64Array.from({ length: n }, () => 5 + rng.nextDouble())],
    dst: [new Float64Array(n), new Float64Array(n)],
    noise: [new Float64Array(n), new Float64Array(n)],
    prob: table.prob,
    alias: table.alias,
    drawn: NONE,
    factor: Float64Array.of(0.3, 0, 0.1, 0.2),
    mean: Float64Array.of(0.5, 5.5),
    a: 0.9,
    scale: true,
    key0: 0x1234567,
    key1: 0x89abcdef,
    ...over,
  };
}

/** Both phases over blocks [b0, b1), as one thread would run its claims. */
function resampleBlocks(input: ResampleMoves, scratch: ResampleScratch, b0: number, b1: number): void {
  resampleNormals(input, scratch, b0, b1);
  resampleMoves(input, scratch, b0, b1);
}

describe('resampleBlocks', () => {
  const n = 5 * RESAMPLE_BLOCK + 77;
  const weights = Float64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : 1 + (i % 13)));

  it('gives the same particles however the blocks are split between threads', () => {
    const whole = inputs(n, weights);
    resampleBlocks(whole, new ResampleScratch(), 0, resampleBlockCount(n));
    const split = inputs(n, weights);
    const a = new ResampleScratch();
    const b = new ResampleScratch();
    // Out of order and interleaved, as claims by two threads may come.
    resampleBlocks(split, b, 4, 6);
    resampleBlocks(split, a, 0, 2);
    resampleBlocks(split, b, 2, 4);
    for (let r = 0; r < 2; r++) expect(Buffer.from(split.dst[r].buffer).equals(Buffer.from(whole.dst[r].buffer))).toBe(true);
    // Another key gives other particles.
    const other = inputs(n, weights, { key1: 0x89abcdee });
    resampleBlocks(other, a, 0, resampleBlockCount(n));
    expect(Buffer.from(other.dst[0].buffer).equals(Buffer.from(whole.dst[0].buffer))).toBe(false);
  });

  it('copies the given (systematic) indices and never a zero-weight particle from the alias table', () => {
    const drawn = Float64Array.from({ length: n }, (_, i) => (i * 7) % n);
    const given = inputs(n, weights, { drawn, factor: new Float64Array(4), scale: false });
    resampleBlocks(given, new ResampleScratch(), 0, resampleBlockCount(n));
    for (let i = 0; i < n; i += 97) expect(given.dst[1][i]).toBe(given.src[1][drawn[i]]);
    // Source values that name their index show which particles the alias draws picked.
    const ids = Float64Array.from({ length: n }, (_, i) => i);
    const drawnFromAlias = inputs(n, weights, { src: [ids, ids], factor: new Float64Array(4), scale: false });
    resampleBlocks(drawnFromAlias, new ResampleScratch(), 0, resampleBlockCount(n));
    const counts = new Float64Array(13);
    for (const j of drawnFromAlias.dst[0]) {
      expect(weights[j]).toBeGreaterThan(0);
      counts[j % 13]++;
    }
    // Every residue class mod 13 gets its share of the weight (chi-square, 12 degrees of freedom).
    const expected = new Float64Array(13);
    let total = 0;
    weights.forEach((w, i) => {
      expected[i % 13] += w;
      total += w;
    });
    let chi = 0;
    for (let c = 0; c < 13; c++) {
      const e = (expected[c] / total) * n;
      chi += (counts[c] - e) ** 2 / e;
    }
    expect(chi).toBeLessThan(32.9); // 0.1 % critical value
  });

  it('nudges with standard normals that are independent between blocks', () => {
    const big = 64 * RESAMPLE_BLOCK;
    const zeros = new Float64Array(big);
    const one = inputs(big, new Float64Array(big).fill(1), { src: [zeros], dst: [new Float64Array(big)], noise: [new Float64Array(big)], factor: Float64Array.of(1), mean: Float64Array.of(0), scale: false });
    resampleBlocks(one, new ResampleScratch(), 0, resampleBlockCount(big));
    const z = one.dst[0];
    let sum = 0;
    let squares = 0;
    for (const v of z) {
      sum += v;
      squares += v * v;
    }
    const mean = sum / big;
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(big));
    expect(Math.abs(squares / big - 1)).toBeLessThan(4 * Math.sqrt(2 / big));
    // The same position in neighbouring blocks: correlation within noise.
    let cross = 0;
    for (let i = 0; i + RESAMPLE_BLOCK < big; i++) cross += z[i] * z[i + RESAMPLE_BLOCK];
    expect(Math.abs(cross / (big - RESAMPLE_BLOCK))).toBeLessThan(4 / Math.sqrt(big));
  });
});
