import { ProtocolError } from '../errors.js';
import { PoisoningDecoder } from './poisoning-decoder.js';
import type { FrameEncoder, FrameSink } from './types.js';

/** Options of {@link DelimitedDecoder}. */
export interface DelimitedDecoderOptions {
  /** Terminating byte; default 0x0A (LF). It is not part of the frames. */
  delimiter?: number;
  /** Longest line accepted, without the delimiter. */
  maxFrameBytes: number;
  /**
   * Called, when given, for a line longer than `maxFrameBytes` once its delimiter arrives, with
   * the line's total length; its bytes are discarded and decoding goes on with the next line.
   * Without it an over-long line throws `LINE_TOO_LONG` as soon as the limit is passed.
   */
  onOversizedLine?: (lineLength: number) => void;
}

/**
 * Incremental decoder for delimiter-terminated lines. A line is every byte before the next
 * delimiter; nothing is trimmed or decoded. Partial lines are held in one growing buffer, never
 * larger than `maxFrameBytes`.
 */
export class DelimitedDecoder extends PoisoningDecoder {
  private readonly delimiter: number;
  private readonly maxFrameBytes: number;
  private readonly onOversizedLine: ((lineLength: number) => void) | undefined;
  private partial: Uint8Array = new Uint8Array(0);
  private partialFill = 0;
  /** Bytes of the current over-long line seen so far, or -1 while the line is within bounds. */
  private overflowLength = -1;

  constructor(options: DelimitedDecoderOptions) {
    super();
    this.delimiter = options.delimiter ?? 0x0a;
    this.maxFrameBytes = options.maxFrameBytes;
    this.onOversizedLine = options.onOversizedLine;
  }

  get pendingBytes(): number {
    return this.overflowLength >= 0 ? this.overflowLength : this.partialFill;
  }

  end(): number {
    const pending = this.pendingBytes;
    this.partialFill = 0;
    this.overflowLength = -1;
    return pending;
  }

  protected consume(chunk: Uint8Array, sink: FrameSink<Uint8Array>): void {
    const end = chunk.length;
    let pos = 0;
    while (pos < end) {
      const stop = chunk.indexOf(this.delimiter, pos);
      const segmentEnd = stop < 0 ? end : stop;
      const segmentLength = segmentEnd - pos;
      if (this.overflowLength >= 0) {
        this.overflowLength += segmentLength;
        if (stop < 0) return;
        const dropped = this.overflowLength;
        this.overflowLength = -1;
        pos = stop + 1;
        this.onOversizedLine?.(dropped);
        continue;
      }
      const lineLength = this.partialFill + segmentLength;
      if (lineLength > this.maxFrameBytes) {
        if (!this.onOversizedLine) {
          throw new ProtocolError(
            'LINE_TOO_LONG',
            `line exceeds the limit of ${this.maxFrameBytes} bytes without a terminator`,
          );
        }
        this.overflowLength = lineLength;
        this.partialFill = 0;
        pos = segmentEnd;
        continue;
      }
      if (stop < 0) {
        this.append(chunk, pos, end);
        return;
      }
      let line: Uint8Array;
      if (this.partialFill === 0) {
        line = chunk.subarray(pos, stop);
      } else {
        this.append(chunk, pos, stop);
        line = this.partial.slice(0, this.partialFill);
        this.partialFill = 0;
      }
      pos = stop + 1;
      sink(line);
    }
  }

  private append(chunk: Uint8Array, from: number, to: number): void {
    const needed = this.partialFill + (to - from);
    if (needed > this.partial.length) {
      const grown = new Uint8Array(Math.min(this.maxFrameBytes, Math.max(needed, this.partial.length * 2, 256)));
      grown.set(this.partial.subarray(0, this.partialFill));
      this.partial = grown;
    }
    this.partial.set(chunk.subarray(from, to), this.partialFill);
    this.partialFill = needed;
  }
}

/** Encoder for delimiter-terminated lines; the caller guarantees the body holds no delimiter. */
export class DelimitedEncoder implements FrameEncoder {
  private readonly delimiter: number;

  constructor(delimiter = 0x0a) {
    this.delimiter = delimiter;
  }

  frameLength(bodyLength: number): number {
    return bodyLength + 1;
  }

  encodeInto(body: Uint8Array, target: Uint8Array, offset: number): number {
    target.set(body, offset);
    target[offset + body.length] = this.delimiter;
    return offset + body.length + 1;
  }

  encode(body: Uint8Array): Uint8Array {
    const out = Buffer.allocUnsafe(body.length + 1);
    this.encodeInto(body, out, 0);
    return out;
  }
}
