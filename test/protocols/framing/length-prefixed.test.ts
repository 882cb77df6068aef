import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../src/protocols/errors.js';
import { splitAt } from '../../helpers/split.js';
import {
  DECIMAL_10,
  LengthPrefixedDecoder,
  LengthPrefixedEncoder,
  UINT16_LE,
  UINT32_LE,
  type LengthHeader,
} from '../../../src/protocols/framing/index.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function decodeAll(header: LengthHeader, chunks: Uint8Array[], maxFrameBytes = 1 << 20): string[] {
  const decoder = new LengthPrefixedDecoder(header, { maxFrameBytes });
  const frames: string[] = [];
  for (const chunk of chunks) decoder.push(chunk, (frame) => frames.push(hex(frame)));
  return frames;
}

describe.each([
  ['uint16le', UINT16_LE],
  ['uint32le', UINT32_LE],
  ['decimal10', DECIMAL_10],
] as const)('length-prefixed framing with %s headers', (_name, header) => {
  const encoder = new LengthPrefixedEncoder(header);

  it('gives the same frames for any split of the stream', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 20 }), (bodies, cuts) => {
        const stream = Buffer.concat(bodies.map((b) => encoder.encode(b)));
        expect(decodeAll(header, splitAt(stream, cuts))).toEqual(bodies.map(hex));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('throws only ProtocolError on random garbage, and stays failed afterwards', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        const decoder = new LengthPrefixedDecoder(header, { maxFrameBytes: 100, emptyFrames: 'reject' });
        let failure: unknown;
        for (const chunk of chunks) {
          try {
            decoder.push(chunk, () => undefined);
          } catch (err) {
            expect(err).toBeInstanceOf(ProtocolError);
            if (failure) expect(err).toBe(failure);
            failure = err;
          }
        }
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it('rejects a length over the limit before allocating the body', () => {
    const decoder = new LengthPrefixedDecoder(header, { maxFrameBytes: 10 });
    const headerOnly = encoder.encode(new Uint8Array(11)).subarray(0, header.size);
    expect(() => decoder.push(headerOnly, () => undefined)).toThrowError(expect.objectContaining({ code: 'FRAME_TOO_LARGE' }));
  });

  it('reports the bytes of an incomplete frame at the end of the stream', () => {
    const decoder = new LengthPrefixedDecoder(header, { maxFrameBytes: 100 });
    const frame = encoder.encode(new Uint8Array([1, 2, 3]));
    decoder.push(frame.subarray(0, frame.length - 1), () => expect.fail('no frame expected'));
    expect(decoder.pendingBytes).toBe(frame.length - 1);
    expect(decoder.end()).toBe(frame.length - 1);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('delivers or rejects empty frames as configured', () => {
    const empty = encoder.encode(new Uint8Array(0));
    expect(decodeAll(header, [empty])).toEqual(['']);
    const strict = new LengthPrefixedDecoder(header, { maxFrameBytes: 100, emptyFrames: 'reject' });
    expect(() => strict.push(empty, () => undefined)).toThrowError(expect.objectContaining({ code: 'EMPTY_FRAME' }));
  });
});

describe('length headers on the wire', () => {
  it('writes the byte layouts of the specs', () => {
    const body = Buffer.from('BYE');
    expect(hex(new LengthPrefixedEncoder(UINT16_LE).encode(body))).toBe('0300425945');
    expect(hex(new LengthPrefixedEncoder(UINT32_LE).encode(new Uint8Array(258))).slice(0, 10)).toBe('0201000000');
    expect(Buffer.from(new LengthPrefixedEncoder(DECIMAL_10).encode(Buffer.from('"OK"'))).toString()).toBe('0000000004"OK"');
    expect(Buffer.from(new LengthPrefixedEncoder(DECIMAL_10).encode(Buffer.from('{"command": "done"}'))).toString()).toBe(
      '0000000019{"command": "done"}',
    );
  });

  it('reads 4-byte lengths above 2^31 as unsigned', () => {
    expect(UINT32_LE.read(Uint8Array.from([0xff, 0xff, 0xff, 0xff]), 0)).toBe(0xffffffff);
    expect(UINT32_LE.read(Uint8Array.from([0x00, 0x00, 0x00, 0x80]), 0)).toBe(0x80000000);
  });

  it('refuses to encode a body the header cannot express', () => {
    expect(() => new LengthPrefixedEncoder(UINT16_LE).encode(new Uint8Array(65536))).toThrowError(
      expect.objectContaining({ code: 'FRAME_TOO_LARGE' }),
    );
  });

  it.each([
    ['0000000004', 4],
    ['        12', 12],
    ['12        ', 12],
    ['+000000012', 12],
    ['1_000     ', 1000],
    ['\t00000007\n', 7],
  ])('reads the decimal header %j as Python int() does', (text, expected) => {
    expect(DECIMAL_10.read(Buffer.from(text, 'latin1'), 0)).toBe(expected);
  });

  it.each(['-000000001', '00000000x1', '          ', '1__0000000', '_100000000', '100000000_', '0x0000000a', '+-00000001'])(
    'rejects the decimal header %j',
    (text) => {
      expect(() => DECIMAL_10.read(Buffer.from(text, 'latin1'), 0)).toThrowError(expect.objectContaining({ code: 'BAD_HEADER' }));
    },
  );
});
