import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePythonFloat, parsePythonInt, pythonFloatRepr } from '../../../src/protocols/masep/index.js';
import { canonicalInt } from '../../../src/protocols/masep/python-number.js';

describe('pythonFloatRepr', () => {
  it.each<[number, string]>([
    [1, '1.0'],
    [1.5, '1.5'],
    [-2.5, '-2.5'],
    [0.1, '0.1'],
    [1 / 3, '0.3333333333333333'],
    [0.0001, '0.0001'],
    [0.00015, '0.00015'],
    [1e-5, '1e-05'],
    [1e-7, '1e-07'],
    [1.5e-10, '1.5e-10'],
    [123456789.123, '123456789.123'],
    [1e15, '1000000000000000.0'],
    [2 ** 53, '9007199254740992.0'],
    [1e16, '1e+16'],
    [12345678901234567890, '1.2345678901234567e+19'],
    [1e22, '1e+22'],
    [1.5e300, '1.5e+300'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [0, '0.0'],
    [-0, '-0.0'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
  ])('repr(%d) is %s', (x, text) => {
    expect(pythonFloatRepr(x)).toBe(text);
  });

  it('reads back to the same double for any double (property)', () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        expect(Object.is(parsePythonFloat(pythonFloatRepr(x)), x)).toBe(true);
      }),
      { seed: 7, numRuns: 2000 },
    );
  });
});

describe('parsePythonInt', () => {
  it.each<[string, number | bigint | undefined]>([
    ['12', 12],
    [' -12\n', -12],
    ['+5', 5],
    ['-0', 0],
    ['1_000', 1000],
    ['007', 7],
    ['99999999999999999999', 99999999999999999999n],
    ['-9007199254740991', -9007199254740991],
    ['9007199254740992', 9007199254740992n],
    ['1__0', undefined],
    ['_1', undefined],
    ['1_', undefined],
    ['1.0', undefined],
    ['0x10', undefined],
    ['', undefined],
    ['--1', undefined],
  ])('int(%j) is %s', (text, value) => {
    expect(parsePythonInt(text)).toBe(value);
  });

  it('keeps ints a number while safe and a bigint beyond', () => {
    expect(canonicalInt(2n ** 53n - 1n)).toBe(2 ** 53 - 1);
    expect(canonicalInt(2n ** 53n)).toBe(2n ** 53n);
    expect(canonicalInt(1.5)).toBeUndefined();
    expect(Object.is(canonicalInt(-0), 0)).toBe(true);
  });
});

describe('parsePythonFloat', () => {
  it.each<[string, number | undefined]>([
    ['1.5', 1.5],
    [' 1e5 ', 100000],
    ['.5', 0.5],
    ['5.', 5],
    ['1_0.2_5', 10.25],
    ['-1E-2', -0.01],
    ['inf', Infinity],
    ['-Infinity', -Infinity],
    ['NaN', NaN],
    ['1e', undefined],
    ['e5', undefined],
    ['.', undefined],
    ['0x10', undefined],
    ['1_', undefined],
    ['', undefined],
    ['infinite', undefined],
  ])('float(%j) is %s', (text, value) => {
    expect(parsePythonFloat(text)).toBe(value);
  });
});
