import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../src/protocols/errors.js';
import { DelimitedDecoder, DelimitedEncoder } from '../../../src/protocols/framing/index.js';
import { splitAt } from '../../helpers/split.js';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

function linesOf(chunks: Uint8Array[], maxFrameBytes: number, oversized?: number[]): string[] {
  const decoder = new DelimitedDecoder({ maxFrameBytes, onOversizedLine: oversized ? (n) => oversized.push(n) : undefined });
  const lines: string[] = [];
  for (const chunk of chunks) decoder.push(chunk, (line) => lines.push(text(line)));
  return lines;
}

const lineArb = fc.uint8Array({ maxLength: 80 }).map((bytes) => bytes.map((b) => (b === 0x0a ? 0x20 : b)));

describe('delimiter-terminated framing', () => {
  it('gives the same lines for any split of the stream, including one byte at a time', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 10 }), fc.array(fc.nat(), { maxLength: 30 }), (lines, cuts) => {
        const encoder = new DelimitedEncoder();
        const stream = Buffer.concat(lines.map((l) => encoder.encode(l)));
        expect(linesOf(splitAt(stream, cuts), 1000)).toEqual(lines.map(text));
        expect(linesOf([...stream].map((b) => Uint8Array.of(b)), 1000)).toEqual(lines.map(text));
      }),
      { seed: 3, numRuns: 200 },
    );
  });

  it('keeps CR, NUL and empty lines as they are', () => {
    expect(linesOf([Buffer.from('ping\r\n\n\0ping\n')], 100)).toEqual(['ping\r', '', '\0ping']);
  });

  it('throws LINE_TOO_LONG once a line passes the limit without a terminator', () => {
    const decoder = new DelimitedDecoder({ maxFrameBytes: 4 });
    decoder.push(Buffer.from('abcd'), () => undefined);
    expect(decoder.pendingBytes).toBe(4);
    expect(() => decoder.push(Buffer.from('e'), () => undefined)).toThrowError(ProtocolError);
    expect(() => decoder.push(Buffer.from('\n'), () => undefined)).toThrowError(expect.objectContaining({ code: 'LINE_TOO_LONG' }));
  });

  it('can discard an over-long line up to its terminator and go on', () => {
    const oversized: number[] = [];
    const chunks = [Buffer.from('ok\nabc'), Buffer.from('defgh'), Buffer.from('ij\nnext\n')];
    expect(linesOf(chunks, 5, oversized)).toEqual(['ok', 'next']);
    expect(oversized).toEqual([10]);
  });

  it('never buffers more than the limit while discarding', () => {
    const decoder = new DelimitedDecoder({ maxFrameBytes: 8, onOversizedLine: () => undefined });
    for (let i = 0; i < 1000; i++) decoder.push(Buffer.alloc(1024, 0x41), () => undefined);
    expect(decoder.pendingBytes).toBe(1024 * 1000);
    expect((decoder as unknown as { partial: Uint8Array }).partial.length).toBeLessThanOrEqual(8);
  });
});
