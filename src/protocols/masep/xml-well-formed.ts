/**
 * A quick well-formedness check for the plain XML that pymasep and actorwire write: elements
 * with ASCII names, double- or single-quoted attributes, text, and references. It stands in for
 * fast-xml-parser's validator pass (several times slower) on such documents, and records where
 * the content of chosen elements lies, so that the reader can leave it unparsed until it is read.
 *
 * It decides nothing it is unsure about: comments, CDATA, processing instructions (including a
 * declaration), non-ASCII names or any other construct outside that subset make it answer
 * `undefined`, and the caller then runs the full validator. Everything it accepts is
 * well-formed XML; what it rejects on this path is malformed for certain.
 */

/** Where a deferred element's content lies in the checked text (`start` to `end`, exclusive). */
export interface DeferredSpan {
  readonly start: number;
  readonly end: number;
}

/** The verdict on a document of the plain subset. */
export type WellFormedVerdict =
  | { readonly ok: true; readonly spans: readonly DeferredSpan[] }
  | { readonly ok: false; readonly reason: string };

// One start, empty-element or end tag. Names are ASCII XML names; values hold no '<'.
const TAG =
  /<(\/?)([A-Za-z_:][-\w.:]*)((?:[ \t\n]+[A-Za-z_:][-\w.:]*[ \t\n]*=[ \t\n]*(?:"[^"<]*"|'[^'<]*'))*)[ \t\n]*(\/?)>/y;
const REFERENCE = /&(?:(lt|gt|amp|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+)|)(;?)/g;
const WHITESPACE_ONLY = /^[ \t\n]*$/;
const NO_TAGS: ReadonlySet<string> = new Set();

function isXmlCodePoint(cp: number): boolean {
  return (
    cp === 0x09 || cp === 0x0a || cp === 0x0d ||
    (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Every `&` starts a predefined entity or a reference to a character XML allows. */
function referencesValid(text: string): boolean {
  if (!text.includes('&')) return true;
  REFERENCE.lastIndex = 0;
  for (let m = REFERENCE.exec(text); m !== null; m = REFERENCE.exec(text)) {
    if (m[4] !== ';') return false;
    if (m[1] !== undefined) continue;
    const digits = m[2] ?? m[3];
    if (digits === undefined) return false;
    if (!isXmlCodePoint(parseInt(digits, m[2] !== undefined ? 10 : 16))) return false;
  }
  return true;
}

/**
 * Whether the attribute names of a start tag are distinct. `attributes` matched the attribute
 * part of {@link TAG}: whitespace, a name, `=`, a quoted value, and again.
 */
function uniqueAttributes(attributes: string): boolean {
  let names: string[] | undefined;
  let i = 0;
  const n = attributes.length;
  while (i < n) {
    while (i < n && isSpace(attributes.charCodeAt(i))) i++;
    if (i >= n) break;
    const eq = attributes.indexOf('=', i);
    let end = eq;
    while (isSpace(attributes.charCodeAt(end - 1))) end--;
    const name = attributes.slice(i, end);
    i = eq + 1;
    while (isSpace(attributes.charCodeAt(i))) i++;
    i = attributes.indexOf(attributes[i], i + 1) + 1;
    if (names === undefined) names = [name];
    else if (names.includes(name)) return false;
    else names.push(name);
  }
  return true;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a;
}

/**
 * Checks `text` (line ends already normalised, characters already checked against XML's Char
 * production, no DOCTYPE) and records the content spans of the elements named in `deferred`
 * that are not inside another deferred element, in document order (an empty element gets an
 * empty span). Returns `undefined` when the text is outside the plain subset, so that only the
 * full validator can judge it.
 *
 * @param maxDepth deeper nesting is left to the full reader (which rejects it)
 * @param deferredNested tags deferred like `deferred`, but only below the root's children
 *   (depth two or more, the root being at depth zero)
 */
export function checkPlainXml(
  text: string,
  deferred: ReadonlySet<string>,
  maxDepth: number,
  deferredNested: ReadonlySet<string> = NO_TAGS,
): WellFormedVerdict | undefined {
  // `]]>` is malformed in text but fine in an attribute value: the full validator tells.
  if (text.includes('<!') || text.includes('<?') || text.includes(']]>')) return undefined;
  if (!referencesValid(text)) return { ok: false, reason: 'a bad entity or character reference' };
  const stack: string[] = [];
  const spans: DeferredSpan[] = [];
  let roots = 0;
  let deferredAt = -1; // stack depth of the open deferred element, or -1
  let deferredStart = 0;
  let pos = 0;
  for (;;) {
    const lt = text.indexOf('<', pos);
    if (stack.length === 0 && !WHITESPACE_ONLY.test(text.slice(pos, lt < 0 ? text.length : lt))) {
      return { ok: false, reason: 'text outside the root element' };
    }
    if (lt < 0) break;
    // Fast path for the end tag of the open element, written without spaces (`</name>`).
    const open = stack.length > 0 ? stack[stack.length - 1] : undefined;
    if (
      open !== undefined &&
      text.charCodeAt(lt + 1) === 0x2f &&
      text.charCodeAt(lt + 2 + open.length) === 0x3e &&
      text.startsWith(open, lt + 2)
    ) {
      stack.pop();
      pos = lt + 3 + open.length;
      if (stack.length === deferredAt) {
        spans.push({ start: deferredStart, end: lt });
        deferredAt = -1;
      }
      continue;
    }
    TAG.lastIndex = lt;
    const m = TAG.exec(text);
    if (m === null) return undefined;
    const [, closing, name, attributes, empty] = m;
    pos = TAG.lastIndex;
    if (closing) {
      if (attributes !== '' || empty) return undefined;
      if (stack.pop() !== name) return { ok: false, reason: `unexpected </${name.slice(0, 80)}>` };
      if (stack.length === deferredAt) {
        spans.push({ start: deferredStart, end: lt });
        deferredAt = -1;
      }
      continue;
    }
    if (attributes !== '' && !uniqueAttributes(attributes)) return { ok: false, reason: 'a duplicate attribute' };
    if (stack.length === 0 && ++roots > 1) return { ok: false, reason: 'more than one root element' };
    const isDeferred = deferredAt < 0 && (deferred.has(name) || (stack.length >= 2 && deferredNested.has(name)));
    if (empty) {
      if (isDeferred) spans.push({ start: pos, end: pos });
      continue;
    }
    if (isDeferred) {
      deferredAt = stack.length;
      deferredStart = pos;
    }
    stack.push(name);
    if (stack.length > maxDepth) return undefined;
  }
  if (stack.length > 0) return { ok: false, reason: `unclosed <${stack[stack.length - 1].slice(0, 80)}>` };
  if (roots === 0) return { ok: false, reason: 'no root element' };
  return { ok: true, spans };
}
