import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../src/protocols/errors.js';
import { MAX_XML_DEPTH, type XmlElement } from '../../../src/protocols/masep/index.js';
import { readXml } from '../../../src/protocols/masep/xml-reader.js';
import { expectCode } from './expect-code.js';

const read = (xml: string): XmlElement => readXml(Buffer.from(xml, 'utf8'));

describe('readXml: the tree', () => {
  it('keeps attribute order, text, tails and children like ElementTree', () => {
    const root = read('<r b="2" a="1">x<c />y<d>z</d></r>');
    expect(root.tag).toBe('r');
    expect(root.attributes).toEqual([['b', '2'], ['a', '1']]);
    expect(root.text).toBe('x');
    expect(root.children.map((c) => [c.tag, c.text, c.tail])).toEqual([['c', '', 'y'], ['d', 'z', '']]);
  });

  it('expands only the predefined entities and character references', () => {
    expect(read('<r a="&quot;&apos;&#x1F600;">&lt;&gt;&amp;&#233;&#x41;</r>')).toMatchObject({
      text: '<>&éA',
      attributes: [['a', `"'😀`]],
    });
  });

  it('normalises line ends and attribute whitespace as XML says', () => {
    expect(read('<r a="x\ty\nz">a\r\nb\rc</r>')).toMatchObject({ text: 'a\nb\nc', attributes: [['a', 'x y z']] });
  });

  it('drops comments, processing instructions and an ASCII-compatible declaration, and reads CDATA as text', () => {
    const bom = '\ufeff';
    expect(read(`${bom}<?xml version="1.0" encoding="us-ascii"?><!-- c --><r><?pi x?>a<![CDATA[<b>&]]></r>`).text).toBe('a<b>&');
  });

  it('accepts nesting up to the depth limit', () => {
    const depth = MAX_XML_DEPTH - 1;
    expect(read('<a>'.repeat(depth) + '</a>'.repeat(depth)).tag).toBe('a');
  });
});

describe('readXml: rejected input', () => {
  it.each([
    ['<!DOCTYPE r><r />'],
    ['<!doctype r><r />'],
    ['<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>'],
    ['<!DOCTYPE r SYSTEM "http://example.invalid/r.dtd"><r />'],
    ['<r><!-- <!ENTITY e "x"> --></r>'],
  ])('DOCTYPE or entity declaration: %s', (xml) => {
    expectCode(() => read(xml), 'MASEP_XML_DOCTYPE');
  });

  it.each([
    ['an undefined entity', '<r>&e;</r>'],
    ['a bare ampersand', '<r>a & b</r>'],
    ['an unterminated reference', '<r a="&amp" />'],
    ['a reference to NUL', '<r>&#0;</r>'],
    ['a reference to a non-XML character', '<r>&#1;</r>'],
    ['a bad hex reference', '<r>&#xZZ;</r>'],
    ['"<" in an attribute', '<r a="<" />'],
    ['a raw control character', '<r>\u0001</r>'],
    ['a non-ASCII-compatible declared encoding', '<?xml version="1.0" encoding="ISO-8859-1"?><r />'],
    ['unclosed elements', '<r><a></r>'],
    ['duplicate attributes', '<r a="1" a="2" />'],
    ['an unquoted attribute', '<r a=1 />'],
    ['text outside the root', '<r />x'],
    ['no root', '   '],
    ['nesting past the limit', '<a>'.repeat(MAX_XML_DEPTH + 2) + '</a>'.repeat(MAX_XML_DEPTH + 2)],
    ['a __proto__ tag', '<r><__proto__ /></r>'],
    ['a constructor attribute', '<r constructor="x" />'],
    ['a toString tag', '<r><toString /></r>'],
  ])('%s', (_, xml) => {
    expectCode(() => read(xml), 'MALFORMED_MESSAGE');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('rejects invalid UTF-8', () => {
    expectCode(() => readXml(Uint8Array.of(0x3c, 0x72, 0x3e, 0xe9, 0x3c, 0x2f, 0x72, 0x3e)), 'MALFORMED_MESSAGE');
  });

  it('throws nothing but ProtocolError on XML-like garbage (property)', () => {
    const token = fc.constantFrom('<', '>', '/', '=', '"', "'", '&', ';', '#', 'x', 'a', ' ', '!', '?', '[', ']', '-', 'CDATA', 'DOCTYPE', '\u0000', 'é');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (tokens) => {
        try {
          readXml(Buffer.from(tokens.join(''), 'utf8'));
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError);
        }
      }),
      { seed: 11, numRuns: 500 },
    );
  });
});

describe('readXml error messages', () => {
  it('stay short whatever the peer sent: 21 000 unclosed tags give a message of our size, not the tag stack', () => {
    let thrown: unknown;
    try {
      readXml(Buffer.from('<a>'.repeat(21_000)));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ProtocolError);
    expect((thrown as ProtocolError).code).toBe('MALFORMED_MESSAGE');
    expect((thrown as Error).message.length).toBeLessThanOrEqual(200);
    expect((thrown as Error).message).toMatch(/^not a well-formed XML document: /);
  });
});
