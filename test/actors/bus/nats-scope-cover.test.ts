import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScopeCover } from '../../../src/actors/bus/transports/scope-cover.js';
import { Scope } from '../../../src/protocols/rsb/index.js';

const texts = (scopes: readonly Scope[]): string[] => scopes.map((s) => s.text).sort();

describe('ScopeCover', () => {
  it('subscribes only the outermost watched scopes, counting watches', () => {
    const cover = new ScopeCover();
    expect(texts(cover.add(Scope.parse('/a/b/')).added)).toEqual(['/a/b/']);
    expect(cover.add(Scope.parse('/a/b/')).added).toEqual([]);
    const widen = cover.add(Scope.parse('/a/'));
    expect(texts(widen.added)).toEqual(['/a/']);
    expect(texts(widen.removed)).toEqual(['/a/b/']);
    const narrow = cover.remove(Scope.parse('/a/'));
    expect(texts(narrow.added)).toEqual(['/a/b/']);
    expect(texts(narrow.removed)).toEqual(['/a/']);
    expect(cover.remove(Scope.parse('/a/b/')).removed).toEqual([]);
    expect(texts(cover.remove(Scope.parse('/a/b/')).removed)).toEqual(['/a/b/']);
    expect(cover.scopes).toEqual([]);
  });

  it('after any sequence of watches, covers each watched scope exactly once', () => {
    const scope = fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 3 }).map((c) => Scope.fromComponents(c));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), scope), { maxLength: 40 }), (ops) => {
        const cover = new ScopeCover();
        const watched = new Map<string, number>();
        const subscribed = new Set<string>();
        for (const [add, s] of ops) {
          const n = watched.get(s.text) ?? 0;
          if (!add && n === 0) continue;
          watched.set(s.text, add ? n + 1 : n - 1);
          const change = add ? cover.add(s) : cover.remove(s);
          for (const a of change.added) subscribed.add(a.text);
          for (const r of change.removed) subscribed.delete(r.text);
        }
        expect([...subscribed].sort()).toEqual(texts(cover.scopes));
        for (const [text, n] of watched) {
          if (n === 0) continue;
          const s = Scope.parse(text);
          const covering = s.superScopes(true).filter((sup) => subscribed.has(sup.text));
          expect(covering).toHaveLength(1);
        }
      }),
      { seed: 11 },
    );
  });
});
