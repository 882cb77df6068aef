import type { JsonValue } from './json-value.js';
import { pythonFloatRepr } from './python-number.js';
import type { MasepDict, MasepValue } from './value.js';
import { writeXml } from './xml-writer.js';

/**
 * A JSON view of a value for logs and tools (e.g. observations printed as JSON lines). It is
 * lossy by design: ints beyond 2^53 become decimal strings, non-finite floats become `"nan"`,
 * `"inf"`, `"-inf"`, tuples and sets become arrays, class references become `{"$class": path}`,
 * objects use their `toJSON()`, unknown elements become their XML text under `"$xml"`.
 *
 * @example
 * ```ts
 * JSON.stringify(valueToJson(Value.dict({ reward: Value.float(1) })));  // '{"reward":1}'
 * ```
 */
export function valueToJson(value: MasepValue): JsonValue {
  switch (value.type) {
    case 'int':
      return typeof value.value === 'bigint' ? value.value.toString() : value.value;
    case 'float':
      return Number.isFinite(value.value) ? value.value : pythonFloatRepr(value.value);
    case 'bool':
    case 'str':
      return value.value;
    case 'none':
      return null;
    case 'list':
    case 'tuple':
    case 'set':
      return value.items.map(valueToJson);
    case 'dict':
      return dictToJson(value.entries);
    case 'class':
      return { $class: value.path };
    case 'object':
      return value.object.toJSON();
    case 'xml':
      return { $xml: writeXml(value.element) };
  }
}

/** The JSON view of a dict's entries, as an object in insertion order. */
export function dictToJson(entries: MasepDict): { readonly [key: string]: JsonValue } {
  // fromEntries defines own properties, so a "__proto__" key stays an ordinary key.
  return Object.fromEntries(Array.from(entries, ([k, v]) => [k, valueToJson(v)]));
}
