import { UINT16_LE } from '../framing/index.js';

/** Largest payload a masep frame can carry: its 2-byte little-endian length header's maximum. */
export const MAX_PAYLOAD_BYTES = UINT16_LE.maxLength;

/** The bye payload, the 3 ASCII bytes `BYE`. */
export const BYE_PAYLOAD: Uint8Array = Uint8Array.of(0x42, 0x59, 0x45);

/** The whole bye frame on the wire: `03 00 42 59 45`. */
export const BYE_FRAME: Uint8Array = Uint8Array.of(0x03, 0x00, 0x42, 0x59, 0x45);

/** Whether `payload` is exactly `BYE` (how pymasep tells a bye from other frames). */
export function isByePayload(payload: Uint8Array): boolean {
  return payload.length === 3 && payload[0] === 0x42 && payload[1] === 0x59 && payload[2] === 0x45;
}
