import { ProtocolError } from '../errors.js';

/**
 * How a length-prefixed protocol writes the length of a body in front of it.
 * Implementations are stateless singletons.
 */
export interface LengthHeader {
  /** Name used in error messages, e.g. `uint32le`. */
  readonly name: string;
  /** Header size in bytes. */
  readonly size: number;
  /** The largest length this header can express. */
  readonly maxLength: number;
  /** Reads the length at `offset` (exactly `size` bytes are available). Throws `BAD_HEADER`. */
  read(source: Uint8Array, offset: number): number;
  /** Writes `length` (already checked to be within `maxLength`) at `offset`. */
  write(length: number, target: Uint8Array, offset: number): void;
}

/** 2-byte little-endian unsigned length (pymasep). */
export const UINT16_LE: LengthHeader = {
  name: 'uint16le',
  size: 2,
  maxLength: 0xffff,
  read: (s, o) => s[o] | (s[o + 1] << 8),
  write: (n, t, o) => {
    t[o] = n & 0xff;
    t[o + 1] = n >>> 8;
  },
};

/** 4-byte little-endian unsigned length (RSB socket transport). */
export const UINT32_LE: LengthHeader = {
  name: 'uint32le',
  size: 4,
  maxLength: 0xffffffff,
  read: (s, o) => (s[o] | (s[o + 1] << 8) | (s[o + 2] << 16)) + s[o + 3] * 0x1000000,
  write: (n, t, o) => {
    t[o] = n & 0xff;
    t[o + 1] = (n >>> 8) & 0xff;
    t[o + 2] = (n >>> 16) & 0xff;
    t[o + 3] = (n >>> 24) & 0xff;
  },
};

const DIGIT_0 = 0x30;
const WIDTH = 10;

function isPythonSpace(b: number): boolean {
  // str.strip() on the ASCII range: space, \t \n \v \f \r and the \x1c-\x1f separators.
  return b === 0x20 || (b >= 0x09 && b <= 0x0d) || (b >= 0x1c && b <= 0x1f);
}

function badDecimal(source: Uint8Array, offset: number): ProtocolError {
  const text = Buffer.from(source.subarray(offset, offset + WIDTH)).toString('latin1');
  return new ProtocolError('BAD_HEADER', `invalid 10-digit length header ${JSON.stringify(text)}`);
}

/**
 * 10-digit zero-padded decimal length (OBE). Writing always zero-pads. Reading accepts what the
 * original's Python `int()` accepts: surrounding ASCII whitespace, a `+` sign and single `_`
 * separators between digits. Negative or non-numeric headers are `BAD_HEADER`.
 */
export const DECIMAL_10: LengthHeader = {
  name: 'decimal10',
  size: WIDTH,
  maxLength: 9_999_999_999,
  read(source, offset) {
    let start = offset;
    let end = offset + WIDTH;
    while (start < end && isPythonSpace(source[start])) start++;
    while (end > start && isPythonSpace(source[end - 1])) end--;
    if (start < end && source[start] === 0x2b /* + */) start++;
    let value = 0;
    let digits = 0;
    let previousWasDigit = false;
    for (let i = start; i < end; i++) {
      const b = source[i];
      if (b >= DIGIT_0 && b <= DIGIT_0 + 9) {
        value = value * 10 + (b - DIGIT_0);
        digits++;
        previousWasDigit = true;
      } else if (b === 0x5f /* _ */ && previousWasDigit && i + 1 < end && source[i + 1] !== 0x5f) {
        previousWasDigit = false;
      } else {
        throw badDecimal(source, offset);
      }
    }
    if (digits === 0 || !previousWasDigit) throw badDecimal(source, offset);
    return value;
  },
  write(n, t, o) {
    let rest = n;
    for (let i = WIDTH - 1; i >= 0; i--) {
      t[o + i] = DIGIT_0 + (rest % 10);
      rest = Math.floor(rest / 10);
    }
  },
};
