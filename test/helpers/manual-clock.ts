import type { Clock, ClockTimer } from '../../src/actors/clock.js';

interface ManualTimer extends ClockTimer {
  at: number;
  seq: number;
  callback: (() => void) | undefined;
  refed: boolean;
}

/**
 * A clock for tests: time stands still until {@link advance} moves it, and timers fire in due
 * order as it passes them, so a test controls timeouts exactly instead of sleeping.
 */
export class ManualClock implements Clock {
  private time = 0;
  private seq = 0;
  private timers: ManualTimer[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): ClockTimer {
    const timer: ManualTimer = {
      at: this.time + Math.max(0, ms),
      seq: this.seq++,
      callback,
      refed: true,
      unref: () => void (timer.refed = false),
      ref: () => void (timer.refed = true),
    };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(timer: ClockTimer | undefined): void {
    if (timer) (timer as ManualTimer).callback = undefined;
  }

  /** Timers not yet fired or cleared. */
  get pending(): number {
    return this.timers.filter((t) => t.callback).length;
  }

  /** Pending timers that would keep a process alive (not unref'd). */
  get holding(): number {
    return this.timers.filter((t) => t.callback && t.refed).length;
  }

  /** Moves time forward by `ms`, firing every timer that comes due on the way (also ones set meanwhile). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers
        .filter((t) => t.callback && t.at <= end)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.time = Math.max(this.time, due.at);
      const callback = due.callback!;
      due.callback = undefined;
      callback();
    }
    this.time = end;
    this.timers = this.timers.filter((t) => t.callback);
  }
}
