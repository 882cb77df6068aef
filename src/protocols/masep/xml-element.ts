/**
 * A parsed or to-be-written XML element, modelled on Python's `ElementTree.Element`: `text` is
 * the character data before the first child, and each child's `tail` is the character data that
 * follows it inside the parent. Attributes keep their document order, which the wire format
 * depends on.
 */
export interface XmlElement {
  readonly tag: string;
  /** Attribute name/value pairs in document order; names are unique. */
  readonly attributes: ReadonlyArray<readonly [name: string, value: string]>;
  /** Character data before the first child ('' when none). */
  readonly text: string;
  readonly children: readonly XmlElement[];
  /** Character data after this element's end tag, inside its parent ('' when none). */
  readonly tail: string;
}

/**
 * Builds an {@link XmlElement}. Attributes whose value is `undefined` are left out, so optional
 * attributes can be listed in their wire order.
 *
 * @example
 * ```ts
 * xmlElement('item', [['key', 'game']], [child]);
 * ```
 */
export function xmlElement(
  tag: string,
  attributes: ReadonlyArray<readonly [string, string | undefined]> = [],
  children: readonly XmlElement[] = [],
  text = '',
): XmlElement {
  // Most attribute lists have no absent value: keep them as they are.
  let present = attributes as ReadonlyArray<readonly [string, string]>;
  if (attributes.some(([, value]) => value === undefined)) {
    present = attributes.filter((pair): pair is readonly [string, string] => pair[1] !== undefined);
  }
  return { tag, attributes: present, text, children, tail: '' };
}

/** The value of attribute `name` of `element`, or `undefined` when it is absent. */
export function getAttribute(element: XmlElement, name: string): string | undefined {
  for (const [key, value] of element.attributes) if (key === name) return value;
  return undefined;
}
