import { describe, expect, it } from 'vitest';
import { isPolicyPath } from '../../../src/actors/masep/index.js';

describe('policy modules', () => {
  it('tell module paths from built-in policy names', () => {
    expect(isPolicyPath('./wander.mjs')).toBe(true);
    expect(isPolicyPath('policies/wander.js')).toBe(true);
    expect(isPolicyPath('greedy')).toBe(false);
  });
});
