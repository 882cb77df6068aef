/**
 * The last `capacity` values of one quantity (a rate, a gauge), oldest first: the history behind a
 * sparkline. Fixed memory; pushing never allocates.
 *
 * @example
 * ```ts
 * const series = new RollingSeries(3);
 * [1, 2, 3, 4].forEach((v) => series.push(v));
 * series.values(); // [2, 3, 4]
 * ```
 */
export class RollingSeries {
  private readonly ring: Float64Array;
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.ring = new Float64Array(capacity);
  }

  /** Appends a value, forgetting the oldest when full. */
  push(value: number): void {
    this.ring[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** How many values are held. */
  get length(): number {
    return this.count;
  }

  /** The values, oldest first. */
  values(): number[] {
    const out = new Array<number>(this.count);
    const start = (this.next - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) out[i] = this.ring[(start + i) % this.capacity];
    return out;
  }
}
