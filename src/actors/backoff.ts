/** Jittered exponential backoff between connection attempts. */
export interface BackoffOptions {
  /** Attempts in all, the first included. Default 1 (no retry). `Infinity` retries forever. */
  attempts?: number;
  /** Delay before the first retry, in ms. Default 100. */
  initialDelayMs?: number;
  /** Largest delay, in ms. Default 5 000. */
  maxDelayMs?: number;
  /** Growth factor per retry. Default 2. */
  factor?: number;
  /**
   * Share of each delay that is randomised, 0..1. Default 0.5: a delay `d` becomes uniform in
   * `[d·(1−jitter), d]`, so that clients that lost the same server do not return in lockstep.
   */
  jitter?: number;
  /** Source of randomness in [0, 1); default `Math.random` (tests inject a fixed one). */
  random?: () => number;
}

/** Delay before retry number `retry` (0 = the first retry), in ms. */
export function backoffDelay(retry: number, options: BackoffOptions = {}): number {
  const initial = options.initialDelayMs ?? 100;
  const max = options.maxDelayMs ?? 5_000;
  const factor = options.factor ?? 2;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  const random = options.random ?? Math.random;
  const base = Math.min(max, initial * Math.pow(factor, retry));
  return base * (1 - jitter * random());
}

/**
 * One series of retries: {@link next} gives the delay before each retry, growing as
 * {@link backoffDelay} says; {@link reset} starts over after a success (a reconnected link).
 *
 * @example
 * ```ts
 * const backoff = new Backoff({ initialDelayMs: 100, maxDelayMs: 2_000 });
 * backoff.next(); // in [50, 100]
 * backoff.next(); // in [100, 200]
 * backoff.reset();
 * ```
 */
export class Backoff {
  private retry = 0;

  constructor(private readonly options: BackoffOptions = {}) {}

  /** The delay before the next retry, in ms. */
  next(): number {
    return backoffDelay(this.retry++, this.options);
  }

  /** Back to the first delay. */
  reset(): void {
    this.retry = 0;
  }
}
