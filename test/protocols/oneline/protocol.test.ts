import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OnelineCommand } from '../../../src/protocols/oneline/command.js';
import { splitAt } from '../../helpers/split.js';
import { encodeLine, onelineClientProtocol, onelineServerProtocol } from '../../../src/protocols/oneline/protocol.js';

function commands(chunks: Uint8Array[], options = {}): OnelineCommand[] {
  const decoder = onelineServerProtocol(options).createDecoder();
  const out: OnelineCommand[] = [];
  for (const chunk of chunks) decoder.push(chunk, (c) => out.push(c));
  return out;
}

describe('socket-oneline protocol', () => {
  it('encodes responses as UTF-8 plus 0x0A, as the original sends them', () => {
    expect(Buffer.from(encodeLine('pong')).toString('hex')).toBe('706f6e670a');
    expect(Buffer.from(encodeLine('café')).toString('hex')).toBe('636166c3a90a');
    expect(Buffer.from(encodeLine('a\nb')).toString('hex')).toBe('610a620a');
    expect(Buffer.from(encodeLine('')).toString('hex')).toBe('0a');
  });

  it('hands out no shared buffer: encodeLine gives a new one each call, a protocol value reuses its own frames only', () => {
    const a = encodeLine('pong');
    a[0] = 0x21;
    expect(Buffer.from(encodeLine('pong')).toString()).toBe('pong\n');
    const server = onelineServerProtocol();
    expect(server.encode('pong')).toBe(server.encode('pong'));
    expect(onelineServerProtocol().encode('pong')).not.toBe(server.encode('pong'));
    expect(onelineClientProtocol().encode('pong')).not.toBe(server.encode('pong'));
  });

  it('decodes E2 and E4 of the spec', () => {
    expect(commands([Buffer.from('6162c3ad63640a', 'hex')])).toEqual([{ text: 'abcd', invalid: true, problem: 'NON_ASCII', byteLength: 6 }]);
    expect(commands([Buffer.from('70696e670d0a', 'hex')])).toEqual([{ text: 'ping\r', invalid: false, byteLength: 5 }]);
  });

  it('drops one CR before LF only when asked to', () => {
    expect(commands([Buffer.from('ping\r\n\r\r\n')], { acceptCrlf: true }).map((c) => c.text)).toEqual(['ping', '\r']);
  });

  it('turns an over-long line into one invalid LINE_TOO_LONG command and goes on', () => {
    const long = Buffer.alloc(70_000, 0x61);
    const got = commands([Buffer.from('a\n'), long.subarray(0, 30_000), long.subarray(30_000), Buffer.from('\nping\n')]);
    expect(got).toEqual([
      { text: 'a', invalid: false, byteLength: 1 },
      { text: '', invalid: true, problem: 'LINE_TOO_LONG', byteLength: 70_000 },
      { text: 'ping', invalid: false, byteLength: 4 },
    ]);
  });

  it('decodes the same commands for any chunking, and never throws on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(), { maxLength: 40 }), (stream, cuts) => {
        const chunks = splitAt(stream, cuts);
        const options = { maxLineBytes: 64 };
        expect(commands(chunks, options)).toEqual(commands([stream], options));
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('client side: decodes response lines as UTF-8 without stripping', () => {
    const decoder = onelineClientProtocol().createDecoder();
    const lines: string[] = [];
    decoder.push(Buffer.from(' pong \r\ncaf\xc3\xa9\n', 'latin1'), (l) => lines.push(l));
    expect(lines).toEqual([' pong \r', 'café']);
  });
});
