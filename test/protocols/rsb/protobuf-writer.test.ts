import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtobufWriter, varint32Size, varint64Size } from '../../../src/protocols/rsb/protobuf-writer.js';

function written(write: (w: ProtobufWriter) => void): number {
  const w = new ProtobufWriter(new Uint8Array(16), 0);
  write(w);
  return w.pos;
}

describe('protobuf varint sizes', () => {
  it('predict exactly the bytes the writer writes, at every 7-bit boundary and in between', () => {
    const edges = [0, 1, 127, 128, 2 ** 14 - 1, 2 ** 14, 2 ** 32 - 1, 2 ** 32, 2 ** 35 - 1, 2 ** 35, 2 ** 42 - 1, 2 ** 42, 2 ** 49 - 1, 2 ** 49, Number.MAX_SAFE_INTEGER, -1, -(2 ** 40), Number.MIN_SAFE_INTEGER];
    for (const v of edges) expect(varint64Size(v), String(v)).toBe(written((w) => w.varint64(v)));
    fc.assert(fc.property(fc.maxSafeInteger(), (v) => varint64Size(v) === written((w) => w.varint64(v))));
    fc.assert(fc.property(fc.nat({ max: 0xffffffff }), (v) => varint32Size(v) === written((w) => w.varint32(v))));
  });

  it('write short and long raw runs the same way', () => {
    for (const length of [0, 1, 16, 32, 33, 200]) {
      const source = Uint8Array.from({ length }, (_, i) => (i * 37) & 0xff);
      const w = new ProtobufWriter(new Uint8Array(length + 3), 3);
      w.raw(source);
      expect(w.pos).toBe(length + 3);
      expect([...w.bytes.subarray(3)]).toEqual([...source]);
    }
  });
});
