import { BaseObject, readBaseFieldsInto, type BaseObjectFields } from './base-object.js';
import { Characteristic } from './characteristic.js';
import type { DecodeContext } from './value-codec.js';
import type { JsonValue } from './json-value.js';
import { DeferredPart, type MaybeDeferred } from './deferred-part.js';
import { xmlElement, type XmlElement } from './xml-element.js';
import { isDeferredElement } from './xml-reader.js';

function readCharacteristics(element: XmlElement, context: DecodeContext): Characteristic[] {
  const out: Characteristic[] = [];
  for (const child of element.children) if (child.tag === 'Characteristic') out.push(Characteristic.fromXml(child, context));
  return out;
}

/** Fields of an {@link ObjectState}; `name` defaults to `state`. */
export interface ObjectStateFields extends Omit<BaseObjectFields, 'name'> {
  readonly name?: string;
  /** The characteristics, or the deferred part that decodes them when first read. */
  readonly characteristics?: MaybeDeferred<readonly Characteristic[]>;
}

/** The characteristics of one object (`<ObjectState name="state" …>`). */
export class ObjectState extends BaseObject {
  readonly tag = 'ObjectState';
  private declare characteristicsField: MaybeDeferred<readonly Characteristic[]>;

  constructor(fields: ObjectStateFields = {}) {
    super(fields, 'state');
    this.characteristicsField = fields.characteristics ?? [];
  }

  /** The characteristics, in document order. */
  get characteristics(): readonly Characteristic[] {
    const field = this.characteristicsField;
    if (!(field instanceof DeferredPart)) return field;
    return (this.characteristicsField = field.decode());
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

  /**
   * Reads an `<ObjectState>`; children other than `<Characteristic>` are ignored. The
   * characteristics of a deferred element (see `readXml`) are decoded when first read.
   */
  static fromXml(element: XmlElement, context: DecodeContext): ObjectState {
    const characteristics = isDeferredElement(element)
      ? DeferredPart.of(readCharacteristics, element, context)
      : readCharacteristics(element, context);
    return new ObjectState(readBaseFieldsInto(element, { characteristics }));
  }

}
