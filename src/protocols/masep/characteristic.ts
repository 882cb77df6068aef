import { BaseObject, badObject, readBaseFields, type BaseObjectFields } from './base-object.js';
import { pythonTypeName, type MasepValue } from './value.js';
import { decodeValue, encodeValue, type DecodeContext } from './value-codec.js';
import type { JsonValue } from './json-value.js';
import { valueToJson } from './value-json.js';
import { xmlElement, type XmlElement } from './xml-element.js';

const CONTAINER_TAGS = new Set(['list', 'tuple', 'set', 'dict']);

/** Fields of a {@link Characteristic}. */
export interface CharacteristicFields extends BaseObjectFields {
  /** The value, or `null` for Python's None of a declared type (written `<valueType />`). */
  readonly value: MasepValue | null;
  /**
   * Declared Python type name, used only when `value` is null (written `<int />`); default
   * `NoneType`. Otherwise the type is the value's own.
   */
  readonly valueType?: string | undefined;
}

/**
 * One named value of an object (`<Characteristic name="Score" state="run"><int>3</int></Characteristic>`).
 */
export class Characteristic extends BaseObject {
  readonly tag = 'Characteristic';
  declare readonly value: MasepValue | null;
  /** The Python type name: the value's, or the declared one when `value` is null. */
  declare readonly valueType: string;

  constructor(fields: CharacteristicFields) {
    super(fields);
    this.value = fields.value;
    this.valueType = fields.value === null ? (fields.valueType ?? 'NoneType') : pythonTypeName(fields.value);
  }

  toXml(): XmlElement {
    const child = this.value === null ? xmlElement(this.valueType) : encodeValue(this.value);
    return xmlElement(this.tag, this.baseAttributes(), [child]);
  }

  toJSON(): JsonValue {
    return { ...this.baseJson(), valueType: this.valueType, value: this.value === null ? null : valueToJson(this.value) };
  }

  /**
   * Reads a `<Characteristic>`. Its single child is the value; an element with no text, no
   * attributes and no children that is not a container (e.g. `<int />`) is a None of that type.
   */
  static fromXml(element: XmlElement, context: DecodeContext): Characteristic {
    const fields = readBaseFields(element);
    const child = element.children[0];
    if (child === undefined) throw badObject(element, 'no value element');
    const isTypedNone =
      child.text === '' && child.children.length === 0 && child.attributes.length === 0 && !CONTAINER_TAGS.has(child.tag);
    return new Characteristic({
      name: fields.name,
      nature: fields.nature,
      state: fields.state,
      initializer: fields.initializer,
      template: fields.template,
      value: isTypedNone ? null : decodeValue(child, context),
      valueType: child.tag,
    });
  }
}
