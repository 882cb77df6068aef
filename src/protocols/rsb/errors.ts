import { ProtocolError, type ProtocolErrorCode } from '../errors.js';

/**
 * Stable codes of {@link RsbError}, on top of the shared codes of {@link ProtocolError} that the
 * RSB layer also raises (`FRAME_TOO_LARGE`, `EMPTY_FRAME`, `BAD_HANDSHAKE`).
 *
 * Fatal for a connection (thrown by the frame decoder, which is then poisoned): `FRAME_TOO_LARGE`
 * and `EMPTY_FRAME`, plus `BAD_HANDSHAKE` from the connection's preamble check. Every other code
 * concerns one notification or one payload and reaches the connection as a `bad` frame (see
 * `RsbIncoming`) or the caller of a converter.
 */
export type RsbErrorCode =
  | ProtocolErrorCode
  /** A protobuf varint, length-delimited field or fixed-width field runs past the end. */
  | 'RSB_TRUNCATED'
  /** A varint longer than 10 bytes. */
  | 'RSB_BAD_VARINT'
  /** Wire type 6 or 7, a stray end-group, or field number 0. */
  | 'RSB_BAD_WIRE_TYPE'
  /** A known field carried with a wire type other than the one its type demands. */
  | 'RSB_WRONG_WIRE_TYPE'
  /** Groups of unknown fields nested deeper than the decoder follows. */
  | 'RSB_NESTING_TOO_DEEP'
  /** A proto2 `required` field is absent (event_id, its two parts, create/send time, keys, ...). */
  | 'RSB_MISSING_FIELD'
  /** A byte >= 0x80 (or a character > U+007F) where RSB requires ASCII. */
  | 'RSB_NOT_ASCII'
  /** A sender id that is not 16 bytes (or not a UUID string). */
  | 'RSB_BAD_SENDER_ID'
  /** A sequence number outside 0..2^32-1. */
  | 'RSB_BAD_SEQUENCE_NUMBER'
  /** A microsecond timestamp outside the exactly representable range of a JS number (±2^53). */
  | 'RSB_BAD_TIMESTAMP'
  /** A notification without a scope field. */
  | 'RSB_MISSING_SCOPE'
  /** A scope string that breaks `/([-_a-zA-Z0-9]+/)*`. */
  | 'RSB_INVALID_SCOPE'
  /** A payload that its wire schema's converter cannot decode (wrong size, bad UTF-8, ...). */
  | 'RSB_BAD_PAYLOAD'
  /** A value that no converter can encode, or that is out of range for its wire schema. */
  | 'RSB_UNENCODABLE';

/**
 * Raised by the RSB codecs, scopes, event ids and converters. A subclass of
 * {@link ProtocolError}, so code that only knows the shared layer still catches it.
 *
 * @example
 * ```ts
 * try { Scope.parse(text); }
 * catch (err) { if (err instanceof RsbError && err.code === 'RSB_INVALID_SCOPE') { ... } }
 * ```
 */
export class RsbError extends ProtocolError {
  declare readonly code: RsbErrorCode;

  constructor(code: RsbErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}
