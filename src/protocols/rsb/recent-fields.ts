/**
 * The last few distinct byte strings seen in one field of received notifications, with what
 * each decoded to. A stream of notifications repeats its scope, wire schema and sender id from
 * one message to the next; comparing a dozen bytes is much cheaper than building a string,
 * hashing it into the scope table or copying a sender id, so the decoder asks here first.
 * Values are shared between the notifications that hit: they must be immutable.
 */
export class RecentFields<T> {
  private readonly keys: Uint8Array[] = [];
  private readonly values: T[] = [];
  private next = 0;

  constructor(
    private readonly slots = 4,
    /** Longer byte strings are not kept (comparing them would cost more than it saves). */
    private readonly maxLength = 128,
  ) {}

  /** The value remembered for `bytes[start, end)`, or undefined. */
  find(bytes: Uint8Array, start: number, end: number): T | undefined {
    const length = end - start;
    const keys = this.keys;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      if (key.length !== length) continue;
      let i = 0;
      while (i < length && key[i] === bytes[start + i]) i++;
      if (i === length) return this.values[k];
    }
    return undefined;
  }

  /** Remembers `value` for `bytes[start, end)`, replacing the oldest entry when full. */
  remember(bytes: Uint8Array, start: number, end: number, value: T): void {
    if (end - start > this.maxLength) return;
    const key = bytes.slice(start, end);
    if (this.keys.length < this.slots) {
      this.keys.push(key);
      this.values.push(value);
      return;
    }
    this.keys[this.next] = key;
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.slots;
  }
}
