import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JitteredBackoff } from '../../../src/actors/bus/transports/nats-options.js';

describe('JitteredBackoff', () => {
  it('doubles from the base to the cap, each delay in the upper half of its step, and resets', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 12, maxLength: 12 }), (randoms) => {
        let i = 0;
        const backoff = new JitteredBackoff(100, 2000, () => randoms[i++]);
        const steps = [100, 200, 400, 800, 1600, 2000, 2000, 2000, 2000, 2000];
        for (const step of steps) {
          const delay = backoff.next();
          expect(delay).toBeGreaterThanOrEqual(step / 2);
          expect(delay).toBeLessThanOrEqual(step);
        }
        backoff.reset();
        expect(backoff.next()).toBeLessThanOrEqual(100);
      }),
      { seed: 5 },
    );
  });
});
