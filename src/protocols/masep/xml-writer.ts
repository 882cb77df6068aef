import { MasepError } from './errors.js';
import type { XmlElement } from './xml-element.js';

/**
 * Whether `value` is written as it is: printable ASCII minus `& < >` (and `"` in attributes),
 * plus tab and LF in text. A loop rather than a regular expression: most values are a few
 * characters long, and the call into the regexp engine cost more than the scan.
 */
function isPlain(value: string, inAttribute: boolean): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e) {
      if (c === 0x26 || c === 0x3c || c === 0x3e || (c === 0x22 && inAttribute)) return false;
    } else if (inAttribute || (c !== 0x0a && c !== 0x09)) {
      return false;
    }
  }
  return true;
}

function unencodable(cp: number): MasepError {
  const name = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return new MasepError('MASEP_UNENCODABLE', `${name} cannot be carried by XML 1.0`);
}

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x09 ||
    cp === 0x0a ||
    cp === 0x0d ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** The reference for the ASCII character `c` where it must be escaped, else undefined. */
function asciiReference(c: number, inAttribute: boolean): string | undefined {
  switch (c) {
    case 0x26: return '&amp;';
    case 0x3c: return '&lt;';
    case 0x3e: return '&gt;';
    // CR is escaped in text too (Python writes it raw and it comes back as LF).
    case 0x0d: return '&#13;';
  }
  if (!inAttribute) return undefined;
  // CPython 3.11's spellings, including the zero-padded tab.
  if (c === 0x22) return '&quot;';
  if (c === 0x0a) return '&#10;';
  if (c === 0x09) return '&#09;';
  return undefined;
}

/**
 * `value` with what XML needs escaped replaced. Runs of characters written as they are are
 * copied as slices, not a character at a time: long texts with a few markup characters (a
 * Belief's escaped GraphML) are common in observations.
 */
function escape(value: string, inAttribute: boolean): string {
  if (isPlain(value, inAttribute)) return value;
  let out = '';
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const at = i;
    let replacement: string | undefined;
    if (c < 0x80) {
      replacement = asciiReference(c, inAttribute);
      if (replacement === undefined) {
        if (c >= 0x20 || c === 0x09 || c === 0x0a) continue;
        throw unencodable(c);
      }
    } else {
      // A lone surrogate comes back as itself from codePointAt and is refused by isXmlChar.
      const cp = value.codePointAt(i) as number;
      if (!isXmlChar(cp)) throw unencodable(cp);
      replacement = `&#${cp};`;
      if (cp > 0xffff) i++;
    }
    out += value.slice(from, at) + replacement;
    from = i + 1;
  }
  return out + value.slice(from);
}

// String concatenation: V8 builds a rope and flattens it once, cheaper than an array of parts.
function write(element: XmlElement): string {
  let out = '<' + element.tag;
  for (const [name, value] of element.attributes) out += ' ' + name + '="' + escape(value, true) + '"';
  const children = element.children;
  if (element.text === '' && children.length === 0) return out + ' />';
  out += '>' + escape(element.text, false);
  for (const child of children) {
    out += write(child);
    if (child.tail !== '') out += escape(child.tail, false);
  }
  return out + '</' + element.tag + '>';
}

/**
 * Serialises `element` the way Python's `ElementTree.tostring(element)` does by default: pure
 * ASCII with decimal character references for everything else, attributes in the given order,
 * `<tag />` for an element without text or children, no XML declaration, no added whitespace.
 * The root's own `tail` is not written.
 *
 * One deliberate difference: a CR in text is written `&#13;` (Python writes it raw, and its
 * parser then reads it back as LF), so the value survives the trip.
 *
 * Throws `MASEP_UNENCODABLE` for characters XML 1.0 cannot carry (e.g. `\x01`, lone surrogates).
 */
export function writeXml(element: XmlElement): string {
  return write(element);
}

/** {@link writeXml} as bytes (the string is pure ASCII). */
export function writeXmlBytes(element: XmlElement): Uint8Array {
  return Buffer.from(writeXml(element), 'latin1');
}
