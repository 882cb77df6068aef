import { createHash, randomUUID } from 'node:crypto';
import { RsbError } from './errors.js';

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Parses a UUID in its canonical text form (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, any case)
 * into its 16 bytes in RFC 4122 (big-endian) order, the layout RSB puts on the wire (Python's
 * `uuid.bytes`). Throws `RSB_BAD_SENDER_ID` for anything else.
 */
export function uuidToBytes(text: string): Uint8Array {
  if (!UUID_TEXT.test(text)) throw new RsbError('RSB_BAD_SENDER_ID', `not a UUID: ${JSON.stringify(text)}`);
  return Uint8Array.from(Buffer.from(text.replace(/-/g, ''), 'hex'));
}

/** Formats 16 UUID bytes (RFC 4122 order) as lower-case canonical text, like Python's `str(uuid)`. */
export function uuidToString(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RsbError('RSB_BAD_SENDER_ID', `a UUID has 16 bytes, not ${bytes.length}`);
  let text = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text += '-';
    text += HEX[bytes[i]];
  }
  return text;
}

/** A fresh random (version 4) UUID as 16 bytes: what every RSB participant uses as its id. */
export function randomUuidBytes(): Uint8Array {
  return uuidToBytes(randomUUID());
}

/**
 * A name-based version 5 UUID (RFC 4122 §4.3): SHA-1 over the 16 namespace bytes followed by
 * `name`, truncated to 16 bytes, with the version nibble set to 5 and the variant bits to `10`.
 * Equivalent to Python's `uuid.uuid5(namespace, name)`.
 */
export function uuidV5(namespace: Uint8Array, name: Uint8Array): Uint8Array {
  if (namespace.length !== 16) {
    throw new RsbError('RSB_BAD_SENDER_ID', `a UUID namespace has 16 bytes, not ${namespace.length}`);
  }
  const digest = createHash('sha1').update(namespace).update(name).digest();
  const out = Uint8Array.from(digest.subarray(0, 16));
  out[6] = (out[6] & 0x0f) | 0x50;
  out[8] = (out[8] & 0x3f) | 0x80;
  return out;
}
