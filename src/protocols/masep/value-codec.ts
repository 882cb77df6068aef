import type { AllowList } from './allow-list.js';
import { MasepError } from './errors.js';
import { parsePythonFloat, parsePythonInt, pythonFloatRepr } from './python-number.js';
import { Value, type MasepObject, type MasepValue } from './value.js';
import { getAttribute, xmlElement, type XmlElement } from './xml-element.js';

/** Builds a domain object from its element; registered per tag in an {@link ObjectRegistry}. */
export type ObjectDecoder = (element: XmlElement, context: DecodeContext) => MasepObject;

/** Tags that decode to domain objects: the allow-list of object classes. */
export type ObjectRegistry = AllowList<ObjectDecoder>;

/** What decoders need beyond the element: the object classes they may build. */
export interface DecodeContext {
  readonly objects: ObjectRegistry;
}

const CLASS_TEXT = /^<class '([^']*)'>$/;
const SEQUENCE_TAGS = new Set(['list', 'tuple', 'set']);

function badValue(message: string): MasepError {
  return new MasepError('MASEP_BAD_VALUE', message);
}

function textElement(tag: string, text: string): XmlElement {
  return xmlElement(tag, [], [], text);
}

function item(value: MasepValue, key?: string): XmlElement {
  return xmlElement('item', key === undefined ? [] : [['key', key]], [encodeValue(value)]);
}

/**
 * Writes a value the way pymasep's `native_type_to_xml` does (spec §2.2): the tag is the Python
 * type name, empty containers are `<list />`, the empty string is `<str content="empty" />`,
 * floats use Python's `repr`, objects write themselves.
 *
 * @example
 * ```ts
 * writeXml(encodeValue(Value.float(1)));  // '<float>1.0</float>'
 * ```
 */
export function encodeValue(value: MasepValue): XmlElement {
  switch (value.type) {
    case 'int':
      return textElement('int', String(value.value));
    case 'float':
      return textElement('float', pythonFloatRepr(value.value));
    case 'bool':
      return textElement('bool', value.value ? 'True' : 'False');
    case 'str':
      return value.value === ''
        ? xmlElement('str', [['content', 'empty']])
        : textElement('str', value.value);
    case 'none':
      return textElement('NoneType', 'None');
    case 'list':
    case 'tuple':
    case 'set':
      return xmlElement(value.type, [], value.items.map((v) => item(v)));
    case 'dict':
      return xmlElement('dict', [], Array.from(value.entries, ([k, v]) => item(v, k)));
    case 'class':
      return textElement(value.tag, `<class '${value.path}'>`);
    case 'object':
      return value.object.toXml();
    case 'xml':
      return value.element.tail === '' ? value.element : { ...value.element, tail: '' };
  }
}

/** The first child element of a container `<item>`: Python reads `item[0]`. */
function itemValue(itemElement: XmlElement, context: DecodeContext): MasepValue {
  const first = itemElement.children[0];
  if (first === undefined) throw badValue('an <item> without a value element');
  return decodeValue(first, context);
}

function decodeSimple(element: XmlElement): MasepValue | undefined {
  const text = element.text;
  switch (element.tag) {
    case 'str':
      if (text !== '') return Value.str(text);
      return getAttribute(element, 'content') === 'empty' ? Value.str('') : Value.none();
    case 'int': {
      if (text === '') return Value.none();
      const parsed = parsePythonInt(text);
      if (parsed === undefined) throw badValue(`invalid int ${JSON.stringify(text.slice(0, 50))}`);
      return { type: 'int', value: parsed };
    }
    case 'float': {
      if (text === '') return Value.none();
      const parsed = parsePythonFloat(text);
      if (parsed === undefined) throw badValue(`invalid float ${JSON.stringify(text.slice(0, 50))}`);
      return Value.float(parsed);
    }
    case 'bool':
      if (text === '') return Value.none();
      if (text === 'True' || text === 'False') return Value.bool(text === 'True');
      throw badValue(`invalid bool ${JSON.stringify(text.slice(0, 50))}`);
    case 'NoneType':
      return Value.none();
    case 'type': {
      if (text === '') return Value.none();
      const match = CLASS_TEXT.exec(text);
      if (!match) throw badValue(`invalid class reference ${JSON.stringify(text.slice(0, 80))}`);
      return Value.classRef(match[1]);
    }
  }
  return undefined;
}

/**
 * Reads a value element (spec §2.2), correctly where Python has quirks: `<bool>False</bool>` is
 * false, `<float>` and `<NoneType>` are decoded, `<str>` text starting with `<class` stays a
 * string. A simple tag without text (`<int />`) is None, as in Python. Tags registered in
 * `context.objects` become domain objects; a childless element whose text is `<class '…'>` is a
 * class reference under a metaclass tag; any other tag is kept as an inert {@link XmlValue}.
 *
 * Throws `MASEP_BAD_VALUE` (bad int/float/bool text, `<item>` without a child, dict item without
 * `key`) and whatever the object decoders throw.
 */
export function decodeValue(element: XmlElement, context: DecodeContext): MasepValue {
  const simple = decodeSimple(element);
  if (simple !== undefined) return simple;
  const tag = element.tag;
  if (SEQUENCE_TAGS.has(tag)) {
    const items: MasepValue[] = [];
    for (const child of element.children) if (child.tag === 'item') items.push(itemValue(child, context));
    return { type: tag as 'list' | 'tuple' | 'set', items };
  }
  if (tag === 'dict') return Value.dict(decodeDictEntries(element, context));
  const decoder = context.objects.get(tag);
  if (decoder !== undefined) return Value.object(decoder(element, context));
  if (element.children.length === 0) {
    const match = CLASS_TEXT.exec(element.text);
    if (match) return Value.classRef(match[1], tag);
  }
  return Value.xml(element.tail === '' ? element : { ...element, tail: '' });
}

/** The entries of a `<dict>` element, later duplicates replacing earlier values as in Python. */
export function decodeDictEntries(element: XmlElement, context: DecodeContext): Map<string, MasepValue> {
  const entries = new Map<string, MasepValue>();
  for (const child of element.children) {
    if (child.tag !== 'item') continue;
    const key = getAttribute(child, 'key');
    if (key === undefined) throw badValue('a dict <item> without a key');
    entries.set(key, itemValue(child, context));
  }
  return entries;
}
