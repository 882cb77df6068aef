import { describe, expect, it } from 'vitest';
import { LineMessageDecoder, ProtocolError, type LineMessageDecoderOptions } from '../../../src/index.js';

/** Lines as text; a line `bad` is a fatal error of the protocol; an over-long line is `<n too long>`. */
class TextLines extends LineMessageDecoder<string> {
  constructor(options: Partial<LineMessageDecoderOptions> = {}) {
    super({ maxFrameBytes: 8, ...options });
  }

  protected decodeFrame(line: Uint8Array): string {
    const text = Buffer.from(line).toString('latin1');
    if (text === 'bad') throw new ProtocolError('MALFORMED_MESSAGE', 'a bad line');
    return text;
  }

  protected override decodeOversizedLine(length: number): string {
    return `<${length} too long>`;
  }
}

function decode(decoder: TextLines, chunks: string[]): string[] {
  const out: string[] = [];
  for (const chunk of chunks) decoder.push(Buffer.from(chunk, 'latin1'), (line) => out.push(line));
  return out;
}

describe('LineMessageDecoder', () => {
  it('gives one message per line, whatever the split', () => {
    const stream = 'ping\nhello\n\nx';
    const whole = decode(new TextLines(), [stream]);
    expect(whole).toEqual(['ping', 'hello', '']);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(decode(new TextLines(), [stream.slice(0, cut), stream.slice(cut)])).toEqual(whole);
    }
  });

  it('delivers an over-long line as the message for its length, then goes on, with oversizedLines deliver', () => {
    const decoder = new TextLines({ oversizedLines: 'deliver' });
    expect(decode(decoder, ['0123456789', 'ab\nok\n'])).toEqual(['<12 too long>', 'ok']);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('fails the stream with LINE_TOO_LONG by default, and stays failed', () => {
    const decoder = new TextLines();
    expect(() => decode(decoder, ['0123456789'])).toThrow(expect.objectContaining({ code: 'LINE_TOO_LONG' }));
    expect(() => decode(decoder, ['ok\n'])).toThrow(expect.objectContaining({ code: 'LINE_TOO_LONG' }));
  });

  it('is poisoned by a ProtocolError from decodeFrame: the lines after it are never delivered', () => {
    const decoder = new TextLines();
    const out: string[] = [];
    expect(() => decoder.push(Buffer.from('a\nbad\nb\n'), (line) => out.push(line))).toThrow(ProtocolError);
    expect(() => decoder.push(Buffer.from('c\n'), (line) => out.push(line))).toThrow('a bad line');
    expect(out).toEqual(['a']);
  });
});
