import { MasepError } from './errors.js';
import { parsePythonInt } from './python-number.js';
import type { MasepObject } from './value.js';
import type { DecodeContext } from './value-codec.js';
import type { JsonValue } from './json-value.js';
import { getAttribute, type XmlElement } from './xml-element.js';

/** Lifecycle state of a pymasep object: `init` until initialised, then `run`. */
export type LifecycleState = 'init' | 'run' | (string & {});

/** The attributes every pymasep object shares (BaseObject, spec §2.4). */
export interface BaseObjectFields {
  readonly name: string;
  readonly nature?: string | undefined;
  /** Default `init`, which is also what a missing attribute means. */
  readonly state?: LifecycleState | undefined;
  /** Written only while `state` is not `run`. */
  readonly initializer?: string | undefined;
  /** Read from files, never written. */
  readonly template?: string | undefined;
}

/**
 * Base of the domain objects: `name`, optional `nature`, `state`, optional `initializer`, and the
 * read-only `template`. Subclasses write these attributes first, in this order.
 */
export abstract class BaseObject implements MasepObject {
  abstract readonly tag: string;
  declare readonly name: string;
  declare readonly nature: string | undefined;
  declare readonly state: LifecycleState;
  declare readonly initializer: string | undefined;
  declare readonly template: string | undefined;

  /**
   * @param defaultName the name when `fields` has none (for classes whose name has a default);
   *   taken as a parameter so that subclasses need not copy their fields to add it
   */
  protected constructor(fields: Omit<BaseObjectFields, 'name'> & { readonly name?: string }, defaultName = '') {
    this.name = fields.name ?? defaultName;
    this.nature = fields.nature;
    this.state = fields.state ?? 'init';
    this.initializer = fields.initializer;
    this.template = fields.template;
  }

  /** The shared attributes in wire order; `undefined` values are omitted by `xmlElement`. */
  protected baseAttributes(): Array<readonly [string, string | undefined]> {
    return [
      ['name', this.name],
      ['nature', this.nature],
      ['state', this.state],
      ['initializer', this.state === 'run' ? undefined : this.initializer],
    ];
  }

  /** JSON view of the shared fields: `kind` (the tag), `name`, `nature` when set, `state`. */
  protected baseJson(): { [key: string]: JsonValue } {
    const json: { [key: string]: JsonValue } = { kind: this.tag, name: this.name };
    if (this.nature !== undefined) json.nature = this.nature;
    json.state = this.state;
    return json;
  }

  abstract toXml(): XmlElement;
  abstract toJSON(): JsonValue;
}

/** A `MASEP_BAD_OBJECT` error about `element`. */
export function badObject(element: XmlElement, problem: string): MasepError {
  return new MasepError('MASEP_BAD_OBJECT', `<${element.tag.slice(0, 80)}>: ${problem}`);
}

/** Reads the shared attributes; `name` is required. */
export function readBaseFields(element: XmlElement): BaseObjectFields {
  return readBaseFieldsInto(element, {});
}

/**
 * Adds the base attributes of `element` (see {@link readBaseFields}) to `fields`, a fresh object
 * of the caller's with its class's own fields, and returns it: hot decoders build their
 * constructor argument this way instead of spreading.
 */
export function readBaseFieldsInto<T extends object>(element: XmlElement, fields: T): T & BaseObjectFields {
  // One pass over the attributes (objects are read often); the first of duplicates wins, as in getAttribute.
  let name: string | undefined;
  let nature: string | undefined;
  let state: string | undefined;
  let initializer: string | undefined;
  let template: string | undefined;
  for (const [key, value] of element.attributes) {
    if (key === 'name') name ??= value;
    else if (key === 'nature') nature ??= value;
    else if (key === 'state') state ??= value;
    else if (key === 'initializer') initializer ??= value;
    else if (key === 'template') template ??= value;
  }
  if (name === undefined) throw badObject(element, 'missing name attribute');
  const out = fields as T & { -readonly [K in keyof BaseObjectFields]: BaseObjectFields[K] };
  out.name = name;
  out.nature = nature;
  out.state = state ?? 'init';
  out.initializer = initializer;
  out.template = template;
  return out;
}

/** Reads a Python bool attribute (`True`/`False`), `fallback` when absent. */
export function readBoolAttribute(element: XmlElement, name: string, fallback: boolean): boolean {
  const raw = getAttribute(element, name);
  if (raw === undefined) return fallback;
  if (raw === 'True' || raw === 'False') return raw === 'True';
  throw badObject(element, `${name} must be True or False`);
}

/** Reads an int attribute that must fit a safe JS integer, `fallback` when absent. */
export function readIntAttribute(element: XmlElement, name: string, fallback?: number): number {
  const raw = getAttribute(element, name);
  if (raw === undefined) {
    if (fallback === undefined) throw badObject(element, `missing ${name} attribute`);
    return fallback;
  }
  const parsed = parsePythonInt(raw);
  if (typeof parsed !== 'number') throw badObject(element, `${name} is not an int`);
  return parsed;
}

/**
 * Builds the object that `element` names through the allow-list of `context` and checks it is a
 * `expected`; an unregistered tag is `MASEP_UNKNOWN_NAME`, another class `MASEP_BAD_OBJECT`.
 */
export function decodeRegisteredObject<T extends MasepObject>(
  element: XmlElement,
  context: DecodeContext,
  expected: abstract new (...args: never[]) => T,
): T {
  const built = context.objects.require(element.tag)(element, context);
  if (!(built instanceof expected)) throw badObject(element, `is not a ${expected.name}`);
  return built;
}
