import { PoisoningDecoder } from './poisoning-decoder.js';
import type { FrameDecoder, FrameSink } from './types.js';

/**
 * A protocol's decoder over a framing decoder, one message per frame: the framing, the delivery
 * and the poisoning live here, and a protocol says what one frame is ({@link decodeFrame}). A
 * `ProtocolError` thrown there ends the stream: the decoder is poisoned. The two framings every
 * protocol so far uses have their own subclasses: `LengthPrefixedMessageDecoder` and
 * `LineMessageDecoder`.
 */
export abstract class MessageDecoder<T> extends PoisoningDecoder<T> {
  /** The sink of the push in progress. */
  protected sink: FrameSink<T> | undefined;
  // Made once per decoder, not per chunk.
  private readonly onFrame = (frame: Uint8Array): void => this.sink!(this.decodeFrame(frame));

  constructor(private readonly frames: FrameDecoder<Uint8Array>) {
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
    this.frames.push(chunk, this.onFrame);
  }

  /** The message one frame holds; throws a `ProtocolError` when the stream cannot go on. */
  protected abstract decodeFrame(frame: Uint8Array): T;
}
