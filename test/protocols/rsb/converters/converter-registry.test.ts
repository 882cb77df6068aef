import { describe, expect, it } from 'vitest';
import {
  ConverterRegistry,
  EventId,
  RawPayload,
  RsbError,
  Scope,
  float64,
  int32,
  utf8String,
  type Converter,
} from '../../../../src/protocols/rsb/index.js';
import { hex } from '../fixtures.js';

interface Point {
  x: number;
  y: number;
}

const pointConverter: Converter<Point> = {
  wireSchema: '.demo.Point',
  encode: (p) => Uint8Array.of(p.x, p.y),
  decode: (d) => {
    if (d.length !== 2) throw new Error('a point has 2 bytes');
    return { x: d[0], y: d[1] };
  },
  accepts: (v) => typeof v === 'object' && v !== null && 'x' in v && 'y' in v,
};

describe('ConverterRegistry', () => {
  const converters = ConverterRegistry.withDefaults();

  it('maps JS values to wire schemas explicitly', () => {
    const cases: Array<[unknown, string]> = [
      ['text', 'utf-8-string'],
      [true, 'bool'],
      [1, 'double'],
      [1.5, 'double'],
      [1n, 'int64'],
      [new Uint8Array(1), '.*'],
      [Buffer.from('x'), '.*'],
      [null, 'void'],
      [undefined, 'void'],
      [Scope.parse('/a'), 'scope'],
      [EventId.fromUuid('bf948d47-618f-4b04-aac5-0ab5a1a79267', 1), '.rsb.protocol.EventId'],
      [int32(1), 'int32'],
      [float64(1), 'double'],
      [utf8String('x'), 'utf-8-string'],
      [new RawPayload('.x.Y', new Uint8Array(0)), '.x.Y'],
      [{ $typeName: 'google.protobuf.Timestamp' }, '.google.protobuf.Timestamp'],
    ];
    for (const [value, schema] of cases) expect(converters.wireSchemaOf(value)).toBe(schema);
  });

  it('decodes an unknown wire schema to raw bytes with its name, never an error', () => {
    const decoded = converters.decode('.rsb.protocol.introspection.Hello', hex('0a00'));
    expect(decoded).toBeInstanceOf(RawPayload);
    expect((decoded as RawPayload).wireSchema).toBe('.rsb.protocol.introspection.Hello');
    expect(Buffer.from((decoded as RawPayload).data).toString('hex')).toBe('0a00');
    expect(converters.decode('', new Uint8Array(0))).toBeInstanceOf(RawPayload);
  });

  it('sends a RawPayload back verbatim with its own schema', () => {
    const raw = new RawPayload('.x.Unknown', hex('0102'));
    expect(converters.encode(raw)).toBe(raw);
  });

  it('refuses to encode with a schema that has no converter', () => {
    expect(() => converters.encode({ $typeName: 'not.Registered' })).toThrow(expect.objectContaining({ code: 'RSB_UNENCODABLE' }));
    expect(() => converters.encodeAs('no-such-schema', 1)).toThrow(expect.objectContaining({ code: 'RSB_UNENCODABLE' }));
  });

  it('uses user converters for encoding (via accepts) and decoding, and wraps their errors', () => {
    const registry = ConverterRegistry.withDefaults().register(pointConverter);
    const payload = registry.encode({ x: 3, y: 4 });
    expect(payload.wireSchema).toBe('.demo.Point');
    expect(Array.from(payload.data)).toEqual([3, 4]);
    expect(registry.decode('.demo.Point', payload.data)).toEqual({ x: 3, y: 4 });
    let error: unknown;
    try {
      registry.decode('.demo.Point', hex('01'));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RsbError);
    expect((error as RsbError).code).toBe('RSB_BAD_PAYLOAD');
  });

  it('replaces the converter of a schema on re-registration', () => {
    const registry = new ConverterRegistry([pointConverter]);
    const swapped: Converter<Point> = { ...pointConverter, decode: () => ({ x: 0, y: 0 }), accepts: undefined };
    registry.register(swapped);
    expect(registry.decode('.demo.Point', hex('0102'))).toEqual({ x: 0, y: 0 });
    expect(() => registry.encode({ x: 1, y: 2 })).toThrow(expect.objectContaining({ code: 'RSB_UNENCODABLE' }));
    expect(registry.wireSchemas()).toEqual(['.demo.Point']);
  });

  it('starts empty without defaults', () => {
    const empty = new ConverterRegistry();
    expect(empty.has('utf-8-string')).toBe(false);
    expect(empty.decode('utf-8-string', hex('41'))).toBeInstanceOf(RawPayload);
  });
});
