import { ProtocolError, type ProtocolErrorCode } from '../errors.js';

/**
 * Stable codes of {@link MasepError}, on top of the shared codes of {@link ProtocolError}
 * (`FRAME_TOO_LARGE`, `EMPTY_FRAME`, `BAD_HANDSHAKE`, `MALFORMED_MESSAGE`) that the masep layer
 * also raises.
 *
 * Fatal for a connection (thrown by the frame decoder, which is then poisoned): `FRAME_TOO_LARGE`,
 * `EMPTY_FRAME`, `BAD_HANDSHAKE`. Every other code concerns one message only and reaches the
 * connection as a `malformed` frame (see `MasepFrame`).
 */
export type MasepErrorCode =
  | ProtocolErrorCode
  /** A hello ident that is empty, too long, not UTF-8 or holds control characters. */
  | 'MASEP_BAD_IDENT'
  /** The XML document carries a DOCTYPE or an entity declaration (never accepted). */
  | 'MASEP_XML_DOCTYPE'
  /** Well-formed XML whose root is not a valid `Message` (missing `msg_type`/`src_sub_app`, ...). */
  | 'MASEP_BAD_ENVELOPE'
  /** The `Message` params are not a `<dict>`. */
  | 'MASEP_BAD_PARAMS'
  /** A value element that breaks the value codec (bad int or float, item without child, ...). */
  | 'MASEP_BAD_VALUE'
  /** A domain object element missing a required attribute or child, or with a bad attribute. */
  | 'MASEP_BAD_OBJECT'
  /** A class or game name that the allow-list registry does not hold. */
  | 'MASEP_UNKNOWN_NAME'
  /** A value that cannot be written (non-integral int, non-XML character, nested too deep, ...). */
  | 'MASEP_UNENCODABLE'
  /** A discovery datagram that is not a valid query or reply. */
  | 'MASEP_BAD_DISCOVERY';

/**
 * Raised by the masep codecs. A subclass of {@link ProtocolError}, so code that only knows the
 * shared layer still catches it.
 *
 * @example
 * ```ts
 * try { decodeMessage(bytes); }
 * catch (err) { if (err instanceof MasepError && err.code === 'MASEP_BAD_PARAMS') { ... } }
 * ```
 */
export class MasepError extends ProtocolError {
  declare readonly code: MasepErrorCode;

  constructor(code: MasepErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}
