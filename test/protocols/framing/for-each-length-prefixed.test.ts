import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../src/protocols/errors.js';
import { forEachLengthPrefixed, UINT16_LE, UINT32_LE } from '../../../src/protocols/framing/index.js';

const bodies = (payload: number[], header = UINT16_LE): number[][] => {
  const out: number[][] = [];
  forEachLengthPrefixed(Uint8Array.from(payload), header, (body) => out.push([...body]));
  return out;
};

describe('forEachLengthPrefixed', () => {
  it('hands out the bodies of back-to-back frames of a whole buffer, with any header', () => {
    expect(bodies([2, 0, 0xaa, 0xbb, 1, 0, 0xcc])).toEqual([[0xaa, 0xbb], [0xcc]]);
    expect(bodies([1, 0, 0, 0, 7], UINT32_LE)).toEqual([[7]]);
    expect(bodies([])).toEqual([]);
  });

  it('stops at an empty or truncated frame with a coded error, after handing out the frames before it', () => {
    const seen: number[][] = [];
    const run = (payload: number[]) => () => forEachLengthPrefixed(Uint8Array.from(payload), UINT16_LE, (b) => seen.push([...b]));
    expect(run([1, 0, 5, 0, 0])).toThrow(expect.objectContaining({ code: 'EMPTY_FRAME' }) as ProtocolError);
    expect(run([1, 0, 6, 3, 0, 1])).toThrow(expect.objectContaining({ code: 'TRUNCATED_FRAME' }) as ProtocolError);
    expect(run([1, 0, 7, 9])).toThrow(expect.objectContaining({ code: 'TRUNCATED_FRAME' }) as ProtocolError);
    expect(seen).toEqual([[5], [6], [7]]);
  });
});
