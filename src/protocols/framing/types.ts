/**
 * Receives each complete frame a decoder finds, in stream order.
 *
 * Frames are `Uint8Array` views: when a frame lies inside one pushed chunk it is a zero-copy
 * `subarray` of that chunk, otherwise a fresh buffer. Consumers may keep them but must not mutate
 * them (other frames may share the chunk).
 */
export type FrameSink<T> = (frame: T) => void;

/**
 * An incremental decoder: feed it the byte stream in chunks of any size and it calls the sink once
 * per complete frame. Any split of the same stream yields the same frames.
 *
 * A message decoder's frames are `Decoded<T>` values (`../decoded.ts`): a message, or a frame
 * rejected with its error, after which the stream goes on. `push` throws only
 * {@link ProtocolError}, for framing the stream cannot recover from; after a throw the decoder is
 * poisoned and every later `push` rethrows the same error, so a connection can never
 * resynchronise on garbage by accident (`PoisoningDecoder` does this for every decoder built on
 * it). One exception, on purpose: a protocol whose server answers a broken stream with an error
 * reply, in order after the replies it still owes (OBE), has its decoder deliver the failure as
 * its last value and ignore the rest (`ObeFrameDecoder`); the effect on the stream is the same.
 */
export interface FrameDecoder<T = Uint8Array> {
  /** Feed the next chunk of the stream. */
  push(chunk: Uint8Array, sink: FrameSink<T>): void;
  /**
   * Signal end of stream. Returns the number of bytes of an incomplete frame that were pending
   * (0 when the stream ended on a frame boundary); they are discarded.
   */
  end(): number;
  /** Bytes received that do not yet form a complete frame. */
  readonly pendingBytes: number;
}

/** Writes frames: header and body together, so a frame is never split across writes. */
export interface FrameEncoder {
  /** Total bytes on the wire for a body of `bodyLength` bytes. Throws when it cannot be framed. */
  frameLength(bodyLength: number): number;
  /** Writes header and body at `offset` of `target`; returns the offset just after the frame. */
  encodeInto(body: Uint8Array, target: Uint8Array, offset: number): number;
  /** Returns header and body in one new buffer. */
  encode(body: Uint8Array): Uint8Array;
}

/** Size limits a decoder enforces before it allocates anything for a frame. */
export interface FramingLimits {
  /** Largest body (payload without header or delimiter) accepted, in bytes. */
  maxFrameBytes: number;
}
