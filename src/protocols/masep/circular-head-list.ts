import { badObject } from './base-object.js';
import { MasepError } from './errors.js';
import { parsePythonInt } from './python-number.js';
import type { MasepObject, MasepValue } from './value.js';
import { decodeValue, encodeValue, type DecodeContext } from './value-codec.js';
import type { JsonValue } from './json-value.js';
import { valueToJson } from './value-json.js';
import { xmlElement, type XmlElement } from './xml-element.js';

/**
 * pymasep's `CircularHeadList` (e.g. the `AgentOrder` characteristic): a list whose head index
 * says whose turn it is. Written
 * `<CircularHeadList><data><list>…</list></data><head_idx>N</head_idx></CircularHeadList>`;
 * an empty list has head `-1`.
 */
export class CircularHeadList implements MasepObject {
  readonly tag = 'CircularHeadList';
  declare readonly items: readonly MasepValue[];
  declare readonly head: number;

  /** @param head index of the head item; default 0, or -1 for an empty list. */
  constructor(items: readonly MasepValue[], head?: number) {
    const resolved = head ?? (items.length === 0 ? -1 : 0);
    const valid = items.length === 0 ? resolved === -1 : Number.isInteger(resolved) && resolved >= 0 && resolved < items.length;
    if (!valid) throw new MasepError('MASEP_UNENCODABLE', `head ${resolved} is not valid for ${items.length} items`);
    this.items = items;
    this.head = resolved;
  }

  /** The item at the head, if any. */
  get current(): MasepValue | undefined {
    return this.items[this.head];
  }

  toXml(): XmlElement {
    const list = encodeValue({ type: 'list', items: this.items });
    return xmlElement(this.tag, [], [
      xmlElement('data', [], [list]),
      xmlElement('head_idx', [], [], String(this.head)),
    ]);
  }

  toJSON(): JsonValue {
    return { kind: this.tag, items: this.items.map(valueToJson), head: this.head };
  }

  /** Reads a `<CircularHeadList>`; `<data>` must hold a `<list>` and `head_idx` must fit it. */
  static fromXml(element: XmlElement, context: DecodeContext): CircularHeadList {
    const data = element.children.find((c) => c.tag === 'data');
    const list = data?.children[0];
    const headText = element.children.find((c) => c.tag === 'head_idx')?.text;
    if (list === undefined) throw badObject(element, 'no <data> list');
    const decoded = decodeValue(list, context);
    if (decoded.type !== 'list' && decoded.type !== 'tuple') throw badObject(element, '<data> is not a list');
    const head = headText === undefined ? undefined : parsePythonInt(headText);
    if (typeof head !== 'number') throw badObject(element, 'missing or bad <head_idx>');
    try {
      return new CircularHeadList(decoded.items, head);
    } catch {
      throw badObject(element, `head_idx ${head} is out of range`);
    }
  }
}
