import type { Clock, ClockTimer } from '../clock.js';

/** What an {@link IdleSweeper} watches: a traffic counter and what to do when it stands still. */
export interface IdleWatchable {
  /** Bytes moved either way so far; idleness is this number not changing. */
  bytesMoved(): number;
  /** Called once, when the counter has not changed for the timeout. */
  idleTimedOut(): void;
}

interface Mark {
  moved: number;
  since: number;
}

/**
 * Closes idle connections without timekeeping on the data path and without a timer per
 * connection: one timer per server samples every watched connection's byte counter four times
 * per timeout, and a connection whose counter has not changed for the timeout is told so. A
 * connection is declared idle between 1 and 1.25 timeouts after its last byte.
 */
export class IdleSweeper<T extends IdleWatchable> {
  private readonly watched = new Map<T, Mark>();
  private timer: ClockTimer | undefined;
  private readonly period: number;
  private readonly onTimer = (): void => this.sweep();

  constructor(
    private readonly clock: Clock,
    readonly timeoutMs: number,
  ) {
    this.period = Math.max(1, timeoutMs / 4);
  }

  /** Connections watched now. */
  get size(): number {
    return this.watched.size;
  }

  /** Starts watching `target` from now. */
  watch(target: T): void {
    this.watched.set(target, { moved: target.bytesMoved(), since: this.clock.now() });
    this.timer ??= this.arm();
  }

  /** Stops watching `target`. */
  unwatch(target: T): void {
    // The timer stays: it is unref'd, and with nothing watched it does not re-arm. Clearing it here
    // would cost a timer per connection when connections come one at a time.
    this.watched.delete(target);
  }

  private arm(): ClockTimer {
    const timer = this.clock.setTimeout(this.onTimer, this.period);
    // Idle supervision alone never keeps a process alive.
    timer.unref();
    return timer;
  }

  private sweep(): void {
    this.timer = undefined;
    const now = this.clock.now();
    const idle: T[] = [];
    for (const [target, mark] of this.watched) {
      const moved = target.bytesMoved();
      if (moved !== mark.moved) {
        mark.moved = moved;
        mark.since = now;
      } else if (now - mark.since >= this.timeoutMs) {
        idle.push(target);
      }
    }
    for (const target of idle) {
      this.watched.delete(target);
      target.idleTimedOut();
    }
    if (this.watched.size > 0) this.timer ??= this.arm();
  }
}
