import type { Clock, ClockTimer } from './clock.js';

/** A pending deadline of a {@link DeadlineQueue}; pass it back to {@link DeadlineQueue.cancel}. */
export interface Deadline<T> {
  /** @internal The owner to tell; undefined once cancelled or fired. */
  owner: T | undefined;
  /** @internal When it is due, on the queue's clock. */
  readonly at: number;
}

/**
 * Deadlines that all have the same delay (a server's close or handshake timeout), kept in
 * arrival order under one clock timer. Because the delay is fixed, the earliest deadline is
 * always the oldest one: adding and cancelling cost no timer operation, which matters when
 * every short connection would otherwise arm and clear a timer of its own
 * (docs/ARCHITECTURE.md, "What a connection costs").
 *
 * @example
 * ```ts
 * const closing = new DeadlineQueue(systemClock, 5_000, (c: Connection) => c.forceClose());
 * const deadline = closing.add(connection);
 * closing.cancel(deadline); // the connection closed in time
 * ```
 */
export class DeadlineQueue<T> {
  private entries: Array<Deadline<T>> = [];
  private head = 0;
  private live = 0;
  private timer: ClockTimer | undefined;
  private expiring = false;
  private readonly onTimer = (): void => this.expire();

  /**
   * @param fire called with the owner of each deadline that comes due
   * @param unref whether the pending timer lets the process exit
   */
  constructor(
    private readonly clock: Clock,
    readonly delayMs: number,
    private readonly fire: (owner: T) => void,
    private readonly unref = false,
  ) {}

  /** Deadlines pending (not fired, not cancelled). */
  get size(): number {
    return this.live;
  }

  /** Starts a deadline `delayMs` from now for `owner`. */
  add(owner: T): Deadline<T> {
    if (this.live === 0 && this.entries.length > 0) {
      // Only dead entries are left: start over.
      this.entries = [];
      this.head = 0;
    }
    const deadline: Deadline<T> = { owner, at: this.clock.now() + this.delayMs };
    this.entries.push(deadline);
    if (this.live++ === 0 && this.timer !== undefined && !this.unref) this.timer.ref();
    if (this.timer === undefined && !this.expiring) this.arm(this.delayMs);
    return deadline;
  }

  /** Cancels a deadline; cancelling one that fired or was cancelled is a no-op. */
  cancel(deadline: Deadline<T> | undefined): void {
    if (deadline === undefined || deadline.owner === undefined) return;
    deadline.owner = undefined;
    if (--this.live > 0) return;
    // Nothing pending: the timer stays armed (a connection per request would otherwise set and
    // clear one each) but no longer holds the process open. When it fires it finds nothing due.
    this.timer?.unref();
  }

  /** Fires every pending deadline now, in order (an owner shutting down). */
  expireAll(): void {
    const entries = this.entries.slice(this.head);
    this.entries = [];
    this.head = 0;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    for (const deadline of entries) {
      const owner = deadline.owner;
      if (owner === undefined) continue;
      deadline.owner = undefined;
      this.live--;
      this.fire(owner);
    }
  }

  private arm(ms: number): void {
    this.timer = this.clock.setTimeout(this.onTimer, Math.max(0, ms));
    if (this.unref) this.timer.unref();
  }

  private expire(): void {
    this.timer = undefined;
    this.expiring = true;
    try {
      this.expireDue();
    } finally {
      this.expiring = false;
    }
    if (this.live > 0) this.arm(this.entries[this.head].at - this.clock.now());
  }

  private expireDue(): void {
    // Timers may fire a fraction of a millisecond before the clock says so.
    const now = this.clock.now() + 1;
    // `fire` may add or cancel deadlines: read the fields afresh on every turn.
    while (this.head < this.entries.length && this.entries[this.head].at <= now) {
      const deadline = this.entries[this.head++];
      const owner = deadline.owner;
      if (owner === undefined) continue;
      deadline.owner = undefined;
      this.live--;
      this.fire(owner);
    }
    if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}
