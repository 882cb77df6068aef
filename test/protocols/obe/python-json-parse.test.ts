import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, PythonInt, pythonJsonDumps, pythonJsonLoads, PythonJsonSyntaxError } from '../../../src/protocols/obe/index.js';
import { jsonValueArbitrary } from './json-value-arbitrary.js';

describe('pythonJsonLoads', () => {
  it('reads the non-standard tokens json.loads accepts (Q7)', () => {
    expect(pythonJsonLoads('{"command": "newdat", "x": [2.5], "y": NaN, "s": Infinity, "t": -Infinity}')).toEqual({
      command: 'newdat',
      x: [2.5],
      y: NaN,
      s: Infinity,
      t: -Infinity,
    });
    expect(pythonJsonLoads(' \n[NaN]\t')).toEqual([NaN]);
  });

  it('reads standard JSON, last duplicate key winning, __proto__ as data', () => {
    expect(pythonJsonLoads('{"a": 1, "a": 2}')).toEqual({ a: 2 });
    const parsed = pythonJsonLoads('{"__proto__": NaN, "b": "\\u00e9\\n"}') as Record<string, unknown>;
    expect(Object.hasOwn(parsed, '__proto__')).toBe(true);
    expect(parsed.b).toBe('é\n');
  });

  it('keeps ints as ints on request', () => {
    const v = pythonJsonLoads('[5, 5.0, -0, 1e3, 123456789012345678901234567890]', { keepInts: true }) as unknown[];
    expect(v[0]).toBeInstanceOf(PythonInt);
    expect((v[0] as PythonInt).value).toBe(5);
    expect(v[1]).toBe(5);
    expect(v[2]).toBeInstanceOf(PythonInt);
    expect(v[3]).toBe(1000);
    expect(pythonJsonDumps(v as never)).toBe('[5, 5.0, 0, 1000.0, 123456789012345678901234567890]');
  });

  it.each([
    ['', 'Expecting value: line 1 column 1 (char 0)'],
    ['{"a" 1}', "Expecting ':' delimiter: line 1 column 6 (char 5)"],
    ['[1, 2', "Expecting ',' delimiter: line 1 column 6 (char 5)"],
    ['{"command": "ready"} x', 'Extra data: line 1 column 22 (char 21)'],
    ['nan', 'Expecting value: line 1 column 1 (char 0)'],
    ['[1,]', 'Expecting value: line 1 column 4 (char 3)'],
    ['{1: 2}', 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
    ['"a\u0001"', 'Invalid control character at: line 1 column 3 (char 2)'],
    ['"abc', 'Unterminated string starting at: line 1 column 1 (char 0)'],
  ])('rejects %j like json.loads: %s', (text, message) => {
    expect(() => pythonJsonLoads(text)).toThrow(new PythonJsonSyntaxError(message.replace(/: line.*/, ''), text, Number(/char (\d+)/.exec(message)![1])));
    expect(() => pythonJsonLoads(text)).toThrow(message);
  });

  it('reads back whatever pythonJsonDumps writes', () => {
    const arb = jsonValueArbitrary;
    fc.assert(
      fc.property(arb, (value) => {
        const text = pythonJsonDumps(value as never);
        expect(pythonJsonLoads(text)).toEqual(value);
        expect(pythonJsonLoads(text, { keepInts: true })).toEqual(value);
      }),
      { seed: 9, numRuns: 500 },
    );
  });

  it('throws nothing but PythonJsonSyntaxError on garbage', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'{}[],:"\\ntrufalsNaIiy0123456789.eE+- \u00e9'), maxLength: 30 }), (text) => {
        try {
          pythonJsonLoads(text);
        } catch (err) {
          expect(err).toBeInstanceOf(PythonJsonSyntaxError);
        }
      }),
      { seed: 3, numRuns: 3000 },
    );
  });
});

describe('pythonJsonLoads nesting limit', () => {
  // keepInts (what the OBE server uses) always takes our parser; without it, V8's JSON.parse may accept valid deep documents first.
  it('refuses nesting deeper than MAX_JSON_DEPTH with its own message, at any depth of attack', () => {
    for (const deep of ['['.repeat(100_000), '{"a":'.repeat(100_000), `${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`]) {
      let thrown: unknown;
      try {
        pythonJsonLoads(deep, { keepInts: true });
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(PythonJsonSyntaxError);
      expect((thrown as Error).message).toMatch(/^Nesting deeper than 512 levels/);
    }
  });

  it('accepts nesting up to the limit, and siblings do not add up', () => {
    const deepest = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(() => pythonJsonLoads(deepest, { keepInts: true })).not.toThrow();
    const wide = `[${Array.from({ length: 2_000 }, () => '[[{"a": []}]]').join(', ')}]`;
    expect(pythonJsonLoads(wide)).toHaveLength(2_000);
  });
});
