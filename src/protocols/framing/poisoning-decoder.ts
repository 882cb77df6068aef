import { ProtocolError } from '../errors.js';
import type { FrameDecoder, FrameSink } from './types.js';

/**
 * Base of every decoder, the framing layer's and the protocols' alike: once `consume` has thrown a
 * `ProtocolError` (its own, or one its sink threw while it delivered a frame), every later `push`
 * rethrows it, so a stream is never resynchronised on garbage by accident.
 */
export abstract class PoisoningDecoder<T = Uint8Array> implements FrameDecoder<T> {
  private failure: ProtocolError | undefined;

  abstract readonly pendingBytes: number;
  abstract end(): number;
  protected abstract consume(chunk: Uint8Array, sink: FrameSink<T>): void;

  push(chunk: Uint8Array, sink: FrameSink<T>): void {
    if (this.failure) throw this.failure;
    try {
      this.consume(chunk, sink);
    } catch (err) {
      if (err instanceof ProtocolError) this.failure = err;
      throw err;
    }
  }
}
