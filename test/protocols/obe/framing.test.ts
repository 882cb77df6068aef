import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EncodedJsonBody, encodeObeMessage, ObeFrameDecoder, type ObeFrame } from '../../../src/protocols/obe/index.js';

const ascii = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

function decodeAll(chunks: Uint8Array[], maxBodyBytes?: number): ObeFrame[] {
  const decoder = new ObeFrameDecoder({ maxBodyBytes });
  const frames: ObeFrame[] = [];
  // A rejected body is a view of the chunk or a copy, depending on the split: compare its bytes.
  for (const chunk of chunks) decoder.push(chunk, (f) => frames.push(f.kind === 'rejected' ? { ...f, body: Uint8Array.from(f.body) } : f));
  return frames;
}

describe('OBE framing (spec §4.1)', () => {
  it('writes the wire examples byte for byte', () => {
    expect(text(encodeObeMessage('OK'))).toBe('0000000004"OK"');
    expect(text(encodeObeMessage({ command: 'done' }))).toBe('0000000019{"command": "done"}');
    expect(text(encodeObeMessage([2]))).toBe('0000000005[2.0]');
    expect(text(encodeObeMessage([[1.6666666666666665, 1.3333333333333333], [1.3333333333333333, 1.6666666666666665]]))).toBe(
      '0000000084[[1.6666666666666665, 1.3333333333333333], [1.3333333333333333, 1.6666666666666665]]',
    );
    expect(text(encodeObeMessage(new EncodedJsonBody(ascii('[1.0]'))))).toBe('0000000005[1.0]');
  });

  it('counts bytes, not characters (Q1)', () => {
    // ensure_ascii makes bodies ASCII; a pre-encoded UTF-8 body still gets its byte length.
    expect(text(encodeObeMessage('é'))).toBe('0000000008"\\u00e9"');
    expect(encodeObeMessage(new EncodedJsonBody(Buffer.from('"é"', 'utf8'))).subarray(0, 10)).toEqual(ascii('0000000004'));
  });

  it('reads headers as Python int() does', () => {
    for (const header of ['0000000004', '         4', '4         ', '+000000004', '  +4      ', '00_0000004']) {
      expect(decodeAll([ascii(header + '"OK"')])).toEqual([{ kind: 'json', value: 'OK', byteLength: 4 }]);
    }
  });

  it.each(['-000000004', '000000000x', '          ', '0x00000004', '0000__0004', '4 4       '])('ends the stream on the bad header %j', (header) => {
    const frames = decodeAll([ascii(header + '"OK"0000000004"OK"')]);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ kind: 'broken', error: { code: 'BAD_HEADER' } });
  });

  it('refuses a body over the cap before reading it', () => {
    const frames = decodeAll([ascii('0020000000{"command": ')], 16 * 1024 * 1024);
    expect(frames).toEqual([expect.objectContaining({ kind: 'broken', error: expect.objectContaining({ code: 'FRAME_TOO_LARGE' }) })]);
  });

  it('turns bad bodies into answerable values and goes on', () => {
    const frames = decodeAll([ascii('0000000002\xff\xfe0000000004[1, 0000000004"OK"0000000003NaN')]);
    expect(frames.map((f) => (f.kind === 'json' ? f.value : f.kind === 'rejected' ? f.error.code : f.kind))).toEqual(['INVALID_UTF8', 'INVALID_JSON', 'OK', NaN]);
  });

  it('gives the same frames for any split of the stream', () => {
    const stream = Buffer.concat([
      encodeObeMessage({ command: 'newdat', x: [2.5], y: NaN, s: 0.005 }),
      ascii('0000000003{x}'),
      encodeObeMessage('OK'),
      ascii('   12_3    '),
    ]);
    const whole = decodeAll([stream]);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 12 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), stream.length];
        const chunks = points.slice(1).map((end, i) => stream.subarray(points[i], end));
        expect(decodeAll(chunks)).toEqual(whole);
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 }), fc.constantFrom(...'0123456789 +_-"{}[]'.split('')), (chunks, prefix) => {
        const decoder = new ObeFrameDecoder({ maxBodyBytes: 64 });
        const frames: ObeFrame[] = [];
        decoder.push(ascii(prefix), (f) => frames.push(f));
        for (const chunk of chunks) decoder.push(chunk, (f) => frames.push(f));
        decoder.end();
        // Nothing follows a broken frame.
        const broken = frames.findIndex((f) => f.kind === 'broken');
        expect(broken === -1 || broken === frames.length - 1).toBe(true);
      }),
      { seed: 13, numRuns: 2000 },
    );
  });
});
