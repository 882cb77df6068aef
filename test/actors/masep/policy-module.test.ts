import { describe, expect, it } from 'vitest';
import { isPolicyPath, toAction } from '../../../src/actors/masep/index.js';
import { Action, Value } from '../../../src/protocols/masep/index.js';

describe('policy modules', () => {
  it('turn plain actions into pymasep actions, typed as pymasep writes them', () => {
    const action = toAction({ type: 3, params: { direction: 'up', count: 2, weight: 0.5, sure: true } })!;
    expect(action.type).toBe(3);
    expect(Object.fromEntries(action.parameters)).toEqual({
      direction: Value.str('up'),
      count: Value.int(2),
      weight: Value.float(0.5),
      sure: Value.bool(true),
    });
    const given = new Action(1);
    expect(toAction(given)).toBe(given);
    expect(toAction(null)).toBeNull();
  });

  it('refuse what is no action', () => {
    expect(() => toAction({ type: 1.5 })).toThrowError(expect.objectContaining({ code: 'MASEP_BAD_POLICY' }));
    expect(() => toAction({ type: 1, params: { x: Number.NaN } })).toThrowError(expect.objectContaining({ code: 'MASEP_BAD_POLICY' }));
  });

  it('tell module paths from built-in policy names', () => {
    expect(isPolicyPath('./wander.mjs')).toBe(true);
    expect(isPolicyPath('policies/wander.js')).toBe(true);
    expect(isPolicyPath('greedy')).toBe(false);
  });
});
