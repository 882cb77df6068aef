/**
 * Byte-level mutations of valid frames for the decoder fuzz campaign: bit flips, random bytes,
 * truncation, duplication and deletion of spans, length fields overwritten, tokens that matter to
 * the text formats inside the frames (XML, JSON, protobuf varints) inserted, and two seeds spliced.
 * Deterministic for a seed, so that a crash can be replayed.
 */
export class Mutator {
  private s0: number;
  private s1: number;

  constructor(seed: number) {
    this.s0 = (seed ^ 0x9e3779b9) >>> 0 || 1;
    this.s1 = (Math.imul(seed, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0 || 2;
  }

  /** A uniform integer in [0, n). */
  below(n: number): number {
    // xorshift64+ on two 32-bit halves: fast and good enough to pick mutations.
    let x = this.s0;
    const y = this.s1;
    this.s0 = y;
    x ^= x << 23;
    x ^= x >>> 17;
    x ^= y ^ (y >>> 26);
    this.s1 = x >>> 0;
    return ((this.s0 + this.s1) >>> 0) % n;
  }

  /** One to four mutations of `seed` (possibly spliced with `other`). */
  mutate(seed: Uint8Array, other: Uint8Array, tokens: readonly Uint8Array[]): Uint8Array {
    let bytes: Uint8Array = Uint8Array.from(seed);
    const count = 1 + this.below(4);
    for (let i = 0; i < count; i++) bytes = this.once(bytes, other, tokens);
    return bytes;
  }

  private once(b: Uint8Array, other: Uint8Array, tokens: readonly Uint8Array[]): Uint8Array {
    const n = b.length;
    switch (this.below(9)) {
      case 0: // flip a bit
        if (n > 0) b[this.below(n)] ^= 1 << this.below(8);
        return b;
      case 1: // a random byte
        if (n > 0) b[this.below(n)] = this.below(256);
        return b;
      case 2: // an interesting byte
        if (n > 0) b[this.below(n)] = [0, 0x7f, 0x80, 0xff, 0x0a, 0x3c, 0x22, 0x5b][this.below(8)];
        return b;
      case 3: // truncate
        return b.subarray(0, this.below(n + 1));
      case 4: {
        // delete a span
        if (n === 0) return b;
        const at = this.below(n);
        const len = 1 + this.below(Math.min(16, n - at));
        return concat(b.subarray(0, at), b.subarray(at + len));
      }
      case 5: {
        // duplicate a span
        if (n === 0) return b;
        const at = this.below(n);
        const len = 1 + this.below(Math.min(64, n - at));
        return concat(b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at + len));
      }
      case 6: {
        // overwrite the first bytes (where every framing keeps its length)
        const out = Uint8Array.from(b);
        const len = Math.min(out.length, 1 + this.below(10));
        for (let i = 0; i < len; i++) out[i] = this.below(2) === 0 ? this.below(256) : [0x30, 0x39, 0xff, 0x00][this.below(4)];
        return out;
      }
      case 7: {
        // insert a token of the payload's format
        const token = tokens[this.below(tokens.length)];
        const at = this.below(n + 1);
        return concat(b.subarray(0, at), token, b.subarray(at));
      }
      default: {
        // splice with another seed
        const at = this.below(n + 1);
        const from = this.below(other.length + 1);
        return concat(b.subarray(0, at), other.subarray(from));
      }
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
