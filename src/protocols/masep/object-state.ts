import { BaseObject, readBaseFields, type BaseObjectFields } from './base-object.js';
import { Characteristic } from './characteristic.js';
import type { DecodeContext } from './value-codec.js';
import type { JsonValue } from './value-json.js';
import { xmlElement, type XmlElement } from './xml-element.js';

/** Fields of an {@link ObjectState}; `name` defaults to `state`. */
export interface ObjectStateFields extends Omit<BaseObjectFields, 'name'> {
  readonly name?: string;
  readonly characteristics?: readonly Characteristic[];
}

/** The characteristics of one object (`<ObjectState name="state" …>`). */
export class ObjectState extends BaseObject {
  readonly tag = 'ObjectState';
  readonly characteristics: readonly Characteristic[];

  constructor(fields: ObjectStateFields = {}) {
    super({ ...fields, name: fields.name ?? 'state' });
    this.characteristics = fields.characteristics ?? [];
  }

  /** The characteristic called `name`, if any. */
  get(name: string): Characteristic | undefined {
    return this.characteristics.find((c) => c.name === name);
  }

  toXml(): XmlElement {
    return xmlElement(this.tag, this.baseAttributes(), this.characteristics.map((c) => c.toXml()));
  }

  /** JSON view: the characteristics as `{name: value}`. */
  characteristicsJson(): { [key: string]: JsonValue } {
    const out: { [key: string]: JsonValue } = {};
    for (const c of this.characteristics) {
      const json = c.toJSON() as { value: JsonValue };
      Object.defineProperty(out, c.name, { value: json.value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  toJSON(): JsonValue {
    return { ...this.baseJson(), characteristics: this.characteristicsJson() };
  }

  /** Reads an `<ObjectState>`; children other than `<Characteristic>` are ignored. */
  static fromXml(element: XmlElement, context: DecodeContext): ObjectState {
    const characteristics = element.children
      .filter((child) => child.tag === 'Characteristic')
      .map((child) => Characteristic.fromXml(child, context));
    return new ObjectState({ ...readBaseFields(element), characteristics });
  }
}
