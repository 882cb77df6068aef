import { ProtocolError } from '../errors.js';
import type { LengthHeader } from './length-header.js';
import { PoisoningDecoder } from './poisoning-decoder.js';
import type { FrameEncoder, FrameSink, FramingLimits } from './types.js';

const EMPTY = new Uint8Array(0);

/** Options of {@link LengthPrefixedDecoder}. */
export interface LengthPrefixedDecoderOptions extends FramingLimits {
  /**
   * What a header announcing 0 bytes means: `deliver` an empty frame, or `reject` it with
   * `EMPTY_FRAME` (pymasep and RSB never send one; their peers treat it as breakage).
   * Default `deliver`.
   */
  emptyFrames?: 'deliver' | 'reject';
}

/**
 * Incremental decoder for `header | body` frames whose header holds the body length.
 * The announced length is checked against `maxFrameBytes` before a buffer is allocated, and a
 * frame that arrives inside one chunk is handed out as a zero-copy view.
 */
export class LengthPrefixedDecoder extends PoisoningDecoder {
  private readonly header: LengthHeader;
  private readonly maxFrameBytes: number;
  private readonly rejectEmpty: boolean;
  private readonly headerBytes: Uint8Array;
  private headerFill = 0;
  /** Length of the body being assembled, or -1 while reading a header. */
  private bodyLength = -1;
  private body: Uint8Array = EMPTY;
  private bodyFill = 0;

  constructor(header: LengthHeader, options: LengthPrefixedDecoderOptions) {
    super();
    if (!(options.maxFrameBytes >= 0)) throw new RangeError('maxFrameBytes must be >= 0');
    this.header = header;
    this.maxFrameBytes = Math.min(options.maxFrameBytes, header.maxLength);
    this.rejectEmpty = options.emptyFrames === 'reject';
    this.headerBytes = new Uint8Array(header.size);
  }

  get pendingBytes(): number {
    return this.bodyLength < 0 ? this.headerFill : this.header.size + this.bodyFill;
  }

  end(): number {
    const pending = this.pendingBytes;
    this.headerFill = 0;
    this.bodyLength = -1;
    this.body = EMPTY;
    this.bodyFill = 0;
    return pending;
  }

  protected consume(chunk: Uint8Array, sink: FrameSink<Uint8Array>): void {
    const size = this.header.size;
    const end = chunk.length;
    let pos = 0;
    while (pos < end) {
      if (this.bodyLength < 0) {
        let length: number;
        if (this.headerFill === 0 && end - pos >= size) {
          length = this.header.read(chunk, pos);
          pos += size;
        } else {
          const take = Math.min(size - this.headerFill, end - pos);
          this.headerBytes.set(chunk.subarray(pos, pos + take), this.headerFill);
          this.headerFill += take;
          pos += take;
          if (this.headerFill < size) return;
          this.headerFill = 0;
          length = this.header.read(this.headerBytes, 0);
        }
        this.check(length);
        if (end - pos >= length) {
          const frame = length === 0 ? EMPTY : chunk.subarray(pos, pos + length);
          pos += length;
          sink(frame);
          continue;
        }
        this.bodyLength = length;
        this.body = new Uint8Array(length);
        this.bodyFill = 0;
      }
      const take = Math.min(this.bodyLength - this.bodyFill, end - pos);
      this.body.set(chunk.subarray(pos, pos + take), this.bodyFill);
      this.bodyFill += take;
      pos += take;
      if (this.bodyFill === this.bodyLength) {
        const frame = this.body;
        this.body = EMPTY;
        this.bodyLength = -1;
        sink(frame);
      }
    }
  }

  private check(length: number): void {
    if (length > this.maxFrameBytes) {
      throw new ProtocolError(
        'FRAME_TOO_LARGE',
        `${this.header.name} header announces ${length} bytes, more than the limit of ${this.maxFrameBytes}`,
      );
    }
    if (length === 0 && this.rejectEmpty) {
      throw new ProtocolError('EMPTY_FRAME', `${this.header.name} header announces an empty frame`);
    }
  }
}

/** Encoder for `header | body` frames. */
export class LengthPrefixedEncoder implements FrameEncoder {
  private readonly header: LengthHeader;
  private readonly maxFrameBytes: number;

  constructor(header: LengthHeader, options?: Partial<FramingLimits>) {
    this.header = header;
    this.maxFrameBytes = Math.min(options?.maxFrameBytes ?? header.maxLength, header.maxLength);
  }

  frameLength(bodyLength: number): number {
    if (bodyLength > this.maxFrameBytes) {
      throw new ProtocolError(
        'FRAME_TOO_LARGE',
        `cannot frame ${bodyLength} bytes with a ${this.header.name} header (limit ${this.maxFrameBytes})`,
      );
    }
    return this.header.size + bodyLength;
  }

  encodeInto(body: Uint8Array, target: Uint8Array, offset: number): number {
    this.frameLength(body.length);
    this.header.write(body.length, target, offset);
    target.set(body, offset + this.header.size);
    return offset + this.header.size + body.length;
  }

  encode(body: Uint8Array): Uint8Array {
    const out = Buffer.allocUnsafe(this.frameLength(body.length));
    this.encodeInto(body, out, 0);
    return out;
  }
}

/**
 * Calls `each` with the body of every `header | body` frame of a complete buffer, in order (views,
 * not copies), and returns how many there were: for containers that carry whole frames back to
 * back, such as one NATS message holding several RSB notifications. Throws a `ProtocolError` at
 * the first frame that is empty (`EMPTY_FRAME`) or runs past the end (`TRUNCATED_FRAME`); the
 * frames before it have been handed out.
 */
export function forEachLengthPrefixed(payload: Uint8Array, header: LengthHeader, each: (body: Uint8Array) => void): number {
  const end = payload.length;
  const size = header.size;
  let at = 0;
  let count = 0;
  while (at < end) {
    if (end - at < size) throw new ProtocolError('TRUNCATED_FRAME', `${end - at} trailing bytes after ${count} frames`);
    const length = header.read(payload, at);
    const start = at + size;
    if (length === 0) throw new ProtocolError('EMPTY_FRAME', `empty frame after ${count} frames`);
    if (length > end - start) throw new ProtocolError('TRUNCATED_FRAME', `frame of ${length} bytes with ${end - start} left after ${count} frames`);
    at = start + length;
    count++;
    each(payload.subarray(start, at));
  }
  return count;
}
