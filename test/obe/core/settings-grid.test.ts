import { describe, expect, it } from 'vitest';
import { buildSettingGrid, InvalidArgumentError, linspace } from '../../../src/obe/core/index.js';
import { vectors } from './fixtures/vectors.js';

describe('buildSettingGrid', () => {
  it('reproduces allsettings_2knobs (ij meshgrid, last knob fastest)', () => {
    const { knobs, allsettings } = vectors.allsettings_2knobs;
    expect(buildSettingGrid(knobs).map((r) => Array.from(r))).toEqual(allsettings);
  });

  it('orders three knobs as NumPy does and accepts scalar knobs', () => {
    const grid = buildSettingGrid([[1, 2], 7, [10, 20, 30]]);
    expect(grid.map((r) => r.length)).toEqual([6, 6, 6]);
    const points = Array.from({ length: 6 }, (_, k) => grid.map((r) => r[k]));
    expect(points).toEqual([
      [1, 7, 10], [1, 7, 20], [1, 7, 30],
      [2, 7, 10], [2, 7, 20], [2, 7, 30],
    ]);
    expect(buildSettingGrid([0]).map((r) => Array.from(r))).toEqual([[0]]);
  });

  it('rejects empty grids', () => {
    expect(() => buildSettingGrid([])).toThrow(InvalidArgumentError);
    expect(() => buildSettingGrid([[1], []])).toThrow(InvalidArgumentError);
  });
});

describe('linspace', () => {
  it('includes both ends', () => {
    const x = linspace(2, 3, 5);
    expect(Array.from(x)).toEqual([2, 2.25, 2.5, 2.75, 3]);
    expect(Array.from(linspace(4, 9, 1))).toEqual([4]);
  });
});
