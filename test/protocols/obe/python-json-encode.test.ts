import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PythonInt, pythonFloatRepr, pythonJsonDumps, pythonJsonString } from '../../../src/protocols/obe/index.js';
import { jsonValueArbitrary } from './json-value-arbitrary.js';

/** What Python's json.dumps writes for these values (spec §4.1, checked against CPython 3). */
const FLOAT_VECTORS: Array<[number, string]> = [
  [2, '2.0'],
  [0, '0.0'],
  [-0, '-0.0'],
  [1e-5, '1e-05'],
  [1.5e-5, '1.5e-05'],
  [0.0001, '0.0001'],
  [0.00012345, '0.00012345'],
  [1e16, '1e+16'],
  [1.5e16, '1.5e+16'],
  [9999999999999998, '9999999999999998.0'],
  [123456789012345680000, '1.2345678901234568e+20'],
  [1e100, '1e+100'],
  [5e-324, '5e-324'],
  [1.7976931348623157e308, '1.7976931348623157e+308'],
  [0.1, '0.1'],
  [1 / 3, '0.3333333333333333'],
  [1.6666666666666665, '1.6666666666666665'],
  [-2.5, '-2.5'],
  [NaN, 'NaN'],
  [Infinity, 'Infinity'],
  [-Infinity, '-Infinity'],
];

describe('pythonFloatRepr', () => {
  it.each(FLOAT_VECTORS)('writes %s as %s', (value, text) => {
    expect(pythonFloatRepr(value)).toBe(text);
  });

  it('round-trips every double and always marks it as a float', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = pythonFloatRepr(x);
        expect(Object.is(Number(text), x)).toBe(true);
        expect(text).toMatch(/^-?(\d+\.\d+|\d(\.\d+)?e[-+]\d{2,3})$/);
      }),
      { seed: 4, numRuns: 2000 },
    );
  });

  it('agrees with CPython repr() on random doubles', () => {
    const rng = fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true }), { seed: 11, numRuns: 3000 });
    const values = [...rng, ...Array.from({ length: 200 }, (_, i) => 10 ** (i / 5 - 20))];
    const py = spawnSync('python3', ['-c', 'import sys,struct\nfor h in sys.stdin.read().split():\n  print(repr(struct.unpack("<d", bytes.fromhex(h))[0]))'], {
      input: values.map((v) => Buffer.from(new Float64Array([v]).buffer).toString('hex')).join('\n'),
      encoding: 'utf8',
    });
    expect(py.status).toBe(0);
    const expected = py.stdout.trim().split('\n').map((line) => (line === 'nan' ? 'NaN' : line === 'inf' ? 'Infinity' : line));
    expect(values.map(pythonFloatRepr)).toEqual(expected);
  });
});

describe('pythonJsonDumps', () => {
  it('uses the default separators and writes the wire examples of the spec', () => {
    expect(pythonJsonDumps('OK')).toBe('"OK"');
    expect(pythonJsonDumps({ command: 'done' })).toBe('{"command": "done"}');
    expect(pythonJsonDumps([[1.6666666666666665, 4 / 3], [4 / 3, 1.6666666666666665]])).toBe('[[1.6666666666666665, 1.3333333333333333], [1.3333333333333333, 1.6666666666666665]]');
    expect(pythonJsonDumps([2])).toBe('[2.0]');
    expect(pythonJsonDumps({ a: [], b: {}, c: null, d: true, e: false })).toBe('{"a": [], "b": {}, "c": null, "d": true, "e": false}');
  });

  it('writes ints without a fraction and typed arrays as lists of floats', () => {
    expect(pythonJsonDumps([new PythonInt(5), 5, new PythonInt('123456789012345678901234567890')])).toBe('[5, 5.0, 123456789012345678901234567890]');
    expect(pythonJsonDumps(Float64Array.of(1, NaN, 1e-7))).toBe('[1.0, NaN, 1e-07]');
    expect(pythonJsonDumps(new Float64Array(0))).toBe('[]');
  });

  it('escapes strings as ensure_ascii does', () => {
    expect(pythonJsonString('é\u20ac😀')).toBe('"\\u00e9\\u20ac\\ud83d\\ude00"');
    expect(pythonJsonString('a"b\\c\n\t\u0001\u007f')).toBe('"a\\"b\\\\c\\n\\t\\u0001\\u007f"');
    expect(pythonJsonString('\ud800')).toBe('"\\ud800"');
  });

  it('agrees with CPython json.dumps on random nested values', () => {
    const arb = jsonValueArbitrary;
    const values = fc.sample(arb, { seed: 5, numRuns: 300 }) as Parameters<typeof pythonJsonDumps>[0][];
    // Python reads each value back from a JSON text made with a float marker, then dumps it.
    const lines = values.map((v) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' ? { __f: Buffer.from(new Float64Array([x]).buffer).toString('hex') } : x)));
    const script = [
      'import sys, json, struct',
      'def hook(d):',
      '    return struct.unpack("<d", bytes.fromhex(d["__f"]))[0] if list(d) == ["__f"] else d',
      'for line in sys.stdin.read().split("\\n"):',
      '    print(json.dumps(json.loads(line, object_hook=hook)))',
    ].join('\n');
    const py = spawnSync('python3', ['-c', script], { input: lines.join('\n'), encoding: 'utf8' });
    expect(py.stderr).toBe('');
    expect(values.map((v) => pythonJsonDumps(v))).toEqual(py.stdout.replace(/\n$/, '').split('\n'));
  });
});
