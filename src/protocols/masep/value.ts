import { MasepError } from './errors.js';
import { canonicalInt } from './python-number.js';
import type { JsonValue } from './json-value.js';
import type { XmlElement } from './xml-element.js';

/**
 * A domain object that writes its own XML element (Python: any value with a `to_xml()` method).
 * The classes of `State`, `GameObject`, `Agent`, `Action`, ... implement it.
 */
export interface MasepObject {
  /** The element's tag (e.g. `State`, `Agent`, or a registered game-specific class name). */
  readonly tag: string;
  /** This object as an XML element, attributes in wire order. */
  toXml(): XmlElement;
  /** A JSON view for logs and tools (see `valueToJson`); not a wire format. */
  toJSON(): JsonValue;
}

/** Python `int`: a `number` while it is a safe integer, a `bigint` beyond (see `Value.int`). */
export interface IntValue { readonly type: 'int'; readonly value: number | bigint }
/** Python `float`; `Value.float(1)` stays a float and is written `1.0`. */
export interface FloatValue { readonly type: 'float'; readonly value: number }
/** Python `bool`. */
export interface BoolValue { readonly type: 'bool'; readonly value: boolean }
/** Python `str`. */
export interface StrValue { readonly type: 'str'; readonly value: string }
/** Python `None`. */
export interface NoneValue { readonly type: 'none' }
/** Python `list`, `tuple` or `set` (a set's order is whatever the sender wrote). */
export interface SequenceValue {
  readonly type: 'list' | 'tuple' | 'set';
  readonly items: readonly MasepValue[];
}
/** Python `dict` with `str` keys, in insertion order. */
export interface DictValue { readonly type: 'dict'; readonly entries: ReadonlyMap<string, MasepValue> }
/**
 * A Python class reference such as `<class 'mygames.tictactoe.TicTacToe'>`. It is only a name:
 * resolve it through an allow-list (`AllowList`), never by importing anything.
 */
export interface ClassValue {
  readonly type: 'class';
  /** Dotted path, e.g. `mygames.tictactoe.TicTacToe`. */
  readonly path: string;
  /** Element tag: `type`, or the metaclass name (e.g. `ABCMeta`). */
  readonly tag: string;
}
/** A domain object (State, Agent, Action, ...) carried as a value. */
export interface ObjectValue { readonly type: 'object'; readonly object: MasepObject }
/**
 * An element the codec has no type for (e.g. a game-specific Python class that is not
 * registered). It is kept as an inert tree and written back unchanged.
 */
export interface XmlValue { readonly type: 'xml'; readonly element: XmlElement }

/** A value of the masep value codec (spec §2.2), explicitly typed: nothing is guessed. */
export type MasepValue =
  | IntValue
  | FloatValue
  | BoolValue
  | StrValue
  | NoneValue
  | SequenceValue
  | DictValue
  | ClassValue
  | ObjectValue
  | XmlValue;

/** A `dict` value's entries: what `Message` params hold. */
export type MasepDict = ReadonlyMap<string, MasepValue>;

const NONE: NoneValue = Object.freeze({ type: 'none' });

function toEntries(entries: MasepDict | Readonly<Record<string, MasepValue>>): MasepDict {
  return entries instanceof Map ? entries : new Map(Object.entries(entries));
}

/**
 * Constructors of {@link MasepValue}s.
 *
 * @example
 * ```ts
 * const params = Value.dict({ id: Value.str(id), queue_id: Value.int(0), role: Value.str('Actor') });
 * Value.float(1);     // written <float>1.0</float>, distinct from Value.int(1)
 * ```
 */
export const Value = {
  /** An int; throws `MASEP_UNENCODABLE` for a `number` that is not a safe integer (use bigint). */
  int(value: number | bigint): IntValue {
    const canonical = canonicalInt(value);
    if (canonical === undefined) {
      throw new MasepError('MASEP_UNENCODABLE', `${String(value)} is not a safe integer; pass a bigint`);
    }
    return { type: 'int', value: canonical };
  },
  float: (value: number): FloatValue => ({ type: 'float', value }),
  bool: (value: boolean): BoolValue => ({ type: 'bool', value }),
  str: (value: string): StrValue => ({ type: 'str', value }),
  none: (): NoneValue => NONE,
  list: (...items: MasepValue[]): SequenceValue => ({ type: 'list', items }),
  tuple: (...items: MasepValue[]): SequenceValue => ({ type: 'tuple', items }),
  set: (...items: MasepValue[]): SequenceValue => ({ type: 'set', items }),
  /** A dict from a `Map` (kept as is) or a plain record (in its key order). */
  dict: (entries: MasepDict | Readonly<Record<string, MasepValue>> = {}): DictValue => ({
    type: 'dict',
    entries: toEntries(entries),
  }),
  /** A class reference by dotted path; `tag` is `type` unless the class has a metaclass. */
  classRef: (path: string, tag = 'type'): ClassValue => ({ type: 'class', path, tag }),
  object: (object: MasepObject): ObjectValue => ({ type: 'object', object }),
  xml: (element: XmlElement): XmlValue => ({ type: 'xml', element }),
} as const;

/** The element tag a value is written with: its Python type name (`NoneType` for None). */
export function pythonTypeName(value: MasepValue): string {
  switch (value.type) {
    case 'none':
      return 'NoneType';
    case 'class':
      return value.tag;
    case 'object':
      return value.object.tag;
    case 'xml':
      return value.element.tag;
    default:
      return value.type;
  }
}
