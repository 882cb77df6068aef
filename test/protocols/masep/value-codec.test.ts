import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Value,
  decodeValue,
  defaultObjectRegistry,
  encodeValue,
  type MasepValue,
} from '../../../src/protocols/masep/index.js';
import { readXml } from '../../../src/protocols/masep/xml-reader.js';
import { writeXml, writeXmlBytes } from '../../../src/protocols/masep/xml-writer.js';
import { masepValue } from './arbitraries.js';
import { expectCode } from './expect-code.js';

const context = { objects: defaultObjectRegistry };
const decode = (xml: string): MasepValue => decodeValue(readXml(Buffer.from(xml, 'utf8')), context);
const encode = (value: MasepValue): string => writeXml(encodeValue(value));

describe('value codec: what Python writes (spec §2.2)', () => {
  it.each<[string, MasepValue, string]>([
    ['str', Value.str(' a  b '), '<str> a  b </str>'],
    ['empty str', Value.str(''), '<str content="empty" />'],
    ['int', Value.int(-3), '<int>-3</int>'],
    ['big int', Value.int(2n ** 64n), '<int>18446744073709551616</int>'],
    ['True', Value.bool(true), '<bool>True</bool>'],
    ['False', Value.bool(false), '<bool>False</bool>'],
    ['float', Value.float(1.5), '<float>1.5</float>'],
    ['integral float', Value.float(1), '<float>1.0</float>'],
    ['small float', Value.float(1e-5), '<float>1e-05</float>'],
    ['None', Value.none(), '<NoneType>None</NoneType>'],
    ['class', Value.classRef('pkg.mod.Name'), "<type>&lt;class 'pkg.mod.Name'&gt;</type>"],
    ['class with metaclass', Value.classRef('pkg.Base', 'ABCMeta'), "<ABCMeta>&lt;class 'pkg.Base'&gt;</ABCMeta>"],
    ['list', Value.list(Value.int(1), Value.str('a')), '<list><item><int>1</int></item><item><str>a</str></item></list>'],
    ['empty list', Value.list(), '<list />'],
    ['tuple', Value.tuple(Value.none()), '<tuple><item><NoneType>None</NoneType></item></tuple>'],
    ['set', Value.set(Value.int(2)), '<set><item><int>2</int></item></set>'],
    ['dict', Value.dict({ b: Value.int(1), a: Value.dict() }), '<dict><item key="b"><int>1</int></item><item key="a"><dict /></item></dict>'],
  ])('%s', (_, value, xml) => {
    expect(encode(value)).toBe(xml);
    expect(decode(xml)).toStrictEqual(value);
  });

  it('keeps int 1 and float 1.0 apart', () => {
    expect(encode(Value.int(1))).not.toBe(encode(Value.float(1)));
    expect(decode('<float>1.0</float>')).toEqual({ type: 'float', value: 1 });
    expect(decode('<int>1</int>')).toEqual({ type: 'int', value: 1 });
  });

  it('refuses ints that a number cannot hold exactly', () => {
    expectCode(() => Value.int(1.5), 'MASEP_UNENCODABLE');
    expectCode(() => Value.int(2 ** 60), 'MASEP_UNENCODABLE');
  });
});

describe('value codec: reading, correctly where Python has quirks', () => {
  it.each<[string, MasepValue]>([
    ['<bool>False</bool>', Value.bool(false)],
    ['<int />', Value.none()],
    ['<str />', Value.none()],
    ['<float />', Value.none()],
    ['<NoneType />', Value.none()],
    ["<str>&lt;class 'os.system'&gt;</str>", Value.str("<class 'os.system'>")],
    ['<int> 1_000 </int>', Value.int(1000)],
    ['<int>-99999999999999999999</int>', Value.int(-99999999999999999999n)],
    ['<float>1e-07</float>', Value.float(1e-7)],
    ['<float>nan</float>', Value.float(NaN)],
    ['<list>\n  <item><int>1</int></item>\n  <other />\n</list>', Value.list(Value.int(1))],
    ['<dict><item key="k"><int>1</int></item><item key="k"><int>2</int></item></dict>', Value.dict({ k: Value.int(2) })],
    ['<str>a\r\nb</str>', Value.str('a\nb')],
    ['<str>a&#13;b</str>', Value.str('a\rb')],
  ])('%s', (xml, value) => {
    expect(decode(xml)).toStrictEqual(value);
  });

  it('keeps unknown elements as inert XML and writes them back unchanged', () => {
    const xml = '<mygame.Thing a="1" b="&#10;">t<x />u<y>v</y></mygame.Thing>';
    const value = decode(xml);
    expect(value.type).toBe('xml');
    expect(encode(value)).toBe(xml);
  });

  it.each([
    ['<int>1x</int>'],
    ['<int>1.0</int>'],
    ['<float>one</float>'],
    ['<bool>true</bool>'],
    ['<type>str</type>'],
    ['<list><item /></list>'],
    ['<dict><item><int>1</int></item></dict>'],
  ])('rejects %s', (xml) => {
    expectCode(() => decode(xml), 'MASEP_BAD_VALUE');
  });
});

describe('value codec: round trips (property)', () => {
  it('any typed value survives encode, bytes, parse and decode, byte for byte', () => {
    fc.assert(
      fc.property(masepValue, (value) => {
        const bytes = writeXmlBytes(encodeValue(value));
        expect(bytes.every((b) => b < 0x80)).toBe(true);
        const back = decodeValue(readXml(bytes), context);
        expect(back).toStrictEqual(value);
        expect(writeXmlBytes(encodeValue(back))).toEqual(bytes);
      }),
      { seed: 42, numRuns: 400 },
    );
  });
});
