import { BaseObject, readBaseFields, type BaseObjectFields } from './base-object.js';
import type { JsonValue } from './json-value.js';
import { DeferredPart, type MaybeDeferred } from './deferred-part.js';
import { xmlElement, type XmlElement } from './xml-element.js';
import { isDeferredElement } from './xml-reader.js';

function readContent(element: XmlElement): string {
  return element.children.find((c) => c.tag === 'content')?.text ?? '';
}

/** Fields of a {@link Belief}; `name` defaults to `belief`. */
export interface BeliefFields extends Omit<BaseObjectFields, 'name'> {
  readonly name?: string;
  /** The belief graph as networkx GraphML text, carried opaquely; default ''. Or the deferred part that decodes it when first read. */
  readonly content?: MaybeDeferred<string>;
}

/** An agent's beliefs: `<Belief name="belief" state="run"><content>GRAPHML</content></Belief>`. */
export class Belief extends BaseObject {
  readonly tag = 'Belief';
  private declare contentField: MaybeDeferred<string>;

  constructor(fields: BeliefFields = {}) {
    super(fields, 'belief');
    this.contentField = fields.content ?? '';
  }

  /** The GraphML text. */
  get content(): string {
    const field = this.contentField;
    if (!(field instanceof DeferredPart)) return field;
    return (this.contentField = field.decode());
  }

  toXml(): XmlElement {
    return xmlElement(this.tag, this.baseAttributes(), [xmlElement('content', [], [], this.content)]);
  }

  toJSON(): JsonValue {
    return { ...this.baseJson(), content: this.content };
  }

  /** Reads a `<Belief>`; a missing `<content>` is an empty belief. A deferred element (see `readXml`) is read when `content` is. */
  static fromXml(element: XmlElement): Belief {
    const content = isDeferredElement(element) ? DeferredPart.of(readContent, element, undefined) : readContent(element);
    return new Belief({ ...readBaseFields(element), content });
  }
}
