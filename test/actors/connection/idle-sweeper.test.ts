import { describe, expect, it } from 'vitest';
import { IdleSweeper, type IdleWatchable } from '../../../src/actors/connection/idle-sweeper.js';
import { ManualClock } from '../../helpers/manual-clock.js';

describe('IdleSweeper', () => {
  class Watched implements IdleWatchable {
    moved = 0;
    idleAt: number | undefined;
    constructor(private readonly clock: ManualClock) {}
    bytesMoved(): number {
      return this.moved;
    }
    idleTimedOut(): void {
      this.idleAt = this.clock.now();
    }
  }

  it('declares a silent connection idle between 1 and 1.25 timeouts, and traffic postpones it', () => {
    const clock = new ManualClock();
    const sweeper = new IdleSweeper<Watched>(clock, 400);
    const quiet = new Watched(clock);
    const busy = new Watched(clock);
    sweeper.watch(quiet);
    sweeper.watch(busy);
    for (let t = 0; t < 800; t += 100) {
      busy.moved += 10;
      clock.advance(100);
    }
    expect(quiet.idleAt).toBeGreaterThanOrEqual(400);
    expect(quiet.idleAt).toBeLessThanOrEqual(500);
    expect(busy.idleAt).toBeUndefined();
    clock.advance(500);
    expect(busy.idleAt).toBeGreaterThanOrEqual(800 + 400);
    expect(sweeper.size).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('forgets an unwatched connection, and its timer stops once none is left', () => {
    const clock = new ManualClock();
    const sweeper = new IdleSweeper<Watched>(clock, 400);
    const w = new Watched(clock);
    sweeper.watch(w);
    sweeper.unwatch(w);
    expect(clock.holding).toBe(0);
    clock.advance(10_000);
    expect(w.idleAt).toBeUndefined();
    expect(clock.pending).toBe(0);
  });
});
