import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests open real sockets; two workers match the 2-core machines.
    maxWorkers: 2,
    // Files and the tests in them run in a shuffled order, so a test that leans on another's leftovers
    // fails. Vitest prints the seed ('Running tests with seed "N"'); VITEST_SEED=N (or
    // --sequence.seed=N) replays that order. Default seed: the clock.
    sequence: { shuffle: true, seed: process.env.VITEST_SEED ? Number(process.env.VITEST_SEED) : undefined },
    // CI also writes a JSON report, from which .ci/run prints the "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: process.env.CI ? { json: 'test-results.json' } : undefined,
  },
});
