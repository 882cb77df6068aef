import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SenderSequence } from '../../../src/actors/bus/transports/sender-sequence.js';
import { EventId } from '../../../src/protocols/rsb/index.js';

const A = '0d4e5f6a-0000-4000-8000-00000000000a';
const B = '0d4e5f6a-0000-4000-8000-00000000000b';

describe('SenderSequence', () => {
  it('delivers each sender\'s next event, drops copies and older ones, reports gaps', () => {
    const seq = new SenderSequence();
    expect(seq.check(EventId.fromUuid(A, 5))).toEqual({ kind: 'next' });
    expect(seq.check(EventId.fromUuid(B, 0))).toEqual({ kind: 'next' });
    expect(seq.check(EventId.fromUuid(A, 6))).toEqual({ kind: 'next' });
    expect(seq.check(EventId.fromUuid(A, 6))).toEqual({ kind: 'seen' });
    expect(seq.check(EventId.fromUuid(A, 4))).toEqual({ kind: 'seen' });
    expect(seq.check(EventId.fromUuid(A, 9))).toEqual({ kind: 'gap', missing: 2 });
  });

  it('follows sequence numbers across the uint32 wrap', () => {
    const seq = new SenderSequence();
    seq.check(EventId.fromUuid(A, 2 ** 32 - 1));
    expect(seq.check(EventId.fromUuid(A, 0))).toEqual({ kind: 'next' });
    expect(seq.check(EventId.fromUuid(A, 2 ** 32 - 1))).toEqual({ kind: 'seen' });
  });

  it('starts afresh beyond its bound of senders', () => {
    const seq = new SenderSequence(1);
    seq.check(EventId.fromUuid(A, 3));
    seq.check(EventId.fromUuid(B, 3));
    expect(seq.check(EventId.fromUuid(A, 3))).toEqual({ kind: 'next' });
    expect(seq.check(EventId.fromUuid(A, 3))).toEqual({ kind: 'seen' });
  });

  it('tells apart senders whose ids share their first bytes', () => {
    const seq = new SenderSequence();
    expect(seq.check(EventId.fromUuid(A, 7))).toEqual({ kind: 'next' });
    expect(seq.check(EventId.fromUuid(B, 7))).toEqual({ kind: 'next' });
    expect(seq.check(EventId.fromUuid(B, 8))).toEqual({ kind: 'next' });
    expect(seq.check(EventId.fromUuid(A, 7))).toEqual({ kind: 'seen' });
  });

  it('a stream with duplicates delivers each number once, in order, and counts what was skipped', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 60 }), (steps) => {
        // steps: 0 repeats the last number, k > 0 advances by k.
        const seq = new SenderSequence();
        let n = 0;
        const delivered: number[] = [];
        let missing = 0;
        for (const step of [1, ...steps]) {
          n += step;
          const verdict = seq.check(EventId.fromUuid(A, n));
          if (verdict.kind !== 'seen') delivered.push(n);
          if (verdict.kind === 'gap') missing += verdict.missing;
        }
        expect(delivered).toEqual([...new Set(delivered)].sort((x, y) => x - y));
        expect(delivered.at(-1)).toBe(n);
        expect(missing).toBe(n - delivered[0] + 1 - delivered.length);
      }),
      { seed: 3 },
    );
  });
});
