import type { LengthPrefixedDecoder } from './length-prefixed.js';
import { PoisoningDecoder } from './poisoning-decoder.js';
import type { FrameSink } from './types.js';

/**
 * A protocol's decoder over length-prefixed frames, one message per frame body: the framing, the
 * delivery and the poisoning live here, and a protocol only says what one body is
 * ({@link decodeBody}). A `ProtocolError` thrown there (a bad handshake frame, a bad message the
 * protocol treats as fatal) ends the stream: the decoder is poisoned.
 */
export abstract class LengthPrefixedMessageDecoder<T> extends PoisoningDecoder<T> {
  private sink: FrameSink<T> | undefined;
  // Made once per decoder, not per chunk.
  private readonly onBody = (body: Uint8Array): void => this.sink!(this.decodeBody(body));

  constructor(private readonly frames: LengthPrefixedDecoder) {
    super();
  }

  get pendingBytes(): number {
    return this.frames.pendingBytes;
  }

  end(): number {
    return this.frames.end();
  }

  protected consume(chunk: Uint8Array, sink: FrameSink<T>): void {
    this.sink = sink;
    this.frames.push(chunk, this.onBody);
  }

  /** The message one frame body holds; throws a `ProtocolError` when the stream cannot go on. */
  protected abstract decodeBody(body: Uint8Array): T;
}
