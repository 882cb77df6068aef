import { describe, expect, it } from 'vitest';
import { fuzzTarget } from '../../fuzz/campaign.js';
import { FUZZ_TARGETS, type FuzzTarget } from '../../fuzz/targets.js';
import { ProtocolError } from '../../src/protocols/errors.js';

// A smoke run of `npm run fuzz` (which feeds 1 000 000 inputs per protocol): the same mutations, few inputs.
describe('decoder fuzz campaign (smoke)', () => {
  it.each(FUZZ_TARGETS.map((t) => [t.name, t] as const))('%s: mutated frames give named errors only', (_name, target) => {
    const report = fuzzTarget(target, 3_000, 42);
    expect(report.crashes).toEqual([]);
    expect(report.inputs).toBe(3_000);
  });

  it('reports what escapes a decoder as a crash, with the input that caused it', () => {
    const fragile: FuzzTarget = {
      name: 'fragile',
      seeds: [Uint8Array.of(1, 2, 3, 4)],
      tokens: [Uint8Array.of(0xff)],
      feed(input) {
        if (input.includes(0xff)) throw new TypeError('cannot read properties of undefined');
        if (input.length < 4) throw new ProtocolError('TRUNCATED_FRAME', 'short');
      },
    };
    const report = fuzzTarget(fragile, 2_000, 1);
    expect(report.crashCount).toBeGreaterThan(0);
    expect(report.crashes[0].error).toMatch(/^TypeError/);
    expect(Buffer.from(report.crashes[0].input, 'hex').includes(0xff)).toBe(true);
    expect(report.refused).toBeGreaterThan(0);
  });
});
