import { ActorwireError } from '../errors.js';

/**
 * Stable codes of {@link ProtocolError}. Protocol-specific codes are added by the protocols that
 * raise them and documented next to their decoders.
 */
export type ProtocolErrorCode =
  /** A length prefix or line promised more bytes than the configured maximum. */
  | 'FRAME_TOO_LARGE'
  /** A length prefix of zero where the protocol forbids empty frames. */
  | 'EMPTY_FRAME'
  /** A header that is not a valid length (e.g. non-digits in a decimal header). */
  | 'BAD_HEADER'
  /** The stream ended in the middle of a frame. */
  | 'TRUNCATED_FRAME'
  /** A handshake or hello that does not match what the protocol expects. */
  | 'BAD_HANDSHAKE'
  /** A line longer than the configured maximum (delimiter-terminated framing). */
  | 'LINE_TOO_LONG'
  /** A frame whose body cannot be decoded into a message. */
  | 'MALFORMED_MESSAGE'
  /** A frame was started but not completed in the time the connection allows (`frameTimeoutMs`). */
  | 'FRAME_TIMEOUT'
  | (string & {});

/**
 * Raised by decoders and codecs in `src/protocols` for bytes that break the wire format.
 * Decoders throw nothing else; connection actors turn it into an error reply or a closed
 * connection, never an uncaught exception.
 */
export class ProtocolError extends ActorwireError {
  declare readonly code: ProtocolErrorCode;

  constructor(code: ProtocolErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}
