import { badObject } from './base-object.js';
import { Belief } from './belief.js';
import { GameObject, type GameObjectFields } from './game-object.js';
import { Intention } from './intention.js';
import type { DecodeContext } from './value-codec.js';
import type { JsonValue } from './json-value.js';
import { DeferredPart, type MaybeDeferred } from './deferred-part.js';
import { getAttribute, type XmlElement } from './xml-element.js';
import { isDeferredElement } from './xml-reader.js';

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
  /** Instead of `intention` and `belief`: the deferred part that decodes both when either is first read. */
  readonly deferredMind?: DeferredPart<AgentMind>;
}

/** The children of an agent element that {@link Agent} holds beyond those of an object. */
export interface AgentMind {
  readonly intention: Intention | undefined;
  readonly belief: Belief | undefined;
}

function readMind(element: XmlElement, context: DecodeContext): AgentMind {
  const intention = element.children.find((c) => c.tag === 'Intention');
  const belief = element.children.find((c) => c.tag === 'Belief');
  return { intention: intention && Intention.fromXml(intention, context), belief: belief && Belief.fromXml(belief) };
}

/**
 * An agent (`<Agent … controller="…" control="…">`): an object plus an optional `<Intention>` and
 * a `<Belief>`.
 */
export class Agent extends GameObject {
  declare readonly tag: string;
  declare readonly controller: string;
  declare readonly control: string | undefined;
  private declare mindField: MaybeDeferred<AgentMind>;

  constructor(fields: AgentFields) {
    super(fields);
    this.tag = fields.tag ?? 'Agent';
    this.controller = fields.controller;
    this.control = fields.control;
    this.mindField = fields.deferredMind ?? { intention: fields.intention, belief: fields.belief };
  }

  /** The agent's intention, if any. */
  get intention(): Intention | undefined {
    return this.mind().intention;
  }

  /** The agent's belief, if any. */
  get belief(): Belief | undefined {
    return this.mind().belief;
  }

  private mind(): AgentMind {
    const field = this.mindField;
    if (!(field instanceof DeferredPart)) return field;
    return (this.mindField = field.decode());
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
    // A deferred element (see `readXml`) is decoded part by part, as each part is read.
    const lazy = isDeferredElement(element);
    const fields = GameObject.readFields(element, context);
    const mind = lazy ? undefined : readMind(element, context);
    // Fields listed, not spread: spreading costs more than the rest of this on the hot path.
    return new Agent({
      name: fields.name,
      nature: fields.nature,
      state: fields.state,
      initializer: fields.initializer,
      template: fields.template,
      tag: fields.tag,
      objectState: fields.objectState,
      containers: fields.containers,
      deferredParts: fields.deferredParts,
      controller,
      control: getAttribute(element, 'control'),
      intention: mind?.intention,
      belief: mind?.belief,
      deferredMind: lazy ? DeferredPart.of(readMind, element, context) : undefined,
    });
  }
}
