import { describe, expect, it } from 'vitest';
import { BYE_FRAME, BYE_PAYLOAD, MAX_PAYLOAD_BYTES, isByePayload } from '../../../src/protocols/masep/index.js';

describe('masep frame constants', () => {
  it('spell BYE as the spec does', () => {
    expect([...BYE_FRAME]).toEqual([0x03, 0x00, 0x42, 0x59, 0x45]);
    expect(Buffer.from(BYE_PAYLOAD).toString('latin1')).toBe('BYE');
    expect(MAX_PAYLOAD_BYTES).toBe(65_535);
  });

  it.each<[string, number[], boolean]>([
    ['BYE', [0x42, 0x59, 0x45], true],
    ['bye', [0x62, 0x79, 0x65], false],
    ['BYE\\n', [0x42, 0x59, 0x45, 0x0a], false],
    ['BY', [0x42, 0x59], false],
  ])('isByePayload(%s) is %s', (_, bytes, expected) => {
    expect(isByePayload(Uint8Array.from(bytes))).toBe(expected);
  });
});
