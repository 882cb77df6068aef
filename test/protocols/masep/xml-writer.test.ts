import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { xmlElement } from '../../../src/protocols/masep/index.js';
import { writeXml, writeXmlBytes } from '../../../src/protocols/masep/xml-writer.js';
import { expectCode } from './expect-code.js';

describe('writeXml', () => {
  it('writes empty elements with " />", attributes in the given order, no declaration', () => {
    expect(writeXml(xmlElement('r', [['z', '1'], ['a', undefined], ['b', '2']]))).toBe('<r z="1" b="2" />');
  });

  it('escapes text as ElementTree does: & < > only, quotes stay literal', () => {
    expect(writeXml(xmlElement('r', [], [], `a&b<c>d"e'f\tg\nh`))).toBe(`<r>a&amp;b&lt;c&gt;d"e'f\tg\nh</r>`);
  });

  it('escapes attributes as CPython 3.11 does', () => {
    expect(writeXml(xmlElement('r', [['a', '\t\r\n"<&é']]))).toBe('<r a="&#09;&#13;&#10;&quot;&lt;&amp;&#233;" />');
  });

  it('writes CR in text as a reference so that it survives the trip', () => {
    expect(writeXml(xmlElement('r', [], [], 'a\rb'))).toBe('<r>a&#13;b</r>');
  });

  it('writes pure ASCII with decimal references for every other character', () => {
    const bytes = writeXmlBytes(xmlElement('r', [['k', '😀']], [], 'é\u2028'));
    expect(Buffer.from(bytes).toString('latin1')).toBe('<r k="&#128512;">&#233;&#8232;</r>');
  });

  it('writes children with their tails', () => {
    const child = { ...xmlElement('c'), tail: 't' };
    expect(writeXml(xmlElement('r', [], [child], 'x'))).toBe('<r>x<c />t</r>');
  });

  it('writes ASCII values as they are unless a character needs a reference (property)', () => {
    const text = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
    const attribute = (v: string) =>
      text(v).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#09;');
    const ascii = fc.string({ unit: fc.integer({ min: 0x09, max: 0x7f }).filter((c) => c === 0x09 || c === 0x0a || c === 0x0d || c >= 0x20).map((c) => String.fromCharCode(c)) });
    fc.assert(
      fc.property(ascii, (v) => {
        expect(writeXml(xmlElement('r', [], [xmlElement('c')], v))).toBe(v === '' ? '<r><c /></r>' : `<r>${text(v)}<c /></r>`);
        expect(writeXml(xmlElement('r', [['a', v]]))).toBe(`<r a="${attribute(v)}" />`);
      }),
    );
  });

  it('escapes any text a code point at a time, with decimal references beyond ASCII (property)', () => {
    // The reference spelling, one code point at a time; the writer copies unescaped runs as slices.
    const reference = (v: string, inAttribute: boolean): string | undefined => {
      let out = '';
      for (const ch of v) {
        const cp = ch.codePointAt(0) as number;
        const named: Record<number, string> = inAttribute
          ? { 0x26: '&amp;', 0x3c: '&lt;', 0x3e: '&gt;', 0x0d: '&#13;', 0x22: '&quot;', 0x0a: '&#10;', 0x09: '&#09;' }
          : { 0x26: '&amp;', 0x3c: '&lt;', 0x3e: '&gt;', 0x0d: '&#13;' };
        if (named[cp] !== undefined) out += named[cp];
        else if (cp < 0x20 && cp !== 0x09 && cp !== 0x0a) return undefined;
        else if ((cp >= 0xd800 && cp <= 0xdfff) || cp === 0xfffe || cp === 0xffff) return undefined;
        else out += cp < 0x80 ? ch : `&#${cp};`;
      }
      return out;
    };
    const write = (build: () => string): string | undefined => {
      try {
        return build();
      } catch {
        return undefined;
      }
    };
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom('&', '<', '>', '"', '\r', '\n', '\t', '\u0001', 'a'), fc.string({ unit: 'binary', maxLength: 1 })) }), (v) => {
        const text = reference(v, false);
        expect(write(() => writeXml(xmlElement('r', [], [xmlElement('c')], v)))).toBe(
          text === undefined ? undefined : text === '' ? '<r><c /></r>' : `<r>${text}<c /></r>`,
        );
        const attribute = reference(v, true);
        expect(write(() => writeXml(xmlElement('r', [['a', v]])))).toBe(attribute === undefined ? undefined : `<r a="${attribute}" />`);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([['\u0001'], ['\u0000'], ['\ud800'], ['\uffff']])('refuses %j, which XML cannot carry', (ch) => {
    expectCode(() => writeXml(xmlElement('r', [], [], ch)), 'MASEP_UNENCODABLE');
    expectCode(() => writeXml(xmlElement('r', [['a', ch]])), 'MASEP_UNENCODABLE');
  });
});
