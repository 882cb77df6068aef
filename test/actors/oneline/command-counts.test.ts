import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandCounts, MAX_COMMAND_NAMES } from '../../../src/actors/oneline/oneline-session.js';

describe('CommandCounts', () => {
  it('counts lines by name in any order, runs and alternations alike', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('ping', 'cmd01', 'cmd02', 'status'), { maxLength: 200 }), (names) => {
        const counts = new CommandCounts();
        for (const name of names) counts.count(name);
        const expected = new Map<string, number>();
        for (const name of names) expected.set(name, (expected.get(name) ?? 0) + 1);
        expect(Object.fromEntries(counts.snapshot())).toEqual(Object.fromEntries(expected));
      }),
    );
  });

  it(`keeps ${MAX_COMMAND_NAMES} names apart and counts the rest as (other)`, () => {
    const counts = new CommandCounts();
    for (let i = 0; i < MAX_COMMAND_NAMES + 10; i++) counts.count(`c${i}`);
    counts.count(`c${MAX_COMMAND_NAMES + 3}`);
    counts.count(`c${MAX_COMMAND_NAMES + 3}`);
    counts.count('c0');
    const snapshot = counts.snapshot();
    expect(snapshot.size).toBe(MAX_COMMAND_NAMES + 1);
    expect(snapshot.get('(other)')).toBe(12);
    expect(snapshot.get('c0')).toBe(2);
  });
});
