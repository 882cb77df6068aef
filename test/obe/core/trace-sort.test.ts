import { describe, expect, it } from 'vitest';
import { ShapeMismatchError, traceSort } from '../../../src/obe/core/index.js';

describe('traceSort', () => {
  it('groups equal settings, sorted, with mean, std/sqrt(n) and counts', () => {
    const r = traceSort([3, 1, 3, 2, 1, 3], [6, 1, 8, 4, 3, 7]);
    expect(r.settings).toEqual([1, 2, 3]);
    expect(r.means).toEqual([2, 4, 7]);
    expect(r.counts).toEqual([2, 1, 3]);
    expect(r.stdErrors[0]).toBeCloseTo(1 / Math.sqrt(2), 15);
    expect(r.stdErrors[1]).toBe(0);
    expect(r.stdErrors[2]).toBeCloseTo(Math.sqrt(2 / 3) / Math.sqrt(3), 15);
    expect(() => traceSort([1], [])).toThrow(ShapeMismatchError);
  });
});
