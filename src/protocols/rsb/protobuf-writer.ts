const TWO_POW_32 = 4294967296;

/** Bytes of the varint encoding of a uint32. */
export function varint32Size(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

/**
 * Bytes of the varint encoding of a safe integer as int64/uint64 (negative values take 10 bytes,
 * two's complement over 64 bits, as protobuf writes them).
 */
export function varint64Size(value: number): number {
  if (value < 0) return 10;
  if (value < TWO_POW_32) return varint32Size(value);
  // Seven bits a byte: 2^35, 2^42, ... (µs timestamps of today need 7 bytes).
  if (value < 2 ** 35) return 5;
  if (value < 2 ** 42) return 6;
  if (value < 2 ** 49) return 7;
  if (value < 2 ** 56) return 8;
  if (value < 2 ** 63) return 9;
  return 10;
}

/**
 * Writes protobuf wire data into a buffer that was sized beforehand (two-pass encoding: compute
 * every length, allocate once, write). Holds no state but the target and the position.
 */
export class ProtobufWriter {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
  ) {}

  /** A varint of a uint32 (also used for tags and lengths). */
  varint32(value: number): void {
    const bytes = this.bytes;
    let pos = this.pos;
    let rest = value >>> 0;
    while (rest > 0x7f) {
      bytes[pos++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    bytes[pos++] = rest;
    this.pos = pos;
  }

  /** A varint of a safe integer as int64/uint64. */
  varint64(value: number): void {
    let lo = value >>> 0;
    let hi = Math.floor(value / TWO_POW_32) >>> 0;
    const bytes = this.bytes;
    let pos = this.pos;
    while (hi !== 0 || lo > 0x7f) {
      bytes[pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    bytes[pos++] = lo;
    this.pos = pos;
  }

  /** Raw bytes. */
  raw(source: Uint8Array): void {
    this.bytes.set(source, this.pos);
    this.pos += source.length;
  }

  /** The characters of an ASCII string, one byte each. */
  ascii(text: string): void {
    const bytes = this.bytes;
    let pos = this.pos;
    for (let i = 0; i < text.length; i++) bytes[pos++] = text.charCodeAt(i);
    this.pos = pos;
  }
}
