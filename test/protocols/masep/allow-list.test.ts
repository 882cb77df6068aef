import { describe, expect, it } from 'vitest';
import { AllowList, createObjectRegistry } from '../../../src/protocols/masep/index.js';
import { expectCode } from './expect-code.js';

describe('AllowList', () => {
  it('resolves registered names and refuses others with MASEP_UNKNOWN_NAME', () => {
    const games = new AllowList<() => string>('game').register('mygames.tictactoe.TicTacToe', () => 'ttt');
    expect(games.require('mygames.tictactoe.TicTacToe')()).toBe('ttt');
    expect(games.get('os.system')).toBeUndefined();
    const error = expectCode(() => games.require('os.system'), 'MASEP_UNKNOWN_NAME');
    expect(error.message).toContain('game');
  });

  it('does not see names inherited from Object.prototype', () => {
    const list = new AllowList<number>('thing');
    expect(list.has('constructor')).toBe(false);
    expectCode(() => list.require('__proto__'), 'MASEP_UNKNOWN_NAME');
  });

  it('freezes, and clones into an extensible copy', () => {
    const frozen = new AllowList<number>('thing', [['a', 1]]).freeze();
    expect(() => frozen.register('b', 2)).toThrow(TypeError);
    const copy = frozen.clone().register('b', 2);
    expect(copy.names()).toEqual(['a', 'b']);
    expect(frozen.has('b')).toBe(false);
  });

  it('holds pymasep classes by default', () => {
    expect(createObjectRegistry().names()).toEqual([
      'State',
      'Object',
      'Agent',
      'Action',
      'ObjectState',
      'Characteristic',
      'Container',
      'Intention',
      'Belief',
      'CircularHeadList',
    ]);
  });
});
