import {
  BaseObject,
  decodeRegisteredObject,
  readBaseFieldsInto,
  readBoolAttribute,
  readIntAttribute,
  type BaseObjectFields,
} from './base-object.js';
import { GameObject } from './game-object.js';
import type { DecodeContext } from './value-codec.js';
import type { JsonValue } from './json-value.js';
import { xmlElement, type XmlElement } from './xml-element.js';

/** Fields of a {@link State}; `name` defaults to `State`. */
export interface StateFields extends Omit<BaseObjectFields, 'name'> {
  readonly name?: string;
  /** Element tag; default `State`. */
  readonly tag?: string;
  readonly isFinal?: boolean;
  readonly envStep?: number;
  readonly objects?: readonly GameObject[];
}

/**
 * The environment's state: `<State name="State" state="run" is_final="False" env_step="4">`
 * whose children are the objects (and agents) in insertion order.
 */
export class State extends BaseObject {
  declare readonly tag: string;
  declare readonly isFinal: boolean;
  declare readonly envStep: number;
  declare readonly objects: readonly GameObject[];

  constructor(fields: StateFields = {}) {
    super(fields, 'State');
    this.tag = fields.tag ?? 'State';
    this.isFinal = fields.isFinal ?? false;
    this.envStep = fields.envStep ?? 0;
    this.objects = fields.objects ?? [];
  }

  /** The object whose name is `name` (without the `State.` prefix), if any. */
  get(name: string): GameObject | undefined {
    return this.objects.find((o) => o.name === name);
  }

  /** An object's full name as pymasep spells it, e.g. `State.player0`. */
  fullName(object: GameObject): string {
    return `${this.name}.${object.name}`;
  }

  toXml(): XmlElement {
    return xmlElement(
      this.tag,
      [...this.baseAttributes(), ['is_final', this.isFinal ? 'True' : 'False'], ['env_step', String(this.envStep)]],
      this.objects.map((o) => o.toXml()),
    );
  }

  toJSON(): JsonValue {
    return {
      ...this.baseJson(),
      isFinal: this.isFinal,
      envStep: this.envStep,
      objects: this.objects.map((o) => o.toJSON()),
    };
  }

  /** Reads a `<State>`; each child is built through the object registry. */
  static fromXml(element: XmlElement, context: DecodeContext): State {
    return new State(
      readBaseFieldsInto(element, {
        tag: element.tag,
        isFinal: readBoolAttribute(element, 'is_final', false),
        envStep: readIntAttribute(element, 'env_step', 0),
        objects: element.children.map((child) => decodeRegisteredObject(child, context, GameObject)),
      }),
    );
  }
}
