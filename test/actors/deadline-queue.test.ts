import { describe, expect, it } from 'vitest';
import { DeadlineQueue } from '../../src/actors/deadline-queue.js';
import { ManualClock } from '../helpers/manual-clock.js';

describe('DeadlineQueue', () => {
  it('fires each deadline once, in order, after its delay, with one timer for all', () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    const queue = new DeadlineQueue(clock, 100, (name: string) => fired.push(`${name}@${clock.now()}`));
    queue.add('a');
    clock.advance(30);
    queue.add('b');
    expect(clock.pending).toBe(1);
    clock.advance(69);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual(['a@100']);
    clock.advance(30);
    expect(fired).toEqual(['a@100', 'b@130']);
    expect(queue.size).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('cancelled deadlines never fire, and with none left no timer holds the process', () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    const queue = new DeadlineQueue(clock, 100, (name: string) => fired.push(name));
    const a = queue.add('a');
    const b = queue.add('b');
    queue.cancel(a);
    queue.cancel(a);
    expect(queue.size).toBe(1);
    queue.cancel(b);
    expect(clock.holding).toBe(0);
    clock.advance(1_000);
    expect(fired).toEqual([]);
    queue.add('c');
    expect(clock.holding).toBe(1);
    clock.advance(100);
    expect(fired).toEqual(['c']);
  });

  it('one timer serves a deadline per short connection: added and cancelled in turn, it is never re-armed', () => {
    const clock = new ManualClock();
    const queue = new DeadlineQueue(clock, 1_000, () => undefined);
    for (let i = 0; i < 100; i++) {
      queue.cancel(queue.add('conn'));
      clock.advance(1);
    }
    expect(clock.pending).toBe(1);
    expect(clock.holding).toBe(0);
  });

  it('a deadline added while others fire waits its full delay', () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    const queue: DeadlineQueue<string> = new DeadlineQueue(clock, 100, (name) => {
      fired.push(`${name}@${clock.now()}`);
      if (name === 'a') queue.add('again');
    });
    queue.add('a');
    clock.advance(100);
    clock.advance(99);
    expect(fired).toEqual(['a@100']);
    clock.advance(1);
    expect(fired).toEqual(['a@100', 'again@200']);
  });

  it('keeps expiring due deadlines while most others are cancelled in time (the common case under load)', () => {
    const clock = new ManualClock();
    const queue = new DeadlineQueue(clock, 100, () => undefined);
    for (let i = 0; i < 10_000; i++) {
      const d = queue.add('x');
      queue.add('keep-one-alive');
      queue.cancel(d);
      clock.advance(1);
    }
    expect(queue.size).toBeLessThanOrEqual(101);
  });

  it('expireAll() fires what is pending at once, in order, and leaves no timer', () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    const queue = new DeadlineQueue(clock, 100, (name: string) => fired.push(name));
    queue.add('a');
    queue.cancel(queue.add('b'));
    queue.add('c');
    queue.expireAll();
    expect(fired).toEqual(['a', 'c']);
    expect(queue.size).toBe(0);
    expect(clock.pending).toBe(0);
  });
});
