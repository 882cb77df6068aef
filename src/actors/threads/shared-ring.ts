/**
 * A single-producer, single-consumer ring of byte records in a SharedArrayBuffer, with doorbells:
 * the consumer awaits new records (through `Atomics.waitAsync`, or blocking in `Atomics.wait` on a
 * thread that does nothing else) and the producer awaits free space through `Atomics.waitAsync`,
 * so neither thread spins and neither pays for a MessagePort event per record
 * (docs/ARCHITECTURE.md, "Engine actors": why the engine's thread hop does not use postMessage).
 *
 * Layout: a 16-byte header of Int32 words (head, tail, closed, wanted), then `capacity` data bytes.
 * Head and tail are byte counters that only grow (modulo 2^32); `head - tail` bytes are in use.
 * A record is a little-endian u32 payload length, then the payload, padded to 4 bytes. A record
 * never wraps: when it does not fit before the end, the producer writes a wrap mark there and
 * starts the record at offset 0. Payloads are written with plain stores before the head is
 * published with `Atomics.store`, so a consumer that loads the head sees the whole record.
 */

const HEAD = 0;
const TAIL = 1;
const CLOSED = 2;
/** Set by a consumer that wants to be woken even for quiet records (see commit). */
const WANTED = 3;
const HEADER_BYTES = 16;
/** A length no record has: "the rest of the ring up to its end is unused, go to offset 0". */
const WRAP_MARK = 0xffffffff;

function padded(length: number): number {
  return (length + 3) & ~3;
}

/** The smallest power of two holding `bytes`, at least 64. */
function powerOfTwoAtLeast(bytes: number): number {
  let capacity = 64;
  while (capacity < bytes) capacity *= 2;
  return capacity;
}

/**
 * One direction of a shared-memory channel between two threads. The producer calls
 * {@link reserve}, writes the payload into {@link bytes} / {@link view} at the returned offset,
 * and calls {@link commit}; the consumer calls {@link next}, reads the payload, and calls
 * {@link release}. Exactly one thread may produce and one consume.
 *
 * @example
 * ```ts
 * const ring = SharedRing.create(1024);
 * const at = ring.reserve(3);          // -1 when full
 * ring.bytes.set([1, 2, 3], at);
 * ring.commit();
 * // on the other thread: new SharedRing(ring.buffer)
 * const from = ring.next();           // payload offset, or -1 when empty
 * ring.bytes.subarray(from, from + ring.recordLength); // <01 02 03>
 * ring.release();
 * ```
 */
export class SharedRing {
  /** The memory both threads share; hand it to the other thread and wrap it in a new SharedRing there. */
  readonly buffer: SharedArrayBuffer;
  /** Data bytes. */
  readonly capacity: number;
  /** The data area, for writing and reading payloads at the offsets reserve and next return. */
  readonly bytes: Uint8Array;
  /** The same data area as a DataView (numbers are written little-endian by convention). */
  readonly view: DataView;
  /** Length of the record {@link next} returned. */
  recordLength = 0;
  private readonly words: Int32Array;
  private readonly mask: number;
  /** Producer: where the reserved record's length word sits, and the head after it. */
  private reservedAt = -1;
  private reservedHead = 0;
  /** Consumer: the tail after the record next() returned. */
  private nextTail = -1;

  /** A new ring of at least `capacity` data bytes (rounded up to a power of two). */
  static create(capacity: number): SharedRing {
    return new SharedRing(new SharedArrayBuffer(HEADER_BYTES + powerOfTwoAtLeast(capacity)));
  }

  /** Wraps memory made by {@link create} (on this thread or another). */
  constructor(buffer: SharedArrayBuffer) {
    const capacity = buffer.byteLength - HEADER_BYTES;
    if (capacity < 64 || (capacity & (capacity - 1)) !== 0) throw new RangeError('SharedRing: the buffer must be 16 header bytes plus a power of two of at least 64');
    this.buffer = buffer;
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.words = new Int32Array(buffer, 0, 4);
    this.bytes = new Uint8Array(buffer, HEADER_BYTES, capacity);
    this.view = new DataView(buffer, HEADER_BYTES, capacity);
  }

  /** The largest payload a record can have: half the ring, so that one always fits once the ring is empty. */
  get maxRecordBytes(): number {
    return this.capacity / 2 - 4;
  }

  /** True once either side called {@link close}. */
  get closed(): boolean {
    return Atomics.load(this.words, CLOSED) !== 0;
  }

  /**
   * Producer: room for a record of `length` payload bytes. Returns the payload's offset in
   * {@link bytes}, or -1 when the ring has no room now (see {@link spaceFreed}).
   * @throws RangeError when `length` exceeds {@link maxRecordBytes}.
   */
  reserve(length: number): number {
    if (length > this.maxRecordBytes || length < 0) throw new RangeError(`SharedRing: a record of ${length} bytes exceeds the limit of ${this.maxRecordBytes}`);
    const need = 4 + padded(length);
    let head = Atomics.load(this.words, HEAD) >>> 0;
    const free = this.capacity - ((head - (Atomics.load(this.words, TAIL) >>> 0)) >>> 0);
    const at = head & this.mask;
    const toEnd = this.capacity - at;
    let start = at;
    if (need > toEnd) {
      if (toEnd + need > free) return -1;
      this.view.setUint32(at, WRAP_MARK, true);
      head = (head + toEnd) >>> 0;
      start = 0;
    } else if (need > free) {
      return -1;
    }
    this.view.setUint32(start, length, true);
    this.reservedAt = start;
    this.reservedHead = (head + need) >>> 0;
    return start + 4;
  }

  /**
   * Producer: publishes the record reserved last and rings the consumer's doorbell. A `quiet`
   * record rings only if the consumer said it wants one ({@link want}); otherwise it is read on
   * the consumer's next wake-up or poll. Waking a sleeping thread costs the waker tens of µs.
   */
  commit(quiet = false): void {
    if (this.reservedAt < 0) throw new Error('SharedRing: commit without reserve');
    this.reservedAt = -1;
    Atomics.store(this.words, HEAD, this.reservedHead | 0);
    // Sequentially consistent: a consumer that sets `wanted` and then looks at the head either
    // sees this record or is seen here.
    if (!quiet || Atomics.load(this.words, WANTED) !== 0) Atomics.notify(this.words, HEAD);
  }

  /** Consumer: asks to be woken for quiet records too (`true`), or no longer (`false`). Check the ring after asking. */
  want(on: boolean): void {
    Atomics.store(this.words, WANTED, on ? 1 : 0);
  }

  /**
   * Consumer: the next record's payload offset in {@link bytes} (its length in
   * {@link recordLength}), or -1 when the ring is empty. Call {@link release} when done with it.
   */
  next(): number {
    let tail = Atomics.load(this.words, TAIL) >>> 0;
    const head = Atomics.load(this.words, HEAD) >>> 0;
    if (tail === head) return -1;
    let at = tail & this.mask;
    let length = this.view.getUint32(at, true);
    if (length === WRAP_MARK) {
      tail = (tail + this.capacity - at) >>> 0;
      at = 0;
      length = this.view.getUint32(0, true);
    }
    this.recordLength = length;
    this.nextTail = (tail + 4 + padded(length)) >>> 0;
    return at + 4;
  }

  /** Consumer: frees the record {@link next} returned and rings the producer's doorbell. */
  release(): void {
    if (this.nextTail < 0) throw new Error('SharedRing: release without next');
    Atomics.store(this.words, TAIL, this.nextTail | 0);
    this.nextTail = -1;
    Atomics.notify(this.words, TAIL);
  }

  /**
   * Consumer: a promise that settles when a record may have arrived or the ring closed, or
   * undefined when one is already there. Does not keep the event loop alive.
   */
  dataArrived(): Promise<unknown> | undefined {
    const wait = Atomics.waitAsync(this.words, HEAD, Atomics.load(this.words, TAIL));
    return wait.async ? wait.value : undefined;
  }

  /**
   * Consumer: blocks this thread (`Atomics.wait`) until a record may have arrived, the ring
   * closed, or `timeoutMs` passed; false on the timeout. For a thread that has nothing else to do:
   * a producer wakes it with a futex wake, far cheaper for both than a task posted to an event
   * loop, but nothing else runs on this thread while it waits.
   */
  awaitData(timeoutMs: number): boolean {
    return Atomics.wait(this.words, HEAD, Atomics.load(this.words, TAIL), timeoutMs) !== 'timed-out';
  }

  /** Producer: a promise that settles when the consumer freed space or the ring closed, or undefined when it already did. */
  spaceFreed(tailSeen: number): Promise<unknown> | undefined {
    const wait = Atomics.waitAsync(this.words, TAIL, tailSeen | 0);
    return wait.async ? wait.value : undefined;
  }

  /** The tail as the producer sees it now, for {@link spaceFreed}. */
  get tail(): number {
    return Atomics.load(this.words, TAIL);
  }

  /** Marks the ring closed and wakes every waiter on either side (which then see {@link closed}). */
  close(): void {
    Atomics.store(this.words, CLOSED, 1);
    Atomics.notify(this.words, HEAD);
    Atomics.notify(this.words, TAIL);
  }
}
