import { BaseObject, readBaseFields, type BaseObjectFields } from './base-object.js';
import type { JsonValue } from './value-json.js';
import { xmlElement, type XmlElement } from './xml-element.js';

/** Fields of a {@link Belief}; `name` defaults to `belief`. */
export interface BeliefFields extends Omit<BaseObjectFields, 'name'> {
  readonly name?: string;
  /** The belief graph as networkx GraphML text, carried opaquely; default ''. */
  readonly content?: string;
}

/** An agent's beliefs: `<Belief name="belief" state="run"><content>GRAPHML</content></Belief>`. */
export class Belief extends BaseObject {
  readonly tag = 'Belief';
  readonly content: string;

  constructor(fields: BeliefFields = {}) {
    super({ ...fields, name: fields.name ?? 'belief' });
    this.content = fields.content ?? '';
  }

  toXml(): XmlElement {
    return xmlElement(this.tag, this.baseAttributes(), [xmlElement('content', [], [], this.content)]);
  }

  toJSON(): JsonValue {
    return { ...this.baseJson(), content: this.content };
  }

  /** Reads a `<Belief>`; a missing `<content>` is an empty belief. */
  static fromXml(element: XmlElement): Belief {
    const content = element.children.find((c) => c.tag === 'content');
    return new Belief({ ...readBaseFields(element), content: content?.text ?? '' });
  }
}
