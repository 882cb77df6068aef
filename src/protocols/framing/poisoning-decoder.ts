import { ProtocolError } from '../errors.js';
import type { FrameDecoder, FrameSink } from './types.js';

/**
 * Base of the framing decoders: once `consume` has thrown a `ProtocolError`, every later `push`
 * rethrows it, so a stream is never resynchronised on garbage by accident.
 */
export abstract class PoisoningDecoder implements FrameDecoder<Uint8Array> {
  private failure: ProtocolError | undefined;

  abstract readonly pendingBytes: number;
  abstract end(): number;
  protected abstract consume(chunk: Uint8Array, sink: FrameSink<Uint8Array>): void;

  push(chunk: Uint8Array, sink: FrameSink<Uint8Array>): void {
    if (this.failure) throw this.failure;
    try {
      this.consume(chunk, sink);
    } catch (err) {
      if (err instanceof ProtocolError) this.failure = err;
      throw err;
    }
  }
}
