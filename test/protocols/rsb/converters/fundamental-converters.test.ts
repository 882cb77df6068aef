import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConverterRegistry,
  EventId,
  FUNDAMENTAL_CONVERTERS,
  PYTHON_DEFAULT_WIRE_SCHEMAS,
  RsbError,
  Scope,
  asciiString,
  bytesValue,
  float32,
  int32,
  int64,
  uint32,
  uint64,
} from '../../../../src/protocols/rsb/index.js';
import { hex } from '../fixtures.js';

const converters = ConverterRegistry.withDefaults();
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('fundamental converters', () => {
  it('register every wire schema of the spec', () => {
    expect(FUNDAMENTAL_CONVERTERS.map((c) => c.wireSchema).sort()).toEqual(
      ['utf-8-string', 'ascii-string', 'bool', 'int32', 'uint32', 'int64', 'uint64', 'float', 'double', 'void', 'bytes', '.*', 'scope', '.rsb.protocol.EventId'].sort(),
    );
    for (const schema of PYTHON_DEFAULT_WIRE_SCHEMAS) expect(converters.has(schema)).toBe(true);
  });

  // Payload bytes observed from rsb-python (spec §4.1).
  it.each<[string, unknown, string, string]>([
    ['41 as int64', 41n, 'int64', '2900000000000000'],
    ['1e300 as double', 1e300, 'double', '9c7500883ce4377e'],
    ['true as bool', true, 'bool', '01'],
    ['/a/b as scope', Scope.parse('/a/b'), 'scope', '2f612f622f'],
    ['none as void', null, 'void', ''],
    ['an error text as utf-8-string', 'intentional error', 'utf-8-string', toHex(Buffer.from('intentional error'))],
  ])('encodes %s like rsb-python', (_name, value, schema, bytes) => {
    const payload = converters.encode(value);
    expect(payload.wireSchema).toBe(schema);
    expect(toHex(payload.data)).toBe(bytes);
  });

  it.each<[string, string, unknown]>([
    ['int32', 'ffffffff', -1],
    ['uint32', 'ffffffff', 4294967295],
    ['uint64', '0000000000000080', 2n ** 63n],
    ['float', '0000c03f', 1.5],
    ['int64', '2900000000000000', 41n],
    ['double', '9c7500883ce4377e', 1e300],
    ['bool', '00', false],
    ['bool', '01', true],
    ['void', '', null],
    ['scope', '2f612f622f', Scope.parse('/a/b/')],
    ['scope', '2f61', Scope.parse('/a/')],
    ['utf-8-string', 'c3a9', 'é'],
    ['utf-8-string', 'efbbbf41', '\ufeffA'],
    ['ascii-string', '4142', 'AB'],
    ['bytes', '00ff', hex('00ff')],
    ['.*', '00ff', hex('00ff')],
  ])('decodes %s %s as rsb-python does', (schema, bytes, expected) => {
    expect(converters.decode(schema, hex(bytes))).toEqual(expected);
  });

  it('encodes tagged numbers with their schema', () => {
    expect(converters.encode(int32(-1))).toEqual({ wireSchema: 'int32', data: hex('ffffffff') });
    expect(converters.encode(uint32(4294967295))).toEqual({ wireSchema: 'uint32', data: hex('ffffffff') });
    expect(converters.encode(uint64(2n ** 63n))).toEqual({ wireSchema: 'uint64', data: hex('0000000000000080') });
    expect(converters.encode(int64(-2))).toEqual({ wireSchema: 'int64', data: hex('feffffffffffffff') });
    expect(converters.encode(float32(1.5))).toEqual({ wireSchema: 'float', data: hex('0000c03f') });
    expect(converters.encode(asciiString('AB')).wireSchema).toBe('ascii-string');
    expect(toHex(converters.encode(asciiString('AB')).data)).toBe('4142');
    expect(toHex(converters.encode(bytesValue(hex('0102'))).data)).toBe('0102');
    expect(converters.encode(bytesValue(hex('0102'))).wireSchema).toBe('bytes');
  });

  it('sends Uint8Array as .* like rsb-python sends bytes', () => {
    const payload = converters.encode(hex('deadbeef'));
    expect(payload.wireSchema).toBe('.*');
    expect(toHex(payload.data)).toBe('deadbeef');
  });

  it('round-trips an EventId payload', () => {
    const id = EventId.fromUuid('bf948d47-618f-4b04-aac5-0ab5a1a79267', 378);
    const payload = converters.encode(id);
    expect(payload.wireSchema).toBe('.rsb.protocol.EventId');
    expect((converters.decode(payload.wireSchema, payload.data) as EventId).equals(id)).toBe(true);
  });

  it.each<[string, string, string]>([
    ['bool', '02', 'RSB_BAD_PAYLOAD'],
    ['bool', '0101', 'RSB_BAD_PAYLOAD'],
    ['bool', '', 'RSB_BAD_PAYLOAD'],
    ['int32', 'ffffff', 'RSB_BAD_PAYLOAD'],
    ['uint32', 'ffffffffff', 'RSB_BAD_PAYLOAD'],
    ['int64', '29000000', 'RSB_BAD_PAYLOAD'],
    ['uint64', '', 'RSB_BAD_PAYLOAD'],
    ['float', '0000c03f00', 'RSB_BAD_PAYLOAD'],
    ['double', '00', 'RSB_BAD_PAYLOAD'],
    ['utf-8-string', 'c3', 'RSB_BAD_PAYLOAD'],
    ['utf-8-string', 'ff', 'RSB_BAD_PAYLOAD'],
    ['ascii-string', 'c3a9', 'RSB_NOT_ASCII'],
    ['scope', '', 'RSB_INVALID_SCOPE'],
    ['scope', '2f612f2f', 'RSB_INVALID_SCOPE'],
    ['scope', '2fc3a9', 'RSB_NOT_ASCII'],
    ['.rsb.protocol.EventId', '1000', 'RSB_MISSING_FIELD'],
  ])('rejects a malformed %s payload %s with %s', (schema, bytes, code) => {
    let error: unknown;
    try {
      converters.decode(schema, hex(bytes));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RsbError);
    expect((error as RsbError).code).toBe(code);
  });

  it.each<[string, unknown, string]>([
    ['int32 above range', int32(2 ** 31), 'RSB_UNENCODABLE'],
    ['int32 fraction', int32(1.5), 'RSB_UNENCODABLE'],
    ['uint32 negative', uint32(-1), 'RSB_UNENCODABLE'],
    ['int64 beyond 2^63', int64(2n ** 63n), 'RSB_UNENCODABLE'],
    ['int64 unsafe number', int64(2 ** 60), 'RSB_UNENCODABLE'],
    ['uint64 negative', uint64(-1n), 'RSB_UNENCODABLE'],
    ['a symbol', Symbol('x'), 'RSB_UNENCODABLE'],
    ['a plain object', { x: 1 }, 'RSB_UNENCODABLE'],
    ['non-ASCII ascii-string', asciiString('é'), 'RSB_NOT_ASCII'],
  ])('refuses to encode %s', (_name, value, code) => {
    expect(() => converters.encode(value)).toThrow(RsbError);
    expect(() => converters.encode(value)).toThrow(expect.objectContaining({ code }));
  });

  it('round-trips every fundamental schema (property)', () => {
    const cases = fc.oneof(
      fc.string().map((v) => ({ value: v as unknown, back: v as unknown })),
      fc.boolean().map((v) => ({ value: v, back: v })),
      fc.double().map((v) => ({ value: v, back: v })),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v) => ({ value: v, back: v })),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((v) => ({ value: int32(v), back: v })),
      fc.nat({ max: 0xffffffff }).map((v) => ({ value: uint32(v), back: v })),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((v) => ({ value: uint64(v), back: v })),
      fc.float().map((v) => ({ value: float32(v), back: v })),
      fc.uint8Array({ maxLength: 20 }).map((v) => ({ value: v, back: v })),
    );
    fc.assert(
      fc.property(cases, ({ value, back }) => {
        const payload = converters.encode(value);
        expect(converters.decode(payload.wireSchema, payload.data)).toEqual(back);
      }),
      { seed: 0xc0e, numRuns: 500 },
    );
  });
});
