import { Action, Value, type MasepValue } from '../../protocols/masep/index.js';
import { MasepActorError } from './errors.js';

/**
 * An action parameter as plain data, written as pymasep writes the Python value: a string
 * `<str>`, an integer `<int>`, any other finite number `<float>`, a boolean `<bool>`, null
 * `<NoneType>`, an array `<list>`, a plain object `<dict>`. A {@link MasepValue} (e.g.
 * `Value.float(1)`, written `1.0`) is taken as it is.
 */
export type PlainParam =
  | string
  | number
  | boolean
  | null
  | MasepValue
  | readonly PlainParam[]
  | { readonly [key: string]: PlainParam };

/**
 * An action without importing actorwire: the game's action type number and its parameters as
 * {@link PlainParam}s, in the order given.
 *
 * @example
 * ```ts
 * const place: PlainAction = { type: 1, params: { row: 0, col: 2 } };
 * // <Action type="1"><ActionParameter name="row"><int>0</int></ActionParameter><ActionParameter name="col"><int>2</int></ActionParameter></Action>
 * ```
 */
export interface PlainAction {
  readonly type: number;
  readonly params?: Readonly<Record<string, PlainParam>>;
}

/** Whether a parameter object is a {@link MasepValue} (its kind and that kind's field) rather than a plain dict. */
function isMasepValue(value: object): value is MasepValue {
  const v = value as Partial<Record<string, unknown>>;
  switch (v.type) {
    case 'int':
    case 'float':
    case 'bool':
    case 'str':
      return 'value' in v;
    case 'none':
      return Object.keys(v).length === 1;
    case 'list':
    case 'tuple':
    case 'set':
      return Array.isArray(v.items);
    case 'dict':
      return v.entries instanceof Map;
    case 'class':
      return typeof v.path === 'string';
    case 'object':
      return 'object' in v;
    case 'xml':
      return 'element' in v;
    default:
      return false;
  }
}

/** The {@link MasepValue} of a plain parameter; `MASEP_BAD_POLICY` for what pymasep cannot carry. */
export function plainToValue(value: PlainParam, key: string): MasepValue {
  if (value === null) return Value.none();
  if (typeof value === 'string') return Value.str(value);
  if (typeof value === 'boolean') return Value.bool(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new MasepActorError('MASEP_BAD_POLICY', `action parameter '${key}' must be finite`);
    return Number.isSafeInteger(value) ? Value.int(value) : Value.float(value);
  }
  if (Array.isArray(value)) return Value.list(...value.map((item: PlainParam) => plainToValue(item, key)));
  if (typeof value === 'object') {
    if (isMasepValue(value)) return value;
    const entries = Object.entries(value as Readonly<Record<string, PlainParam>>);
    return Value.dict(new Map(entries.map(([k, v]) => [k, plainToValue(v, `${key}.${k}`)])));
  }
  throw new MasepActorError('MASEP_BAD_POLICY', `action parameter '${key}' has no pymasep type (${typeof value})`);
}

/**
 * An `Action` from what a policy returned: an `Action` as it is, a {@link PlainAction} built
 * generically, or null (nothing to send).
 *
 * @throws {@link MasepActorError} `MASEP_BAD_POLICY` for anything else.
 */
export function toAction(result: Action | PlainAction | null | undefined): Action | null {
  if (result === null || result === undefined) return null;
  if (result instanceof Action) return result;
  if (typeof result !== 'object' || !Number.isSafeInteger(result.type)) {
    throw new MasepActorError('MASEP_BAD_POLICY', 'a policy must return an Action, {type, params} or null');
  }
  const params = new Map<string, MasepValue>();
  for (const [key, value] of Object.entries(result.params ?? {})) params.set(key, plainToValue(value, key));
  return new Action(result.type, params);
}

/** A word of an action spec as a plain value: see {@link parseActionSpec}. */
function specValue(text: string): PlainParam {
  const quoted = /^(['"])(.*)\1$/s.exec(text);
  if (quoted) return quoted[2];
  if (/^[+-]?\d+$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : Value.int(BigInt(text));
  }
  if (/^[+-]?(?:\d+\.\d*|\.\d+|\d+(?:\.\d*)?[eE][+-]?\d+)$/.test(text)) return Value.float(Number(text));
  if (text === 'True' || text === 'true') return true;
  if (text === 'False' || text === 'false') return false;
  if (text === 'None') return null;
  return text;
}

/**
 * Parses an action written on a command line, `<type> key=value …` (the CLI's `--action`): the
 * action type number, then parameters whose values read as Python literals do: `3` an int, `0.5`
 * or `1.0` a float, `True`/`False` a bool, `None` None, anything else a str; quote a value
 * (`key='3'`) to keep it a str.
 *
 * @example
 * ```ts
 * parseActionSpec('1 row=0 col=2');          // { type: 1, params: { row: 0, col: 2 } }
 * parseActionSpec("5 direction=up label='7'"); // direction 'up', label '7' (str)
 * ```
 * @throws {@link MasepActorError} `MASEP_BAD_POLICY` when the type is no integer or a word has no `=`.
 */
export function parseActionSpec(spec: string): PlainAction {
  const [typeText, ...words] = spec.trim().split(/\s+/);
  if (typeText === undefined || !/^[+-]?\d+$/.test(typeText) || !Number.isSafeInteger(Number(typeText))) {
    throw new MasepActorError('MASEP_BAD_POLICY', `an action is '<type> key=value ...' with an integer type, not '${spec.slice(0, 80)}'`);
  }
  const params: Record<string, PlainParam> = {};
  for (const word of words) {
    const at = word.indexOf('=');
    if (at <= 0) throw new MasepActorError('MASEP_BAD_POLICY', `action parameter '${word.slice(0, 80)}' is not key=value`);
    Object.defineProperty(params, word.slice(0, at), { value: specValue(word.slice(at + 1)), enumerable: true });
  }
  return { type: Number(typeText), params };
}
