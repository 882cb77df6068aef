import { badObject } from './base-object.js';
import { Belief } from './belief.js';
import { GameObject, type GameObjectFields } from './game-object.js';
import { Intention } from './intention.js';
import type { DecodeContext } from './value-codec.js';
import type { JsonValue } from './value-json.js';
import { getAttribute, type XmlElement } from './xml-element.js';

/** Fields of an {@link Agent}. */
export interface AgentFields extends GameObjectFields {
  /**
   * Fully qualified name of the controller class, e.g.
   * `pymasep.engine.external_controller.ExternalController`. A name, never imported.
   */
  readonly controller: string;
  /** The sub-app id in charge of this agent (the interface ident), when controlled remotely. */
  readonly control?: string | undefined;
  readonly intention?: Intention | undefined;
  readonly belief?: Belief | undefined;
}

/**
 * An agent (`<Agent … controller="…" control="…">`): an object plus an optional `<Intention>` and
 * a `<Belief>`.
 */
export class Agent extends GameObject {
  readonly controller: string;
  readonly control: string | undefined;
  readonly intention: Intention | undefined;
  readonly belief: Belief | undefined;

  constructor(fields: AgentFields) {
    super({ ...fields, tag: fields.tag ?? 'Agent' });
    this.controller = fields.controller;
    this.control = fields.control;
    this.intention = fields.intention;
    this.belief = fields.belief;
  }

  protected override attributes(): Array<readonly [string, string | undefined]> {
    return [...super.attributes(), ['controller', this.controller], ['control', this.control]];
  }

  protected override childElements(): XmlElement[] {
    const children = super.childElements();
    if (this.intention) children.push(this.intention.toXml());
    if (this.belief) children.push(this.belief.toXml());
    return children;
  }

  override toJSON(): JsonValue {
    const json: { [key: string]: JsonValue } = { ...(super.toJSON() as object), controller: this.controller };
    if (this.control !== undefined) json.control = this.control;
    if (this.intention) json.intention = this.intention.actions.map((a) => a.toJSON());
    if (this.belief) json.belief = this.belief.content;
    return json;
  }

  /** Reads an `<Agent>` (or a registered agent tag); `controller` is required. */
  static override fromXml(element: XmlElement, context: DecodeContext): Agent {
    const controller = getAttribute(element, 'controller');
    if (controller === undefined) throw badObject(element, 'missing controller attribute');
    const intention = element.children.find((c) => c.tag === 'Intention');
    const belief = element.children.find((c) => c.tag === 'Belief');
    return new Agent({
      ...GameObject.readParts(element, context),
      controller,
      control: getAttribute(element, 'control'),
      intention: intention && Intention.fromXml(intention, context),
      belief: belief && Belief.fromXml(belief),
    });
  }
}
