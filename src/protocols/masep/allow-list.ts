import { MasepError } from './errors.js';

/**
 * A registry of names that wire data may refer to: game classes named in a DEFINE, object
 * classes named by XML tags, agent controllers. A wire string is only ever looked up here; an
 * unknown name is an error, never an import.
 *
 * @example
 * ```ts
 * const games = new AllowList<GameFactory>('game').register('mygames.tictactoe.TicTacToe', createTicTacToe);
 * const factory = games.require(definedClass.path); // MASEP_UNKNOWN_NAME when not registered
 * ```
 */
export class AllowList<T> {
  private readonly entries = new Map<string, T>();
  private frozen = false;

  /**
   * @param kind what the names denote, for error messages (`game`, `object class`, ...).
   * @param initial entries registered at construction.
   */
  constructor(
    readonly kind: string,
    initial: Iterable<readonly [string, T]> = [],
  ) {
    for (const [name, value] of initial) this.entries.set(name, value);
  }

  /** Adds or replaces `name`; returns `this` for chaining. */
  register(name: string, value: T): this {
    if (this.frozen) throw new TypeError(`this ${this.kind} allow-list is frozen; clone() it first`);
    this.entries.set(name, value);
    return this;
  }

  /** Whether `name` is allowed. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The entry for `name`, or `undefined`. */
  get(name: string): T | undefined {
    return this.entries.get(name);
  }

  /** The entry for `name`; throws `MASEP_UNKNOWN_NAME` when it is not registered. */
  require(name: string): T {
    const value = this.entries.get(name);
    if (value === undefined) {
      throw new MasepError('MASEP_UNKNOWN_NAME', `unknown ${this.kind} ${JSON.stringify(name.slice(0, 200))}`);
    }
    return value;
  }

  /** Registered names, in registration order. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /** Forbids further registrations (for shared defaults); returns `this`. */
  freeze(): this {
    this.frozen = true;
    return this;
  }

  /** A copy (never frozen) that can be extended without changing this one. */
  clone(): AllowList<T> {
    return new AllowList(this.kind, this.entries);
  }
}
