import type { Scope } from './scope.js';

interface Node<T> {
  subscribers: Set<T> | undefined;
  children: Map<string, Node<T>> | undefined;
}

function newNode<T>(): Node<T> {
  return { subscribers: undefined, children: undefined };
}

/**
 * Subscribers registered at scopes, and dispatch of an event scope to every subscriber on that
 * scope or on any of its super-scopes: an event on `/a/b/c/` reaches subscribers on `/`, `/a/`,
 * `/a/b/` and `/a/b/c/`, not those on `/a/b/c/d/` or `/a/x/`. Dispatch walks the tree along the
 * scope's (already parsed) components, so it costs one map lookup per component and never splits
 * strings.
 *
 * A subscriber is held once per scope (set semantics). Subscribers may add or remove themselves
 * from inside a dispatch callback; a subscriber removed before its turn is not called, one added
 * during the dispatch may or may not be.
 *
 * @example
 * ```ts
 * const tree = new ScopeTree<string>();
 * tree.add(Scope.parse('/a'), 'listener-1');
 * tree.dispatch(Scope.parse('/a/b'), (s) => console.log(s)); // listener-1
 * ```
 */
export class ScopeTree<T> {
  private readonly root: Node<T> = newNode();
  private count = 0;

  /** Number of (scope, subscriber) registrations. */
  get size(): number {
    return this.count;
  }

  /** Registers `subscriber` at `scope`; returns false when it was already registered there. */
  add(scope: Scope, subscriber: T): boolean {
    let node = this.root;
    for (const component of scope.components) {
      node.children ??= new Map();
      let child = node.children.get(component);
      if (child === undefined) {
        child = newNode();
        node.children.set(component, child);
      }
      node = child;
    }
    node.subscribers ??= new Set();
    if (node.subscribers.has(subscriber)) return false;
    node.subscribers.add(subscriber);
    this.count++;
    return true;
  }

  /** Removes `subscriber` from `scope`, pruning emptied branches; returns whether it was there. */
  remove(scope: Scope, subscriber: T): boolean {
    const path: Node<T>[] = [this.root];
    let node = this.root;
    for (const component of scope.components) {
      const child = node.children?.get(component);
      if (child === undefined) return false;
      path.push(child);
      node = child;
    }
    if (node.subscribers === undefined || !node.subscribers.delete(subscriber)) return false;
    this.count--;
    if (node.subscribers.size === 0) node.subscribers = undefined;
    for (let depth = scope.components.length; depth > 0; depth--) {
      const current = path[depth];
      if (current.subscribers !== undefined || (current.children !== undefined && current.children.size > 0)) break;
      const parent = path[depth - 1];
      parent.children?.delete(scope.components[depth - 1]);
      if (parent.children?.size === 0) parent.children = undefined;
    }
    return true;
  }

  /**
   * Calls `deliver` once per registration on `scope` and on each of its super-scopes, from the
   * root down. Returns the number of calls.
   */
  dispatch(scope: Scope, deliver: (subscriber: T) => void): number {
    let calls = 0;
    let node: Node<T> | undefined = this.root;
    const components = scope.components;
    for (let i = 0; ; i++) {
      if (node.subscribers !== undefined) {
        for (const subscriber of node.subscribers) {
          deliver(subscriber);
          calls++;
        }
      }
      if (i === components.length) return calls;
      node = node.children?.get(components[i]);
      if (node === undefined) return calls;
    }
  }

  /**
   * True when some subscriber would receive an event on `scope`. A receiver uses it to skip
   * notifications nobody covers without decoding their payload.
   */
  covers(scope: Scope): boolean {
    let node: Node<T> | undefined = this.root;
    const components = scope.components;
    for (let i = 0; ; i++) {
      if (node.subscribers !== undefined) return true;
      if (i === components.length) return false;
      node = node.children?.get(components[i]);
      if (node === undefined) return false;
    }
  }

  /** The subscribers {@link ScopeTree.dispatch} would call for `scope`, in the same order. */
  collect(scope: Scope): T[] {
    const out: T[] = [];
    this.dispatch(scope, (subscriber) => out.push(subscriber));
    return out;
  }

  /** The subscribers registered exactly at `scope`. */
  subscribersAt(scope: Scope): T[] {
    let node: Node<T> | undefined = this.root;
    for (const component of scope.components) {
      node = node.children?.get(component);
      if (node === undefined) return [];
    }
    return node.subscribers === undefined ? [] : [...node.subscribers];
  }
}
