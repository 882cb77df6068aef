/** A pending timer of a {@link Clock}; pass it back to {@link Clock.clearTimeout}. */
export interface ClockTimer {
  /** Lets the process exit while this timer is pending (a no-op on clocks without a process). */
  unref(): void;
  /** Undoes {@link unref}: the pending timer keeps the process alive again. */
  ref(): void;
}

/**
 * Where actors read the time and schedule timers. Connections, servers and clients take one as
 * an option, so that tests drive time with a manual clock instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since an arbitrary origin, never going backwards. */
  now(): number;
  /** Calls `callback` once, after `ms` milliseconds of this clock. */
  setTimeout(callback: () => void, ms: number): ClockTimer;
  /** Cancels a timer; clearing one that has fired or was cleared is a no-op. */
  clearTimeout(timer: ClockTimer | undefined): void;
}

/** The process's own clock: `performance.now()` and Node's timers. */
export const systemClock: Clock = Object.freeze({
  now: () => performance.now(),
  setTimeout: (callback: () => void, ms: number): ClockTimer => setTimeout(callback, ms),
  clearTimeout: (timer: ClockTimer | undefined): void => clearTimeout(timer as NodeJS.Timeout | undefined),
});
