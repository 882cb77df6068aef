import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { MasepError } from './errors.js';
import type { XmlElement } from './xml-element.js';

/** Deepest element nesting {@link readXml} accepts; deeper documents are `MALFORMED_MESSAGE`. */
export const MAX_XML_DEPTH = 128;

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const FORBIDDEN_MARKUP = /<!(?:DOCTYPE|ENTITY)/i;
// Characters outside XML 1.0's Char production (surrogates cannot survive a fatal UTF-8 decode).
const NON_XML_CHAR = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/;
const DECLARATION = /^<\?xml\s[^?]*?encoding\s*=\s*["']([^"']*)["']/;
const ASCII_COMPATIBLE_ENCODINGS = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

// Entities are decoded here, not by the parser, so that nothing but the five predefined names and
// character references is ever expanded.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  allowBooleanAttributes: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
  commentPropName: false,
  maxNestedTags: MAX_XML_DEPTH,
  // No callbacks use paths; not building them saves a fifth of the parse time.
  jPath: false,
  onDangerousProperty: (name: string) => {
    throw new Error(`the name ${JSON.stringify(name)} is not accepted`);
  },
});

function malformed(detail: string, cause?: unknown): MasepError {
  return new MasepError('MALFORMED_MESSAGE', `not a well-formed XML document: ${detail}`, { cause });
}

function isXmlCodePoint(cp: number): boolean {
  return (
    cp === 0x09 || cp === 0x0a || cp === 0x0d ||
    (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Replaces the predefined entities and character references; anything else is malformed. */
function decodeReferences(raw: string): string {
  let amp = raw.indexOf('&');
  if (amp < 0) return raw;
  let out = '';
  let from = 0;
  while (amp >= 0) {
    const semi = raw.indexOf(';', amp);
    if (semi < 0) throw malformed('"&" outside a reference');
    const name = raw.slice(amp + 1, semi);
    let replacement: string;
    if (name.startsWith('#')) {
      const hex = name[1] === 'x';
      const digits = name.slice(hex ? 2 : 1);
      const cp = (hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits) ? parseInt(digits, hex ? 16 : 10) : NaN;
      if (!isXmlCodePoint(cp)) throw malformed(`bad character reference &${name};`);
      replacement = String.fromCodePoint(cp);
    } else if (Object.hasOwn(PREDEFINED, name)) {
      replacement = PREDEFINED[name];
    } else {
      throw malformed(`undefined entity &${name};`);
    }
    out += raw.slice(from, amp) + replacement;
    from = semi + 1;
    amp = raw.indexOf('&', from);
  }
  return out + raw.slice(from);
}

function decodeAttribute(raw: string): string {
  if (raw.includes('<')) throw malformed('"<" in an attribute value');
  // Attribute-value normalisation: literal whitespace characters become spaces.
  return decodeReferences(raw.replace(/[\t\n]/g, ' '));
}

type FxpNode = Record<string, unknown>;

function textOf(node: FxpNode): string | undefined {
  if ('#text' in node) return decodeReferences(String(node['#text']));
  if ('#cdata' in node) {
    const parts = node['#cdata'] as FxpNode[];
    return parts.map((p) => String(p['#text'] ?? '')).join('');
  }
  return undefined;
}

function convert(node: FxpNode): XmlElement {
  let tag = '';
  for (const key of Object.keys(node)) if (key !== ':@') tag = key;
  const rawAttributes = (node[':@'] ?? {}) as Record<string, unknown>;
  const attributes = Object.keys(rawAttributes).map(
    (name) => [name, decodeAttribute(String(rawAttributes[name]))] as const,
  );
  let text = '';
  const children: XmlElement[] = [];
  for (const child of node[tag] as FxpNode[]) {
    const chunk = textOf(child);
    if (chunk === undefined) {
      children.push(convert(child));
    } else if (children.length === 0) {
      text += chunk;
    } else {
      const last = children[children.length - 1];
      children[children.length - 1] = { ...last, tail: last.tail + chunk };
    }
  }
  return { tag, attributes, text, children, tail: '' };
}

/**
 * Parses one XML document into an {@link XmlElement} tree, as strictly as expat would and more
 * strictly where safety asks for it:
 *
 * - input must be UTF-8 (a declaration may name UTF-8 or US-ASCII, nothing else);
 * - any `<!DOCTYPE` or `<!ENTITY` markup, anywhere, is rejected with `MASEP_XML_DOCTYPE`;
 * - only the five predefined entities and character references are expanded;
 * - line ends are normalised to LF and attribute values are whitespace-normalised, as XML says;
 * - comments, processing instructions and the declaration are dropped, CDATA becomes text.
 *
 * Everything else that is not well-formed throws `MALFORMED_MESSAGE`.
 */
export function readXml(bytes: Uint8Array): XmlElement {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch (err) {
    throw malformed('invalid UTF-8', err);
  }
  if (FORBIDDEN_MARKUP.test(text)) {
    throw new MasepError('MASEP_XML_DOCTYPE', 'DOCTYPE and entity declarations are not accepted');
  }
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  if (NON_XML_CHAR.test(text)) throw malformed('a character that XML does not allow');
  const declared = DECLARATION.exec(text);
  if (declared && !ASCII_COMPATIBLE_ENCODINGS.has(declared[1].toLowerCase())) {
    throw malformed(`unsupported encoding ${JSON.stringify(declared[1])}`);
  }
  // The parser drops text outside the root; expat calls it junk, and so do we (at either end).
  if (!/^[ \t\n]*</.test(text) || !/>[ \t\n]*$/.test(text)) throw malformed('text outside the root element');
  const verdict = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (verdict !== true) throw malformed(verdict.err.msg);
  let nodes: FxpNode[];
  try {
    nodes = parser.parse(text) as FxpNode[];
  } catch (err) {
    throw malformed(err instanceof Error ? err.message : String(err), err);
  }
  const roots: FxpNode[] = [];
  for (const node of nodes) {
    const outside = textOf(node);
    if (outside === undefined) roots.push(node);
    else if (!/^[ \t\n]*$/.test(outside)) throw malformed('text outside the root element');
  }
  if (roots.length !== 1) throw malformed(`expected one root element, found ${roots.length}`);
  return convert(roots[0]);
}
