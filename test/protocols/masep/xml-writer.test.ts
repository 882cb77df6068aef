import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeXml, writeXmlBytes, xmlElement } from '../../../src/protocols/masep/index.js';
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

  it.each([['\u0001'], ['\u0000'], ['\ud800'], ['\uffff']])('refuses %j, which XML cannot carry', (ch) => {
    expectCode(() => writeXml(xmlElement('r', [], [], ch)), 'MASEP_UNENCODABLE');
    expectCode(() => writeXml(xmlElement('r', [['a', ch]])), 'MASEP_UNENCODABLE');
  });
});
