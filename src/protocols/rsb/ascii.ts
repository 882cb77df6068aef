import { RsbError } from './errors.js';

// Below this length building the string by hand beats creating a Buffer view.
const SHORT_STRING = 48;

/**
 * Decodes `bytes[start, end)` as ASCII, the codec rsb-python applies to scopes, methods, wire
 * schemas and user-info/user-time keys and values. Any byte >= 0x80 is `RSB_NOT_ASCII`; `what`
 * names the field in the message.
 */
export function decodeAscii(bytes: Uint8Array, start: number, end: number, what: string): string {
  for (let i = start; i < end; i++) {
    if (bytes[i] >= 0x80) {
      throw new RsbError('RSB_NOT_ASCII', `${what} holds the non-ASCII byte 0x${bytes[i].toString(16)}`);
    }
  }
  const length = end - start;
  if (length > SHORT_STRING) {
    return Buffer.from(bytes.buffer, bytes.byteOffset + start, length).toString('latin1');
  }
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]);
  return text;
}

/** Throws `RSB_NOT_ASCII` unless every character of `text` is U+0000..U+007F. */
export function assertAscii(text: string, what: string): void {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 0x80) {
      throw new RsbError('RSB_NOT_ASCII', `${what} ${JSON.stringify(text)} is not pure ASCII`);
    }
  }
}
