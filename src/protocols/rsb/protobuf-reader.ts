import { RsbError } from './errors.js';

/** Protobuf wire types. */
export const WireType = {
  VARINT: 0,
  I64: 1,
  LEN: 2,
  START_GROUP: 3,
  END_GROUP: 4,
  I32: 5,
} as const;

// protobuf's own default recursion limit.
const MAX_GROUP_DEPTH = 100;
const TWO_POW_32 = 4294967296;

function truncated(what: string): RsbError {
  return new RsbError('RSB_TRUNCATED', `protobuf message truncated inside ${what}`);
}

/**
 * A cursor over protobuf wire data, just enough for the RSB messages: varints, length-delimited
 * fields and skipping of unknown fields by protobuf rules. Every error is an {@link RsbError}.
 * The last varint read is left in `lo`/`hi` (two uint32 halves) so nothing is allocated.
 */
export class ProtobufReader {
  /** Low 32 bits (unsigned) of the last varint. */
  lo = 0;
  /** High 32 bits (unsigned) of the last varint. */
  hi = 0;

  constructor(
    public bytes: Uint8Array,
    public pos: number,
    public end: number,
  ) {}

  /** Points this reader at `bytes[pos, end)` (so that a decoder can reuse one for sub-messages). */
  reset(bytes: Uint8Array, pos: number, end: number): this {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
    return this;
  }

  /** True when the cursor reached the end of its range. */
  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Reads a varint of up to 10 bytes into `lo`/`hi`. */
  readVarint(): void {
    const bytes = this.bytes;
    const end = this.end;
    let pos = this.pos;
    let lo = 0;
    let byte: number;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) throw truncated('a varint');
      byte = bytes[pos++];
      lo |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.lo = lo >>> 0;
        this.hi = 0;
        this.pos = pos;
        return;
      }
    }
    if (pos >= end) throw truncated('a varint');
    byte = bytes[pos++];
    lo |= (byte & 0x0f) << 28;
    let hi = (byte & 0x7f) >>> 4;
    if (byte >= 0x80) {
      for (let shift = 3; ; shift += 7) {
        if (shift > 31) throw new RsbError('RSB_BAD_VARINT', 'protobuf varint longer than 10 bytes');
        if (pos >= end) throw truncated('a varint');
        byte = bytes[pos++];
        hi |= (byte & 0x7f) << shift;
        if (byte < 0x80) break;
      }
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    this.pos = pos;
  }

  /**
   * Reads a field tag (`field number << 3 | wire type`). Throws `RSB_BAD_WIRE_TYPE` for field
   * number 0 or wire types 6 and 7.
   */
  readTag(): number {
    const pos = this.pos;
    let tag: number;
    if (pos < this.end && this.bytes[pos] < 0x80) {
      tag = this.bytes[pos];
      this.pos = pos + 1;
    } else {
      this.readVarint();
      if (this.hi !== 0) throw new RsbError('RSB_BAD_WIRE_TYPE', 'protobuf tag out of range');
      tag = this.lo;
    }
    if (tag >>> 3 === 0) throw new RsbError('RSB_BAD_WIRE_TYPE', 'protobuf field number 0');
    if ((tag & 7) > WireType.I32) throw new RsbError('RSB_BAD_WIRE_TYPE', `protobuf wire type ${tag & 7}`);
    return tag;
  }

  /** A uint32 varint field (longer encodings are truncated to 32 bits, as protobuf does). */
  readUint32(): number {
    this.readVarint();
    return this.lo;
  }

  /**
   * An int64 (`signed`) or uint64 varint as an exact JS number. Throws `RSB_BAD_TIMESTAMP` when
   * the value is outside ±(2^53 - 1); `what` names the field.
   */
  readSafeInteger64(signed: boolean, what: string): number {
    this.readVarint();
    const value = (signed ? this.hi | 0 : this.hi) * TWO_POW_32 + this.lo;
    if (!Number.isSafeInteger(value)) {
      throw new RsbError('RSB_BAD_TIMESTAMP', `${what} does not fit a JS number exactly`);
    }
    return value;
  }

  /**
   * Reads the length of a length-delimited field and returns the offset of its first byte; the
   * field ends at the new `pos`. Throws `RSB_TRUNCATED` when it runs past `end`.
   */
  readLengthDelimited(what: string): number {
    this.readVarint();
    const start = this.pos;
    if (this.hi !== 0 || this.lo > this.end - start) throw truncated(what);
    this.pos = start + this.lo;
    return start;
  }

  /** Skips the value of an unknown field whose tag was just read. */
  skip(tag: number, depth = 0): void {
    switch (tag & 7) {
      case WireType.VARINT:
        this.readVarint();
        return;
      case WireType.I64:
        this.advance(8);
        return;
      case WireType.LEN:
        this.readLengthDelimited('an unknown field');
        return;
      case WireType.I32:
        this.advance(4);
        return;
      case WireType.START_GROUP: {
        if (depth >= MAX_GROUP_DEPTH) throw new RsbError('RSB_NESTING_TOO_DEEP', 'protobuf groups nested too deep');
        const field = tag >>> 3;
        for (;;) {
          if (this.done) throw truncated('a group');
          const inner = this.readTag();
          if ((inner & 7) === WireType.END_GROUP) {
            if (inner >>> 3 !== field) throw new RsbError('RSB_BAD_WIRE_TYPE', 'protobuf end-group tag does not match');
            return;
          }
          this.skip(inner, depth + 1);
        }
      }
      default:
        throw new RsbError('RSB_BAD_WIRE_TYPE', `protobuf end-group tag without a group (field ${tag >>> 3})`);
    }
  }

  private advance(count: number): void {
    if (this.end - this.pos < count) throw truncated('a fixed-width field');
    this.pos += count;
  }
}
