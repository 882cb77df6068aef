import { describe, expect, it } from 'vitest';
import { asciiCommandText, decodeResponseLine, pythonStrip } from '../../../src/protocols/oneline/text.js';

describe('asciiCommandText (the original command string)', () => {
  it.each([
    ['70696e67', 'ping', false],
    ['6162c3ad6364', 'abcd', true], // tp-002: "ab\u00edcd" arrives as "abcd", flagged
    ['efbbbf70696e67', 'ping', true], // a BOM is dropped byte by byte
    ['7069ff6e67', 'ping', true],
    ['0070696e670d', '\0ping\r', false], // NUL and CR are kept
    ['', '', false],
  ])('%s gives %j (dropped: %s)', (hex, text, dropped) => {
    expect(asciiCommandText(Buffer.from(hex, 'hex'))).toEqual({ text, dropped });
  });

  it('works on plain Uint8Arrays as well as Buffers', () => {
    expect(asciiCommandText(Uint8Array.from([0x61, 0x80, 0x62]))).toEqual({ text: 'ab', dropped: true });
  });
});

describe('pythonStrip (what the original client does to every response)', () => {
  it.each([
    ['  pong \r', 'pong'],
    ['\x1c\x1dpong\x1e\x1f', 'pong'], // str.isspace() separators, which String.trim keeps
    ['\x85pong\xa0', 'pong'],
    ['\ufeffpong', '\ufeffpong'], // a BOM is not whitespace to Python
    ['\u3000pong\u2029', 'pong'],
    ['a b', 'a b'],
    ['', ''],
  ])('%j -> %j', (input, output) => {
    expect(pythonStrip(input)).toBe(output);
  });
});

describe('decodeResponseLine', () => {
  it('decodes UTF-8 and replaces invalid sequences instead of raising', () => {
    expect(decodeResponseLine(Buffer.from('636166c3a9', 'hex'))).toBe('café');
    expect(decodeResponseLine(Uint8Array.from([0x61, 0xff, 0x62]))).toBe('a\ufffdb');
  });
});
