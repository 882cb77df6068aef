import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  linspace,
  MeasurementSimulator,
  OptBayesExpt,
  OptBayesExptNoiseParameter,
  ParticlePool,
  ParticlePoolError,
  Xoshiro128StarStar,
  type OptBayesExptConfig,
} from '../../../../src/obe/core/index.js';
import { lorentzianWithNoise, throwsInPoolThreads } from '../fixtures/pool-models.mjs';
import { PairwiseTree } from '../../../../src/obe/core/pairwise-tree.js';

/**
 * The particle pool splits the particle loops between threads and gives the same bits for any pool
 * size (docs/OBE-NUMERICS.md, "The particle pool"): the leaves of the pairwise sums are the units,
 * combined in NumPy's order whoever computed them.
 */

const FIXTURE = fileURLToPath(new URL('../fixtures/pool-models.mjs', import.meta.url));
const N = 12_345;

interface Trace {
  weights: Float64Array[];
  moments: Float64Array[];
  settings: number[][];
  resamples: number;
  threads: number;
}

type Variant = 'one channel' | 'choke' | 'noise parameter';

function engine(variant: Variant, pool: ParticlePool | undefined): OptBayesExpt {
  const rng = new Xoshiro128StarStar(11);
  const u = (lo: number, hi: number) => Float64Array.from({ length: N }, () => lo + (hi - lo) * rng.nextDouble());
  const prior = [u(2.2, 2.8), u(0.01, 0.1), u(0.003, 0.05)];
  const config: OptBayesExptConfig = {
    model: 'lorentzian-dip',
    // 30 draws × 3400 grid points: enough for the utility to go to the pool too.
    settingValues: [linspace(2, 3, 3400)],
    prior,
    scale: false,
    seed: 5,
    choke: variant === 'choke' ? 0.7 : null,
    pool,
    poolMinParticles: 1000,
  };
  if (variant !== 'noise parameter') return new OptBayesExpt(config);
  return new OptBayesExptNoiseParameter({ ...config, model: lorentzianWithNoise, prior: [...prior, u(0.003, 0.01)], noiseParameterIndex: 3 });
}

async function trace(variant: Variant, pool: ParticlePool | undefined): Promise<Trace> {
  const obe = engine(variant, pool);
  if (pool !== undefined) await obe.attachPoolModel(variant === 'noise parameter' ? { module: FIXTURE, export: 'lorentzianWithNoise' } : undefined);
  const sim = new MeasurementSimulator('lorentzian-dip', [2.45, 0.03, 0.02], [], 0.005, { seed: 3 });
  const t: Trace = { weights: [], moments: [], settings: [], resamples: 0, threads: obe.threadsInUse };
  for (let i = 0; i < 40; i++) {
    const setting = i % 2 === 0 ? obe.goodSetting(6) : obe.optSetting();
    t.settings.push(setting);
    obe.pdfUpdate({ settings: setting, y: sim.simdata(setting)[0], sigma: 0.005 });
    t.weights.push(Float64Array.from(obe.weights));
    t.moments.push(obe.mean(), obe.std(), ...obe.covariance());
  }
  t.resamples = obe.stats().resamples;
  return t;
}

describe('ParticlePool', () => {
  const pools: ParticlePool[] = [];

  beforeAll(async () => {
    pools.push(...(await Promise.all([1, 2, 3].map((threads) => ParticlePool.create({ threads })))));
    // Every unit on a worker thread: the most different split from one thread.
    pools.push(await ParticlePool.create({ threads: 2, callerTakesPart: false }));
  });

  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  for (const variant of ['one channel', 'choke', 'noise parameter'] as const) {
    it(`gives the same bits with 1, 2 and 3 threads (and with every unit off the calling thread) as without a pool (${variant}: updates, resampling, moments, settings)`, async () => {
      const alone = await trace(variant, undefined);
      expect(alone.resamples).toBeGreaterThan(0);
      for (const pool of pools) {
        const pooled = await trace(variant, pool);
        expect(pooled.threads).toBe(pool.threads);
        const label = `${pool.threads} threads${pools.indexOf(pool) === 3 ? ', caller not taking part' : ''}`;
        expect(pooled.settings).toEqual(alone.settings);
        expect(pooled.resamples).toBe(alone.resamples);
        // Buffer equality is bit equality (toEqual would take -0 and 0, or two NaNs, as equal too).
        pooled.weights.forEach((w, i) => expect(Buffer.from(w.buffer).equals(Buffer.from(alone.weights[i].buffer)), `weights after step ${i}, ${label}`).toBe(true));
        pooled.moments.forEach((m, i) => expect(Buffer.from(m.buffer).equals(Buffer.from(alone.moments[i].buffer)), `moment ${i}, ${label}`).toBe(true));
        expect(pool.stats().calls.products).toBeGreaterThan(0);
        expect(pool.stats().calls.drawSpace).toBeGreaterThan(0);
        expect(pool.stats().calls.resampleNormals).toBeGreaterThan(0);
        expect(pool.stats().calls.resampleMoves).toBeGreaterThan(0);
      }
    });
  }

  it('reuses the buffers of a disposed engine for the next one of the same shape', async () => {
    const pool = pools[1];
    const first = engine('one channel', pool);
    await first.attachPoolModel();
    first.pdfUpdate({ settings: [2.5], y: 0.99, sigma: 0.01 });
    first.resample();
    first.dispose();
    const created = pool.stats().buffersCreated;
    const next = engine('one channel', pool);
    await next.attachPoolModel();
    next.pdfUpdate({ settings: [2.5], y: 0.99, sigma: 0.01 });
    next.resample();
    expect(pool.stats().buffersCreated).toBe(created);
    // Recycled buffers come back zero-filled: the new engine's numbers are those of a fresh one.
    const fresh = engine('one channel', undefined);
    fresh.pdfUpdate({ settings: [2.5], y: 0.99, sigma: 0.01 });
    fresh.resample();
    expect(Buffer.from(next.mean().buffer).equals(Buffer.from(fresh.mean().buffer))).toBe(true);
  });

  it('runs the caller\'s other work while the call is open, then finishes every unit', () => {
    for (const pool of pools) {
      const rows = [pool.allocate(5000)];
      const w = pool.allocate(5000).fill(1);
      const leaves = new PairwiseTree(5000).leafCount;
      const out = pool.allocate(2 * leaves);
      let ran = 0;
      pool.run('weightedRows', leaves, { arrays: [w, out, ...rows], ints: [], numbers: [5000, 1] }, () => ran++);
      expect(ran).toBe(1);
      // Leaf sums of a weight row of ones: every leaf's length, whoever summed it.
      expect(out.subarray(leaves, 2 * leaves).reduce((s, v) => s + v, 0)).toBe(5000);
      // The control block holds one call: the caller's other work may not open a second one.
      expect(() => pool.run('weightedRows', leaves, { arrays: [w, out, ...rows], ints: [], numbers: [5000, 1] }, () => pool.run('weightedRows', leaves, { arrays: [w, out, ...rows], ints: [], numbers: [5000, 1] }))).toThrow(ParticlePoolError);
      // And the pool is still usable afterwards.
      pool.run('weightedRows', leaves, { arrays: [w, out, ...rows], ints: [], numbers: [5000, 1] });
      expect(out.subarray(leaves, 2 * leaves).reduce((s, v) => s + v, 0)).toBe(5000);
    }
  });

  it('stays on one thread below poolMinParticles', async () => {
    const small = new OptBayesExpt({ model: 'line', settingValues: [[0, 1]], prior: [[0, 1, 2], [1, 2, 3]], pool: pools[1], seed: 1 });
    await small.attachPoolModel();
    const before = pools[1].stats().calls.normalise;
    small.pdfUpdate({ settings: [1], y: 2, sigma: 1 });
    expect(small.threadsInUse).toBe(1);
    expect(pools[1].stats().calls.normalise).toBe(before);
  });

  it('reports a model that throws in another thread as POOL_FAILED, keeps the weights, and stays usable', async () => {
    // Every block on the worker thread, so that the model throws there whatever the scheduler does.
    const pool = await ParticlePool.create({ threads: 2, callerTakesPart: false });
    onTestFinished(() => pool.close());
    const rng = new Xoshiro128StarStar(2);
    const prior = [0, 1].map(() => Float64Array.from({ length: 5000 }, () => rng.nextDouble()));
    const obe = new OptBayesExpt({ model: throwsInPoolThreads, settingValues: [[0, 1]], prior, pool, poolMinParticles: 1, seed: 1 });
    await obe.attachPoolModel({ module: FIXTURE, export: 'throwsInPoolThreads' });
    const before = Float64Array.from(obe.weights);
    expect(() => obe.pdfUpdate({ settings: [1], y: 1, sigma: 1 })).toThrow(expect.objectContaining({ code: 'POOL_FAILED', message: expect.stringContaining('model failed in a pool thread') }));
    expect(Buffer.from(obe.weights.buffer).equals(Buffer.from(before.buffer))).toBe(true);
    // Kernels without the model still run on both threads.
    expect(obe.mean().length).toBe(2);
  });

  it('refuses work once closed (POOL_FAILED) and rejects a bad thread count', async () => {
    const pool = await ParticlePool.create({ threads: 2 });
    await pool.close();
    expect(() => pool.run('normalise', 4, { arrays: [], ints: [], numbers: [] })).toThrow(expect.objectContaining({ code: 'POOL_FAILED' }));
    await expect(ParticlePool.create({ threads: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
