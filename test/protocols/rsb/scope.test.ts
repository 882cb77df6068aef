import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RsbError, Scope } from '../../../src/protocols/rsb/index.js';
import { component, scope as anyScope } from './fixtures.js';

const texts = (scopes: readonly Scope[]) => scopes.map((s) => s.text);

describe('Scope.parse', () => {
  it('normalises by appending the trailing slash and nothing else', () => {
    expect(Scope.parse('/a/b').text).toBe('/a/b/');
    expect(Scope.parse('/a/b/').text).toBe('/a/b/');
    expect(Scope.parse('/').text).toBe('/');
    expect(Scope.parse('/Demo-1_x').components).toEqual(['Demo-1_x']);
    expect(Scope.parse('/a/b').equals(Scope.parse('/a/b/'))).toBe(true);
    expect(Scope.parse('/A').equals(Scope.parse('/a'))).toBe(false);
    expect(String(Scope.parse('/x'))).toBe('/x/');
  });

  it('gives the root for "/"', () => {
    expect(Scope.parse('/')).toBe(Scope.ROOT);
    expect(Scope.ROOT.depth).toBe(0);
    expect(Scope.ROOT.components).toEqual([]);
  });

  it.each([
    ['', 'is empty'],
    ['a/b', 'does not start'],
    ['//', 'empty component'],
    ['/a//b', 'empty component'],
    ['/a//', 'empty component'],
    ['/a b/', '" "'],
    ['/a.b/', '"."'],
    ['/a\tb', '"\\t"'],
    ['/ä/', 'non-ASCII'],
    ['/a/é', 'non-ASCII'],
  ])('rejects %j with RSB_INVALID_SCOPE (%s)', (text, why) => {
    let error: unknown;
    try {
      Scope.parse(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RsbError);
    expect((error as RsbError).code).toBe('RSB_INVALID_SCOPE');
    expect((error as RsbError).message).toContain(why);
    expect(Scope.isValid(text)).toBe(false);
  });

  it('accepts exactly /([-_a-zA-Z0-9]+/)* with an optional final slash (property)', () => {
    const reference = /^\/([-_a-zA-Z0-9]+\/)*$/;
    const candidate = fc.oneof(
      fc.string({ unit: fc.constantFrom('/', 'a', 'Z', '0', '-', '_', '.', ' ', 'é'), maxLength: 12 }),
      anyScope.map((s) => s.text.slice(0, -1)),
    );
    fc.assert(
      fc.property(candidate, (text) => {
        const normalised = text.endsWith('/') ? text : `${text}/`;
        expect(Scope.isValid(text)).toBe(text !== '' && reference.test(normalised));
        if (Scope.isValid(text)) expect(Scope.parse(text).text).toBe(normalised);
      }),
      { seed: 0x5c0, numRuns: 1000 },
    );
  });
});

describe('Scope hierarchy', () => {
  const abc = Scope.parse('/a/b/c');

  it('lists super-scopes from the root down, optionally with itself', () => {
    expect(texts(abc.superScopes())).toEqual(['/', '/a/', '/a/b/']);
    expect(texts(abc.superScopes(true))).toEqual(['/', '/a/', '/a/b/', '/a/b/c/']);
    expect(texts(Scope.ROOT.superScopes())).toEqual([]);
    expect(texts(Scope.ROOT.superScopes(true))).toEqual(['/']);
  });

  it('has strict sub/super-scope relations', () => {
    expect(abc.isSubScopeOf(Scope.parse('/a'))).toBe(true);
    expect(abc.isSubScopeOf(Scope.ROOT)).toBe(true);
    expect(abc.isSubScopeOf(abc)).toBe(false);
    expect(abc.isSuperScopeOf(abc)).toBe(false);
    expect(Scope.parse('/a').isSuperScopeOf(abc)).toBe(true);
    expect(Scope.parse('/ab/').isSubScopeOf(Scope.parse('/a'))).toBe(false);
    expect(Scope.parse('/a/x').isSubScopeOf(Scope.parse('/a/b'))).toBe(false);
  });

  it('concatenates: /a/ + /b/c/ = /a/b/c/, root is neutral', () => {
    expect(Scope.parse('/a/').concat(Scope.parse('/b/c/')).text).toBe('/a/b/c/');
    expect(Scope.parse('/demo/rpc').concat(Scope.parse('/echoString')).text).toBe('/demo/rpc/echoString/');
    expect(Scope.ROOT.concat(abc)).toBe(abc);
    expect(abc.concat(Scope.ROOT)).toBe(abc);
  });

  it('relates every super-scope and concatenation consistently (property)', () => {
    fc.assert(
      fc.property(anyScope, anyScope, (x, y) => {
        for (const s of x.superScopes()) {
          expect(x.isSubScopeOf(s)).toBe(true);
          expect(s.isSuperScopeOf(x)).toBe(true);
        }
        const joined = x.concat(y);
        expect(joined.components).toEqual([...x.components, ...y.components]);
        expect(joined.isSubScopeOf(x) || y.depth === 0).toBe(true);
      }),
      { seed: 0x5c1, numRuns: 300 },
    );
  });
});

describe('Scope helpers', () => {
  it('builds scopes from components and rejects bad ones', () => {
    expect(Scope.fromComponents(['a', 'b']).text).toBe('/a/b/');
    expect(Scope.fromComponents([])).toBe(Scope.ROOT);
    expect(() => Scope.fromComponents(['a/b'])).toThrow(expect.objectContaining({ code: 'RSB_INVALID_SCOPE' }));
    expect(() => Scope.fromComponents([''])).toThrow(expect.objectContaining({ code: 'RSB_INVALID_SCOPE' }));
  });

  it('derives a component by replacing every character outside [-_a-zA-Z0-9] with _', () => {
    expect(Scope.componentFrom('my host.example:80/é')).toBe('my_host_example_80__');
    expect(Scope.componentFrom('a😀b')).toBe('a_b');
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 10 }), (text) => {
        expect(() => Scope.fromComponents([Scope.componentFrom(text)])).not.toThrow();
      }),
      { seed: 0x5c2, numRuns: 200 },
    );
    fc.assert(
      fc.property(component, (c) => {
        expect(Scope.componentFrom(c)).toBe(c);
      }),
      { seed: 0x5c3, numRuns: 100 },
    );
  });
});
