import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Scope, ScopeTree } from '../../../src/protocols/rsb/index.js';
import { scope as anyScope } from './fixtures.js';

const s = (text: string) => Scope.parse(text);

describe('ScopeTree', () => {
  it('dispatches to subscribers on the scope and each super-scope, root first', () => {
    const tree = new ScopeTree<string>();
    tree.add(s('/'), 'root');
    tree.add(s('/demo'), 'demo');
    tree.add(s('/demo/a/b/'), 'demo-a-b');
    tree.add(s('/demo/x'), 'demo-x');
    tree.add(s('/demo/a/b/c'), 'below');
    expect(tree.collect(s('/demo/a/b'))).toEqual(['root', 'demo', 'demo-a-b']);
    expect(tree.collect(s('/demo/x/y'))).toEqual(['root', 'demo', 'demo-x']);
    expect(tree.collect(s('/other'))).toEqual(['root']);
    expect(tree.dispatch(s('/demo/a/b/c/d'), () => undefined)).toBe(4);
  });

  it('holds a subscriber once per scope and counts registrations', () => {
    const tree = new ScopeTree<number>();
    expect(tree.add(s('/a'), 1)).toBe(true);
    expect(tree.add(s('/a/'), 1)).toBe(false);
    expect(tree.add(s('/a/b'), 1)).toBe(true);
    expect(tree.size).toBe(2);
    expect(tree.collect(s('/a/b/c'))).toEqual([1, 1]);
    expect(tree.subscribersAt(s('/a'))).toEqual([1]);
  });

  it('removes subscribers and prunes empty branches', () => {
    const tree = new ScopeTree<string>();
    tree.add(s('/a/b/c'), 'x');
    tree.add(s('/a'), 'y');
    expect(tree.remove(s('/a/b'), 'x')).toBe(false);
    expect(tree.remove(s('/a/b/c'), 'y')).toBe(false);
    expect(tree.remove(s('/a/b/c'), 'x')).toBe(true);
    expect(tree.remove(s('/a/b/c'), 'x')).toBe(false);
    expect(tree.covers(s('/a/b/c'))).toBe(true);
    expect(tree.remove(s('/a'), 'y')).toBe(true);
    expect(tree.size).toBe(0);
    expect(tree.covers(s('/a/b/c'))).toBe(false);
    expect(tree.collect(s('/a/b/c'))).toEqual([]);
  });

  it('tells whether anything covers a scope (introspection traffic stays undecoded)', () => {
    const tree = new ScopeTree<string>();
    tree.add(s('/demo'), 'l');
    expect(tree.covers(s('/__rsb/introspection/participants/'))).toBe(false);
    expect(tree.covers(s('/demo/sub'))).toBe(true);
    expect(tree.covers(s('/'))).toBe(false);
  });

  it('lets a subscriber remove itself during dispatch', () => {
    const tree = new ScopeTree<string>();
    tree.add(s('/a'), 'once');
    tree.add(s('/a'), 'stays');
    const calls: string[] = [];
    tree.dispatch(s('/a/b'), (sub) => {
      calls.push(sub);
      if (sub === 'once') tree.remove(s('/a'), 'once');
    });
    expect(calls).toEqual(['once', 'stays']);
    expect(tree.collect(s('/a/b'))).toEqual(['stays']);
  });

  it('agrees with a naive super-scope filter (property)', () => {
    const op = fc.tuple(fc.boolean(), anyScope, fc.nat({ max: 4 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.array(anyScope, { maxLength: 10 }), (ops, events) => {
        const tree = new ScopeTree<number>();
        const naive = new Map<string, Set<number>>();
        for (const [add, scope, sub] of ops) {
          const key = `${scope.text}#${sub}`;
          if (add) {
            expect(tree.add(scope, sub)).toBe(!naive.has(key));
            naive.set(key, new Set([sub]));
          } else {
            expect(tree.remove(scope, sub)).toBe(naive.delete(key));
          }
        }
        expect(tree.size).toBe(naive.size);
        for (const event of events) {
          const expected = [...naive.keys()]
            .filter((key) => {
              const text = key.slice(0, key.indexOf('#'));
              return event.text.startsWith(text);
            })
            .map((key) => Number(key.slice(key.indexOf('#') + 1)))
            .sort();
          expect(tree.collect(event).sort()).toEqual(expected);
          expect(tree.covers(event)).toBe(expected.length > 0);
        }
      }),
      { seed: 0x7ee, numRuns: 300 },
    );
  });
});
