import { ActorwireError } from '../src/errors.js';
import { Mutator } from './mutator.js';
import type { FuzzTarget } from './targets.js';

/** An input that made something other than a named error escape. */
export interface FuzzCrash {
  readonly input: string;
  readonly error: string;
}

/** The outcome of fuzzing one target. */
export interface FuzzReport {
  readonly target: string;
  readonly inputs: number;
  /** Inputs refused with a named error (a clear error, as it should be). */
  readonly refused: number;
  readonly crashes: readonly FuzzCrash[];
  readonly crashCount: number;
  readonly seconds: number;
  readonly peakRssMiB: number;
}

/** Runs `inputs` mutated inputs through `target`, deterministically for `seed`. Keeps the first 10 crashes. */
export function fuzzTarget(target: FuzzTarget, inputs: number, seed: number, onProgress?: (done: number) => void): FuzzReport {
  const random = new Mutator(seed);
  const crashes: FuzzCrash[] = [];
  let crashCount = 0;
  let refused = 0;
  let peakRss = process.memoryUsage.rss();
  const started = performance.now();
  for (let i = 0; i < inputs; i++) {
    const seedInput = target.seeds[random.below(target.seeds.length)];
    const other = target.seeds[random.below(target.seeds.length)];
    const input = random.below(16) === 0 ? seedInput : random.mutate(seedInput, other, target.tokens);
    try {
      target.feed(input, random);
    } catch (err) {
      if (err instanceof ActorwireError) {
        refused++;
      } else {
        crashCount++;
        if (crashes.length < 10) crashes.push({ input: Buffer.from(input).toString('hex'), error: err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : String(err) });
      }
    }
    if ((i & 0xffff) === 0) {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      onProgress?.(i);
    }
  }
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  return {
    target: target.name,
    inputs,
    refused,
    crashes,
    crashCount,
    seconds: (performance.now() - started) / 1000,
    peakRssMiB: peakRss / 1024 / 1024,
  };
}
