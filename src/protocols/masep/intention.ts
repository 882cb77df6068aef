import { BaseObject, readBaseFields, type BaseObjectFields } from './base-object.js';
import { Action } from './action.js';
import type { DecodeContext } from './value-codec.js';
import type { JsonValue } from './json-value.js';
import { xmlElement, type XmlElement } from './xml-element.js';

/** Fields of an {@link Intention}; `name` defaults to `intention`. */
export interface IntentionFields extends Omit<BaseObjectFields, 'name'> {
  readonly name?: string;
  readonly actions?: readonly Action[];
}

/** The actions an agent intends (`<Intention name="intention" state="run">`, children `<Action>`). */
export class Intention extends BaseObject {
  readonly tag = 'Intention';
  declare readonly actions: readonly Action[];

  constructor(fields: IntentionFields = {}) {
    super(fields, 'intention');
    this.actions = fields.actions ?? [];
  }

  toXml(): XmlElement {
    return xmlElement(this.tag, this.baseAttributes(), this.actions.map((a) => a.toXml()));
  }

  toJSON(): JsonValue {
    return { ...this.baseJson(), actions: this.actions.map((a) => a.toJSON()) };
  }

  /** Reads an `<Intention>`; children other than `<Action>` are ignored. */
  static fromXml(element: XmlElement, context: DecodeContext): Intention {
    const actions = element.children.filter((c) => c.tag === 'Action').map((c) => Action.fromXml(c, context));
    return new Intention({ ...readBaseFields(element), actions });
  }
}
