import { RsbError } from './errors.js';

const COMPONENT = /^[-_a-zA-Z0-9]+$/;
const INVALID_COMPONENT_CHAR = /[^-_a-zA-Z0-9]/gu;
// Parsed scopes are interned so that the wire path turns a scope string into a Scope with one
// map lookup; the cache is dropped wholesale when full (a peer sending endless new scopes costs
// re-parsing, never memory).
const CACHE_LIMIT = 4096;
const cache = new Map<string, Scope>();

function isComponentChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x30 && c <= 0x39) || // 0-9
    c === 0x2d || // -
    c === 0x5f // _
  );
}

/** Why `text` is not a valid scope, or undefined when it is. */
function findProblem(text: string): string | undefined {
  if (text.length === 0) return 'is empty';
  if (text.charCodeAt(0) !== 0x2f) return 'does not start with "/"';
  let componentLength = 0;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2f) {
      if (componentLength === 0) return `has an empty component at offset ${i}`;
      componentLength = 0;
    } else if (isComponentChar(c)) {
      componentLength++;
    } else if (c >= 0x80) {
      return `holds the non-ASCII character ${JSON.stringify(text[i])} at offset ${i}`;
    } else {
      return `holds ${JSON.stringify(text[i])} at offset ${i}, outside [-_a-zA-Z0-9]`;
    }
  }
  return undefined;
}

/**
 * An RSB scope: a path of components such as `/demo/strings/`, matching `/([-_a-zA-Z0-9]+/)*`.
 * The trailing `/` may be omitted on input; {@link Scope.text} is always normalised (with it), as
 * on the wire and in map keys. Scopes are immutable and interned: parsing the same text twice
 * usually gives the same object, but compare with {@link Scope.equals}.
 *
 * @example
 * ```ts
 * const s = Scope.parse('/a/b');
 * s.text;                          // '/a/b/'
 * s.superScopes().map(String);     // ['/', '/a/']
 * s.concat(Scope.parse('/c')).text // '/a/b/c/'
 * ```
 */
export class Scope {
  /** The root scope `/`, a super-scope of every other scope. */
  static readonly ROOT: Scope = new Scope(Object.freeze([]), '/');

  /** The components, e.g. `['a', 'b']` for `/a/b/`; empty for the root. */
  readonly components: readonly string[];
  /** The normalised text with leading and trailing `/`. */
  readonly text: string;
  private superScopeCache: readonly Scope[] | undefined;

  private constructor(components: readonly string[], text: string) {
    this.components = components;
    this.text = text;
  }

  /**
   * Parses and normalises a scope string. Throws `RSB_INVALID_SCOPE` for the empty string, a
   * missing leading `/`, an empty component (`//`) or any character outside `[-_a-zA-Z0-9]`
   * (non-ASCII included), as every original implementation does.
   */
  static parse(text: string): Scope {
    const hit = cache.get(text);
    if (hit !== undefined) return hit;
    const problem = findProblem(text);
    if (problem !== undefined) {
      throw new RsbError('RSB_INVALID_SCOPE', `invalid scope ${JSON.stringify(text)}: it ${problem}`);
    }
    const normalised = text.endsWith('/') ? text : `${text}/`;
    let scope = normalised === text ? undefined : cache.get(normalised);
    if (scope === undefined) {
      scope = normalised === '/' ? Scope.ROOT : new Scope(Object.freeze(normalised.slice(1, -1).split('/')), normalised);
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, scope);
    if (normalised !== text) cache.set(normalised, scope);
    return scope;
  }

  /** True when {@link Scope.parse} would accept `text`. */
  static isValid(text: string): boolean {
    return cache.has(text) || findProblem(text) === undefined;
  }

  /**
   * The scope with the given components. Throws `RSB_INVALID_SCOPE` when a component is empty or
   * holds a character outside `[-_a-zA-Z0-9]`.
   */
  static fromComponents(components: readonly string[]): Scope {
    for (const component of components) {
      if (!COMPONENT.test(component)) {
        throw new RsbError('RSB_INVALID_SCOPE', `invalid scope component ${JSON.stringify(component)}`);
      }
    }
    return components.length === 0 ? Scope.ROOT : Scope.parse(`/${components.join('/')}/`);
  }

  /**
   * A valid component derived from an arbitrary string: every character outside `[-_a-zA-Z0-9]`
   * becomes `_` (an empty string stays empty and is still not a valid component).
   */
  static componentFrom(text: string): string {
    return text.replace(INVALID_COMPONENT_CHAR, '_');
  }

  /** Number of components (0 for the root). */
  get depth(): number {
    return this.components.length;
  }

  /** True for the same normalised text. */
  equals(other: Scope): boolean {
    return this === other || this.text === other.text;
  }

  /** Strict: true when `other` is a proper ancestor of this scope (never for equal scopes). */
  isSubScopeOf(other: Scope): boolean {
    return this.text.length > other.text.length && this.text.startsWith(other.text);
  }

  /** Strict: true when this scope is a proper ancestor of `other` (never for equal scopes). */
  isSuperScopeOf(other: Scope): boolean {
    return other.isSubScopeOf(this);
  }

  /**
   * The ancestors from the root down, e.g. `/`, `/a/`, `/a/b/` for `/a/b/c/`, plus this scope at
   * the end when `includeSelf` is true.
   */
  superScopes(includeSelf = false): readonly Scope[] {
    let supers = this.superScopeCache;
    if (supers === undefined) {
      const list: Scope[] = [Scope.ROOT];
      let text = '/';
      for (let i = 0; i < this.components.length - 1; i++) {
        text += `${this.components[i]}/`;
        list.push(Scope.parse(text));
      }
      supers = this.superScopeCache = Object.freeze(this === Scope.ROOT ? [] : list);
    }
    return includeSelf ? [...supers, this] : supers;
  }

  /** This scope followed by the components of `other`: `/a/`.concat(`/b/c/`) is `/a/b/c/`. */
  concat(other: Scope): Scope {
    if (other.depth === 0) return this;
    if (this.depth === 0) return other;
    return Scope.parse(this.text + other.text.slice(1));
  }

  /** The normalised text. */
  toString(): string {
    return this.text;
  }
}
