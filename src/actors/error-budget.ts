import { systemClock, type Clock } from './clock.js';

/** How many bad frames a peer may send within a window before its connection is closed. */
export interface ErrorBudgetLimits {
  /** Bad frames allowed per window. */
  readonly count: number;
  /** The window, in ms. */
  readonly windowMs: number;
}

/** The default: 10 bad frames within 10 s. A peer that keeps sending garbage is cut, a glitch is not. */
export const DEFAULT_ERROR_BUDGET: ErrorBudgetLimits = Object.freeze({ count: 10, windowMs: 10_000 });

/**
 * The bad frames one peer may send: a protocol that skips an invalid frame and goes on (RSB,
 * pymasep) spends one per frame, and closes the connection once the budget is spent, so a stream
 * of junk costs one closed connection instead of unbounded work and log lines.
 *
 * @example
 * ```ts
 * const budget = new ErrorBudget(DEFAULT_ERROR_BUDGET);
 * if (!budget.spend()) void connection.close();
 * ```
 */
export class ErrorBudget {
  private spent = 0;
  private windowStart: number;

  constructor(
    readonly limits: ErrorBudgetLimits = DEFAULT_ERROR_BUDGET,
    private readonly clock: Clock = systemClock,
  ) {
    this.windowStart = clock.now();
  }

  /** Bad frames counted in the current window. */
  get count(): number {
    return this.spent;
  }

  /** Counts one bad frame; false once more than `count` arrived within one window. */
  spend(): boolean {
    const now = this.clock.now();
    if (now - this.windowStart >= this.limits.windowMs) {
      this.windowStart = now;
      this.spent = 0;
    }
    this.spent++;
    return this.spent <= this.limits.count;
  }
}
