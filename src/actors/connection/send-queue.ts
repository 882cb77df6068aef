/**
 * What a connection does when its send queue is full:
 * - `block`: refuse the frame (`send` returns false); producers wait with `whenWritable()` or
 *   use `sendAsync`, which waits for room.
 * - `drop-oldest`: evict the oldest queued frames until the new one fits (counted in stats).
 * - `disconnect`: fail the connection with `SLOW_CONSUMER`.
 */
export type OverflowPolicy = 'block' | 'drop-oldest' | 'disconnect';

/** Bounds of a send queue. A frame larger than `maxBytes` is still accepted into an empty queue. */
export interface SendQueueLimits {
  maxBytes: number;
  maxFrames: number;
}

/**
 * A bounded FIFO of encoded frames. Amortised O(1) push and shift; no allocation per frame
 * besides the slot in its backing array.
 */
export class SendQueue {
  private items: Uint8Array[] = [];
  private head = 0;
  private byteCount = 0;
  private readonly batch: Uint8Array[] = [];

  constructor(readonly limits: SendQueueLimits) {}

  /** Frames waiting. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Bytes waiting. */
  get bytes(): number {
    return this.byteCount;
  }

  /** True when `frameBytes` more would fit (an empty queue takes any one frame). */
  hasRoomFor(frameBytes: number): boolean {
    const count = this.length;
    if (count === 0) return true;
    return count < this.limits.maxFrames && this.byteCount + frameBytes <= this.limits.maxBytes;
  }

  push(frame: Uint8Array): void {
    this.items.push(frame);
    this.byteCount += frame.length;
  }

  /** Removes and returns the oldest frame. */
  shift(): Uint8Array | undefined {
    if (this.head >= this.items.length) return undefined;
    const frame = this.items[this.head];
    this.items[this.head] = EMPTY;
    this.head++;
    this.byteCount -= frame.length;
    this.compact();
    return frame;
  }

  /**
   * Takes frames from the front until about `maxBytes` are collected (at least one frame).
   * The returned array is reused by the next call: consume it before calling again.
   */
  takeBatch(maxBytes: number): { frames: Uint8Array[]; bytes: number } {
    const batch = this.batch;
    batch.length = 0;
    let bytes = 0;
    while (this.head < this.items.length) {
      const frame = this.items[this.head];
      if (batch.length > 0 && bytes + frame.length > maxBytes) break;
      batch.push(frame);
      bytes += frame.length;
      this.items[this.head] = EMPTY;
      this.head++;
    }
    this.byteCount -= bytes;
    this.compact();
    return { frames: batch, bytes };
  }

  clear(): void {
    this.items = [];
    this.head = 0;
    this.byteCount = 0;
  }

  private compact(): void {
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

const EMPTY = new Uint8Array(0);
