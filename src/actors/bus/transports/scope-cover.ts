import type { Scope } from '../../../protocols/rsb/index.js';

/** What a {@link ScopeCover} change asks the broker for: subscribe `added` first, then drop `removed`. */
export interface CoverChange {
  readonly added: readonly Scope[];
  readonly removed: readonly Scope[];
}

/**
 * The smallest set of scopes whose subscriptions (scope plus sub-scopes) cover every watched
 * scope: a scope is in the cover when none of its super-scopes is watched. Watches are counted,
 * so several sinks on one scope need one subscription. With the cover, a message matches
 * exactly one subscription of the process, whatever sinks overlap.
 */
export class ScopeCover {
  private readonly counts = new Map<string, { scope: Scope; count: number }>();
  private readonly covering = new Map<string, Scope>();

  /** The scopes subscribed now. */
  get scopes(): Scope[] {
    return [...this.covering.values()];
  }

  /** Counts a watch of `scope`; returns what the broker subscriptions must change. */
  add(scope: Scope): CoverChange {
    const entry = this.counts.get(scope.text);
    if (entry !== undefined) {
      entry.count++;
      return { added: [], removed: [] };
    }
    this.counts.set(scope.text, { scope, count: 1 });
    return this.recompute();
  }

  /** Uncounts a watch of `scope`; returns what the broker subscriptions must change. */
  remove(scope: Scope): CoverChange {
    const entry = this.counts.get(scope.text);
    if (entry === undefined) return { added: [], removed: [] };
    if (--entry.count > 0) return { added: [], removed: [] };
    this.counts.delete(scope.text);
    return this.recompute();
  }

  private recompute(): CoverChange {
    const next = new Map<string, Scope>();
    for (const { scope } of this.counts.values()) {
      if (!scope.superScopes(false).some((parent) => this.counts.has(parent.text))) next.set(scope.text, scope);
    }
    const added = [...next.values()].filter((s) => !this.covering.has(s.text));
    const removed = [...this.covering.values()].filter((s) => !next.has(s.text));
    this.covering.clear();
    for (const [text, scope] of next) this.covering.set(text, scope);
    return { added, removed };
  }
}
