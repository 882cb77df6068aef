import fc from 'fast-check';
import { Action, Value, type MasepValue } from '../../../src/protocols/masep/index.js';

// Characters XML 1.0 cannot carry; generated strings avoid them (the writer rejects them).
const NON_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Strings of any XML-legal characters, including CR, tabs, markup and non-BMP characters. */
export const xmlString = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.string({ unit: fc.constantFrom('<', '>', '&', '"', "'", '\r', '\n', '\t', ' ', 'é', '😀', ';', '#'), maxLength: 8 }),
  )
  .map((s) => s.replace(NON_XML, '?'));

const intValue = fc.oneof(fc.maxSafeInteger(), fc.bigInt()).map((n) => Value.int(n));
const classPath = xmlString.map((s) => s.replaceAll("'", '.'));

/** Random typed values of the value codec, nested up to a few levels, with Actions inside. */
export const masepValue: fc.Arbitrary<MasepValue> = fc.letrec<{ value: MasepValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    intValue,
    fc.double().map(Value.float),
    fc.boolean().map(Value.bool),
    xmlString.map(Value.str),
    fc.constant(Value.none()),
    fc.tuple(classPath, fc.constantFrom('type', 'ABCMeta')).map(([path, tag]) => Value.classRef(path, tag)),
    fc.tuple(fc.constantFrom('list', 'tuple', 'set') , fc.array(tie('value'), { maxLength: 4 })).map(
      ([type, items]): MasepValue => ({ type, items }),
    ),
    fc.uniqueArray(fc.tuple(xmlString, tie('value')), { maxLength: 4, selector: ([k]) => k }).map((entries) =>
      Value.dict(new Map(entries)),
    ),
    fc.tuple(fc.integer({ min: -5, max: 20_000 }), fc.uniqueArray(fc.tuple(xmlString, tie('value')), { maxLength: 3, selector: ([k]) => k })).map(
      ([type, parameters]) => Value.object(new Action(type, new Map(parameters))),
    ),
  ),
})).value;
