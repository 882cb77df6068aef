/**
 * A pymasep object and its containers: the recursive tree of game objects (an object holds
 * containers, a container holds objects), in one module because each decodes the other.
 */
import { BaseObject, badObject, decodeRegisteredObject, readBaseFields, readBaseFieldsInto, type BaseObjectFields } from './base-object.js';
import { ObjectState } from './object-state.js';
import type { DecodeContext } from './value-codec.js';
import type { JsonValue } from './json-value.js';
import { DeferredPart, type MaybeDeferred } from './deferred-part.js';
import { xmlElement, type XmlElement } from './xml-element.js';
import { isDeferredElement } from './xml-reader.js';

function readChildren(element: XmlElement, context: DecodeContext): { objectState: ObjectState; containers: Container[] } {
  let objectState: ObjectState | undefined;
  const containers: Container[] = [];
  for (const child of element.children) {
    if (child.tag === 'ObjectState') objectState ??= ObjectState.fromXml(child, context);
    else if (child.tag === 'Container') containers.push(Container.fromXml(child, context));
  }
  if (objectState === undefined) throw badObject(element, 'no <ObjectState>');
  return { objectState, containers };
}

/** Fields of a {@link GameObject}. */
export interface GameObjectFields extends BaseObjectFields {
  /** Element tag; default `Object`. A game-specific class name must be in the object registry. */
  readonly tag?: string;
  readonly objectState?: ObjectState;
  readonly containers?: readonly Container[];
  /**
   * Instead of `objectState` and `containers`: the deferred part that decodes both when either
   * is first read.
   */
  readonly deferredParts?: DeferredPart<GameObjectChildren>;
}

/** The children of an object element that {@link GameObject} holds. */
export interface GameObjectChildren {
  readonly objectState: ObjectState;
  readonly containers: readonly Container[];
}

/** The parts of an object element that {@link GameObject} and its subclasses share. */
export interface GameObjectParts extends BaseObjectFields {
  readonly tag: string;
  readonly objectState: ObjectState;
  readonly containers: Container[];
}

/**
 * A pymasep `Object` (`<Object name="system" state="run">`): one `<ObjectState>`, then one
 * `<Container>` per container. Named GameObject because `Object` is taken in JS.
 */
export class GameObject extends BaseObject {
  declare readonly tag: string;
  private declare childrenField: MaybeDeferred<GameObjectChildren>;

  constructor(fields: GameObjectFields) {
    super(fields);
    this.tag = fields.tag ?? 'Object';
    this.childrenField = fields.deferredParts ?? {
      objectState: fields.objectState ?? new ObjectState({ state: fields.state }),
      containers: fields.containers ?? [],
    };
  }

  /** The object's characteristics. */
  get objectState(): ObjectState {
    return this.children().objectState;
  }

  /** The object's containers. */
  get containers(): readonly Container[] {
    return this.children().containers;
  }

  private children(): GameObjectChildren {
    const field = this.childrenField;
    if (!(field instanceof DeferredPart)) return field;
    return (this.childrenField = field.decode());
  }

  /** Attributes in wire order; subclasses append theirs. */
  protected attributes(): Array<readonly [string, string | undefined]> {
    return this.baseAttributes();
  }

  /** Child elements in wire order; subclasses append theirs. */
  protected childElements(): XmlElement[] {
    return [this.objectState.toXml(), ...this.containers.map((c) => c.toXml())];
  }

  toXml(): XmlElement {
    return xmlElement(this.tag, this.attributes(), this.childElements());
  }

  toJSON(): JsonValue {
    return {
      ...this.baseJson(),
      characteristics: this.objectState.characteristicsJson(),
      containers: this.containers.map((c) => c.toJSON()),
    };
  }

  /** Reads the shared parts of an object element; `<ObjectState>` is required. */
  static readParts(element: XmlElement, context: DecodeContext): GameObjectParts {
    const { objectState, containers } = readChildren(element, context);
    return readBaseFieldsInto(element, { tag: element.tag, objectState, containers });
  }

  /**
   * The fields of an object element: the attributes at once, the children at once too unless
   * the element is deferred (see `readXml`), in which case they are decoded when first read.
   */
  static readFields(element: XmlElement, context: DecodeContext): GameObjectFields & { readonly tag: string } {
    if (!isDeferredElement(element)) return GameObject.readParts(element, context);
    return readBaseFieldsInto(element, { tag: element.tag, deferredParts: DeferredPart.of(readChildren, element, context) });
  }

  /** Reads an `<Object>` (or a registered game-specific tag), keeping its tag. */
  static fromXml(element: XmlElement, context: DecodeContext): GameObject {
    return new GameObject(GameObject.readFields(element, context));
  }
}

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
