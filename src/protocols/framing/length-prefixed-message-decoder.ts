import type { LengthPrefixedDecoder } from './length-prefixed.js';
import { MessageDecoder } from './message-decoder.js';

/**
 * A protocol's decoder over length-prefixed frames, one message per frame body: a protocol only
 * says what one body is (`decodeFrame`). A `ProtocolError` thrown there (a bad handshake frame, a
 * bad message the protocol treats as fatal) ends the stream: the decoder is poisoned.
 */
export abstract class LengthPrefixedMessageDecoder<T> extends MessageDecoder<T> {
  constructor(frames: LengthPrefixedDecoder) {
    super(frames);
  }
}
