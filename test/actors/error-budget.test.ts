import { describe, expect, it } from 'vitest';
import { ErrorBudget } from '../../src/actors/error-budget.js';
import { ManualClock } from '../helpers/manual-clock.js';

describe('ErrorBudget', () => {
  it('allows `count` bad frames per window and refuses the next; a new window starts afresh', () => {
    const clock = new ManualClock();
    const budget = new ErrorBudget({ count: 3, windowMs: 1_000 }, clock);
    expect([budget.spend(), budget.spend(), budget.spend()]).toEqual([true, true, true]);
    expect(budget.spend()).toBe(false);
    clock.advance(1_000);
    expect(budget.spend()).toBe(true);
    expect(budget.count).toBe(1);
  });
});
