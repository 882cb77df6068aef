import { badObject, readIntAttribute } from './base-object.js';
import { MasepError } from './errors.js';
import { canonicalInt } from './python-number.js';
import type { MasepDict, MasepObject, MasepValue } from './value.js';
import { decodeValue, encodeValue, type DecodeContext } from './value-codec.js';
import type { JsonValue } from './json-value.js';
import { dictToJson } from './value-json.js';
import { getAttribute, xmlElement, type XmlElement } from './xml-element.js';

/** Action types every game shares (spec §2.4); other numbers are defined by each game. */
export const ActionType = {
  NONE: 0,
  INIT_OBJECT: 1000,
  INTENTION: 2000,
  VIDEO_ENDED: 10000,
} as const;

/**
 * An agent's action: `<Action type="INT">` with one `<ActionParameter name="P">VALUE</ActionParameter>`
 * per parameter, in insertion order.
 *
 * @example
 * ```ts
 * new Action(5, { direction: Value.str('up'), count: Value.int(2) });
 * ```
 */
export class Action implements MasepObject {
  readonly tag: string = 'Action';
  declare readonly type: number;
  declare readonly parameters: MasepDict;

  /** @param type a safe integer; `MASEP_UNENCODABLE` otherwise. */
  constructor(type: number, parameters: MasepDict | Readonly<Record<string, MasepValue>> = {}) {
    if (canonicalInt(type) === undefined) {
      throw new MasepError('MASEP_UNENCODABLE', `action type ${type} is not a safe integer`);
    }
    this.type = type;
    this.parameters = parameters instanceof Map ? parameters : new Map(Object.entries(parameters));
  }

  toXml(): XmlElement {
    const parameters = Array.from(this.parameters, ([name, value]) =>
      xmlElement('ActionParameter', [['name', name]], [encodeValue(value)]),
    );
    return xmlElement(this.tag, [['type', String(this.type)]], parameters);
  }

  toJSON(): JsonValue {
    return { kind: this.tag, type: this.type, parameters: dictToJson(this.parameters) };
  }

  /**
   * Reads an `<Action>`: `type` must be an int; each `<ActionParameter>` needs a `name` and a
   * value element (a nested `<Action>`, an object or a §2.2 value).
   */
  static fromXml(element: XmlElement, context: DecodeContext): Action {
    const type = readIntAttribute(element, 'type');
    const parameters = new Map<string, MasepValue>();
    for (const child of element.children) {
      if (child.tag !== 'ActionParameter') continue;
      const name = getAttribute(child, 'name');
      if (name === undefined) throw badObject(element, 'an <ActionParameter> without a name');
      const valueElement = child.children[0];
      if (valueElement === undefined) throw badObject(element, `parameter ${JSON.stringify(name)} has no value`);
      parameters.set(name, decodeValue(valueElement, context));
    }
    return new Action(type, parameters);
  }
}
