import { describe, expect, it } from 'vitest';
import { dateToMicros, microsToDate, nowMicros } from '../../../src/protocols/rsb/index.js';

describe('RSB timestamps', () => {
  it('are integer microseconds since the epoch, close to the wall clock', () => {
    const before = Date.now() * 1000;
    const now = nowMicros();
    expect(Number.isSafeInteger(now)).toBe(true);
    // The monotonic anchor may drift from Date.now() a little; a minute is far beyond that and
    // far below the factor of 1000 a millisecond/second mix-up would show.
    expect(Math.abs(now - before)).toBeLessThan(60_000_000);
    expect(nowMicros()).toBeGreaterThanOrEqual(now);
  });

  it('convert to and from Date', () => {
    const date = new Date('2023-11-14T22:13:20.123Z');
    expect(dateToMicros(date)).toBe(1_700_000_000_123_000);
    expect(microsToDate(1_700_000_000_123_456).toISOString()).toBe('2023-11-14T22:13:20.123Z');
  });
});
