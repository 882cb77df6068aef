import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { MasepError } from './errors.js';
import type { XmlElement } from './xml-element.js';
import type { CachedContent, MasepDecodeCache } from './decode-cache.js';
import { checkPlainXml, type DeferredSpan } from './xml-well-formed.js';

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
  // Identity: references are decoded by this module. A shared decoder also spares the parser
  // from building an entity table on every parse.
  entityDecoder: {
    setExternalEntities: () => undefined,
    addInputEntities: () => undefined,
    reset: () => undefined,
    decode: (text: string) => text,
    setXmlVersion: () => undefined,
  },
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
  // Attribute-value normalisation: literal whitespace characters become spaces (rare: test first).
  const normalised = raw.includes('\t') || raw.includes('\n') ? raw.replace(/[\t\n]/g, ' ') : raw;
  return decodeReferences(normalised);
}

type FxpNode = Record<string, unknown>;

function textOf(node: FxpNode): string | undefined {
  const text = node['#text'];
  if (text !== undefined) return decodeReferences(String(text));
  const cdata = node['#cdata'] as FxpNode[] | undefined;
  if (cdata !== undefined) return cdata.map((p) => String(p['#text'] ?? '')).join('');
  return undefined;
}

/** The contents of deferred elements, in document order, consumed while converting. */
interface DeferredContents {
  readonly text: string;
  readonly spans: readonly DeferredSpan[];
  readonly options: DeferOptions;
  /** Tags also deferred at depth two or more (see `ReadXmlOptions.deferNested`). */
  readonly nested: ReadonlySet<string>;
  next: number;
}

/** What deferred elements need to parse their content later. */
interface DeferOptions {
  readonly defer: ReadonlySet<string>;
  readonly cache: MasepDecodeCache | undefined;
}

/** Text and children of an element, as {@link convertContent} reads them. */
interface Content {
  text: string;
  children: XmlElement[];
}

function convertContent(nodes: FxpNode[], deferred: DeferredContents | undefined, depth: number): Content {
  let text = '';
  const children: XmlElement[] = [];
  for (const child of nodes) {
    const chunk = textOf(child);
    if (chunk === undefined) {
      children.push(convert(child, deferred, depth));
    } else if (children.length === 0) {
      text += chunk;
    } else {
      const last = children[children.length - 1];
      children[children.length - 1] = withTail(last, last.tail + chunk);
    }
  }
  return { text, children };
}

function withTail(element: XmlElement, tail: string): XmlElement {
  return element instanceof DeferredXmlElement
    ? element.withTail(tail)
    : { tag: element.tag, attributes: element.attributes, text: element.text, children: element.children, tail };
}

/** Converts an element at `depth` (the root is at 0), taking deferred spans as `checkPlainXml` gave them. */
function convert(node: FxpNode, deferred: DeferredContents | undefined, depth: number): XmlElement {
  let tag = '';
  for (const key in node) if (key !== ':@') tag = key;
  const rawAttributes = node[':@'] as Record<string, unknown> | undefined;
  const attributes: Array<readonly [string, string]> = [];
  if (rawAttributes !== undefined) {
    for (const name in rawAttributes) attributes.push([name, decodeAttribute(String(rawAttributes[name]))]);
  }
  if (deferred !== undefined && (deferred.options.defer.has(tag) || (depth >= 2 && deferred.nested.has(tag)))) {
    const span = deferred.spans[deferred.next++];
    return new DeferredXmlElement(tag, attributes, deferred.text.slice(span.start, span.end), deferred.options, '');
  }
  const { text, children } = convertContent(node[tag] as FxpNode[], deferred, depth + 1);
  return { tag, attributes, text, children, tail: '' };
}

/**
 * An element whose content is kept as checked, unparsed text until `text` or `children` is
 * first read; fast-xml-parser then parses it (deferring the same tags inside it again).
 */
class DeferredXmlElement implements XmlElement {
  private content: CachedContent | undefined;

  constructor(
    readonly tag: string,
    readonly attributes: ReadonlyArray<readonly [string, string]>,
    private readonly raw: string,
    private readonly options: DeferOptions,
    readonly tail: string,
  ) {}

  /** Whether the content has been parsed. */
  get isParsed(): boolean {
    return this.content !== undefined;
  }

  get text(): string {
    return this.parsed().text;
  }

  get children(): readonly XmlElement[] {
    return this.parsed().children;
  }

  withTail(tail: string): DeferredXmlElement {
    const copy = new DeferredXmlElement(this.tag, this.attributes, this.raw, this.options, tail);
    copy.content = this.content;
    return copy;
  }

  private parsed(): CachedContent {
    if (this.content !== undefined) return this.content;
    const { cache } = this.options;
    this.content = cache
      ? cache.content(this.raw, () => parseFragment(this.raw, this.options))
      : parseFragment(this.raw, this.options);
    return this.content;
  }
}

/**
 * Whether `element` came from a {@link readXml} with `defer` and its content is not parsed yet
 * (reading `text` or `children` parses it). Domain decoders use it to defer their own work.
 */
export function isDeferredElement(element: XmlElement): boolean {
  return element instanceof DeferredXmlElement && !element.isParsed;
}

// The wrapper of a deferred content. Any name works: the content is balanced, so elements of
// the same name inside it cannot close the wrapper early.
const FRAGMENT_TAG = 'masep-fragment';

/** Parses the (already checked) content of a deferred element. */
function parseFragment(raw: string, options: DeferOptions): CachedContent {
  const wrapped = `<${FRAGMENT_TAG}>${raw}</${FRAGMENT_TAG}>`;
  const verdict = checkPlainXml(wrapped, options.defer, MAX_XML_DEPTH);
  if (verdict === undefined || !verdict.ok) throw malformed('a deferred element is not well-formed');
  const root = parseChecked(wrapped, verdict.spans, options, NO_TAGS);
  return { text: root.text, children: root.children };
}

/** Runs fast-xml-parser on `text` without the contents of the deferred spans. */
function parseChecked(
  text: string,
  spans: readonly DeferredSpan[],
  options: DeferOptions,
  nested: ReadonlySet<string>,
): XmlElement {
  let input = text;
  if (spans.length > 0) {
    const parts: string[] = [];
    let from = 0;
    for (const span of spans) {
      parts.push(text.slice(from, span.start));
      from = span.end;
    }
    parts.push(text.slice(from));
    input = parts.join('');
  }
  return rootOf(runParser(input), spans.length > 0 ? { text, spans, options, nested, next: 0 } : undefined);
}

function runParser(text: string): FxpNode[] {
  try {
    return parser.parse(text) as FxpNode[];
  } catch (err) {
    throw malformed(parserDetail(err), err);
  }
}

/**
 * The parser's own message, cut to its first line and 120 characters: it may list the whole stack
 * of unclosed tags, which a peer controls (21 000 `<a>` once made a 210 KB log line).
 */
function parserDetail(err: unknown): string {
  const full = err instanceof Error ? err.message : String(err);
  // The validator lists unclosed tags as a pretty-printed array of every one of them.
  if (/^Invalid '\[/.test(full)) return 'unclosed tags';
  const line = full.split('\n', 1)[0];
  return line.length <= 120 && line.length === full.length ? line : `${line.slice(0, 120)}…`;
}

function rootOf(nodes: FxpNode[], deferred: DeferredContents | undefined): XmlElement {
  const roots: FxpNode[] = [];
  for (const node of nodes) {
    const outside = textOf(node);
    if (outside === undefined) roots.push(node);
    else if (!/^[ \t\n]*$/.test(outside)) throw malformed('text outside the root element');
  }
  if (roots.length !== 1) throw malformed(`expected one root element, found ${roots.length}`);
  return convert(roots[0], deferred, 0);
}

/** Options of {@link readXml}. */
export interface ReadXmlOptions {
  /**
   * Tags whose content is left unparsed until it is read (their attributes are read at once).
   * The whole document is still checked for well-formedness up front. Default: none.
   */
  readonly defer?: ReadonlySet<string>;
  /**
   * Tags deferred like `defer`, but only in the document itself (not inside a deferred content)
   * and only below the root's children: e.g. `dict` for a message's param values but not its
   * params. With a `cache`, a content that repeats from message to message is parsed once.
   * Default: none.
   */
  readonly deferNested?: ReadonlySet<string>;
  /** Where parsed deferred contents are remembered, so that equal contents are parsed once. */
  readonly cache?: MasepDecodeCache;
}

const NO_TAGS: ReadonlySet<string> = new Set();

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
 * Everything else that is not well-formed throws `MALFORMED_MESSAGE`. fast-xml-parser parses;
 * plain documents (what pymasep writes) are checked by a quick scan (`checkPlainXml`), any other
 * by fast-xml-parser's validator. With `options.defer`, the content of those elements is parsed
 * on first read; it is well-formed (checked up front), but reading it can still throw a
 * `MasepError` (a name the parser refuses, such as `__proto__`).
 */
export function readXml(bytes: Uint8Array, options: ReadXmlOptions = {}): XmlElement {
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
  const defer = options.defer ?? NO_TAGS;
  const nested = options.deferNested ?? NO_TAGS;
  const verdict = checkPlainXml(text, defer, MAX_XML_DEPTH, nested);
  if (verdict !== undefined) {
    if (!verdict.ok) throw malformed(verdict.reason);
    return parseChecked(text, verdict.spans, { defer, cache: options.cache }, nested);
  }
  const declared = DECLARATION.exec(text);
  if (declared && !ASCII_COMPATIBLE_ENCODINGS.has(declared[1].toLowerCase())) {
    throw malformed(`unsupported encoding ${JSON.stringify(declared[1])}`);
  }
  // The parser drops text outside the root; expat calls it junk, and so do we (at either end).
  if (!/^[ \t\n]*</.test(text) || !/>[ \t\n]*$/.test(text)) throw malformed('text outside the root element');
  const validity = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (validity !== true) throw malformed(parserDetail(validity.err.msg));
  return rootOf(runParser(text), undefined);
}
