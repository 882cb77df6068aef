import { BaseObject, decodeRegisteredObject, readBaseFields, type BaseObjectFields } from './base-object.js';
import { GameObject } from './game-object.js';
import type { DecodeContext } from './value-codec.js';
import type { JsonValue } from './value-json.js';
import { xmlElement, type XmlElement } from './xml-element.js';

/** Fields of a {@link Container}. */
export interface ContainerFields extends BaseObjectFields {
  readonly objects?: readonly GameObject[];
}

/** A named group of objects held by an object (`<Container …>`; children are the objects). */
export class Container extends BaseObject {
  readonly tag = 'Container';
  declare readonly objects: readonly GameObject[];

  constructor(fields: ContainerFields) {
    super(fields);
    this.objects = fields.objects ?? [];
  }

  toXml(): XmlElement {
    return xmlElement(this.tag, this.baseAttributes(), this.objects.map((o) => o.toXml()));
  }

  toJSON(): JsonValue {
    return { ...this.baseJson(), objects: this.objects.map((o) => o.toJSON()) };
  }

  /** Reads a `<Container>`; each child is built through the object registry. */
  static fromXml(element: XmlElement, context: DecodeContext): Container {
    const objects = element.children.map((child) => decodeRegisteredObject(child, context, GameObject));
    return new Container({ ...readBaseFields(element), objects });
  }
}
