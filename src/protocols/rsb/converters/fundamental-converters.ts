import { assertAscii, decodeAscii } from '../ascii.js';
import { RsbError } from '../errors.js';
import { EventId } from '../event-id.js';
import { decodeEventId, encodeEventId } from '../notification-codec.js';
import { Scope } from '../scope.js';
import type { Converter } from './converter.js';

const EMPTY = new Uint8Array(0);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function unencodable(schema: string, value: unknown): RsbError {
  const shown = typeof value === 'bigint' ? `${value}n` : typeof value === 'string' ? JSON.stringify(value) : String(value);
  return new RsbError('RSB_UNENCODABLE', `cannot encode ${typeof value} ${shown} as ${schema}`);
}

function badPayload(schema: string, why: string): RsbError {
  return new RsbError('RSB_BAD_PAYLOAD', `${schema} payload ${why}`);
}

function view(data: Uint8Array, schema: string, size: number): DataView {
  if (data.length !== size) throw badPayload(schema, `has ${data.length} bytes, not ${size}`);
  return new DataView(data.buffer, data.byteOffset, size);
}

function toBigInt64(schema: string, value: unknown, min: bigint, max: bigint): bigint {
  let big: bigint;
  if (typeof value === 'bigint') big = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) big = BigInt(value);
  else throw unencodable(schema, value);
  if (big < min || big > max) throw unencodable(schema, value);
  return big;
}

function fixedWidth(size: number, write: (view: DataView) => void): Uint8Array {
  const out = new Uint8Array(size);
  write(new DataView(out.buffer));
  return out;
}

/** `utf-8-string`: the UTF-8 bytes of a string, no terminator. Invalid UTF-8 is `RSB_BAD_PAYLOAD`. */
export const utf8StringConverter: Converter<string> = {
  wireSchema: 'utf-8-string',
  encode(value) {
    if (typeof value !== 'string') throw unencodable('utf-8-string', value);
    return Buffer.from(value, 'utf8');
  },
  decode(data) {
    try {
      return strictUtf8.decode(data);
    } catch {
      throw badPayload('utf-8-string', 'is not valid UTF-8');
    }
  },
};

/** `ascii-string`: ASCII bytes; anything else is `RSB_NOT_ASCII` both ways. */
export const asciiStringConverter: Converter<string> = {
  wireSchema: 'ascii-string',
  encode(value) {
    if (typeof value !== 'string') throw unencodable('ascii-string', value);
    assertAscii(value, 'ascii-string payload');
    return Buffer.from(value, 'latin1');
  },
  decode: (data) => decodeAscii(data, 0, data.length, 'ascii-string payload'),
};

/** `bool`: one byte, `00` false, `01` true; other bytes are rejected, as rsb-cpp and rsb-cl do. */
export const boolConverter: Converter<boolean> = {
  wireSchema: 'bool',
  encode(value) {
    if (typeof value !== 'boolean') throw unencodable('bool', value);
    return Uint8Array.of(value ? 1 : 0);
  },
  decode(data) {
    if (data.length !== 1) throw badPayload('bool', `has ${data.length} bytes, not 1`);
    if (data[0] > 1) throw badPayload('bool', `byte 0x${data[0].toString(16)} is neither 00 nor 01`);
    return data[0] === 1;
  },
};

/** `int32`: 4 bytes little-endian two's complement. */
export const int32Converter: Converter<number> = {
  wireSchema: 'int32',
  encode(value) {
    if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) throw unencodable('int32', value);
    return fixedWidth(4, (v) => v.setInt32(0, value, true));
  },
  decode: (data) => view(data, 'int32', 4).getInt32(0, true),
};

/** `uint32`: 4 bytes little-endian. */
export const uint32Converter: Converter<number> = {
  wireSchema: 'uint32',
  encode(value) {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw unencodable('uint32', value);
    return fixedWidth(4, (v) => v.setUint32(0, value, true));
  },
  decode: (data) => view(data, 'uint32', 4).getUint32(0, true),
};

/** `int64`: 8 bytes little-endian two's complement; decodes to a `bigint`, encodes bigints and safe integers. */
export const int64Converter: Converter<bigint | number> = {
  wireSchema: 'int64',
  encode(value) {
    const big = toBigInt64('int64', value, INT64_MIN, INT64_MAX);
    return fixedWidth(8, (v) => v.setBigInt64(0, big, true));
  },
  decode: (data) => view(data, 'int64', 8).getBigInt64(0, true),
};

/** `uint64`: 8 bytes little-endian; decodes to a `bigint`, encodes bigints and safe integers. */
export const uint64Converter: Converter<bigint | number> = {
  wireSchema: 'uint64',
  encode(value) {
    const big = toBigInt64('uint64', value, 0n, UINT64_MAX);
    return fixedWidth(8, (v) => v.setBigUint64(0, big, true));
  },
  decode: (data) => view(data, 'uint64', 8).getBigUint64(0, true),
};

/** `float`: IEEE-754 binary32 little-endian (numbers are rounded to single precision). */
export const floatConverter: Converter<number> = {
  wireSchema: 'float',
  encode(value) {
    if (typeof value !== 'number') throw unencodable('float', value);
    return fixedWidth(4, (v) => v.setFloat32(0, value, true));
  },
  decode: (data) => view(data, 'float', 4).getFloat32(0, true),
};

/** `double`: IEEE-754 binary64 little-endian; the schema of plain JS numbers. */
export const doubleConverter: Converter<number> = {
  wireSchema: 'double',
  encode(value) {
    if (typeof value !== 'number') throw unencodable('double', value);
    return fixedWidth(8, (v) => v.setFloat64(0, value, true));
  },
  decode: (data) => view(data, 'double', 8).getFloat64(0, true),
};

/**
 * `void`: an empty payload, decoded as `null`. Received bytes are ignored, as the originals'
 * void converters do.
 */
export const voidConverter: Converter<null | undefined> = {
  wireSchema: 'void',
  encode(value) {
    if (value !== null && value !== undefined) throw unencodable('void', value);
    return EMPTY;
  },
  decode: () => null,
};

function rawBytesConverter(wireSchema: string): Converter<Uint8Array> {
  return {
    wireSchema,
    encode(value) {
      if (!(value instanceof Uint8Array)) throw unencodable(wireSchema, value);
      return value;
    },
    // A view into the frame: zero-copy for large payloads.
    decode: (data) => data,
  };
}

/** `bytes`: the raw bytes (rsb-python and rsb-cl decode it; rsb-python never sends it). */
export const bytesConverter: Converter<Uint8Array> = rawBytesConverter('bytes');

/** `.*`: the raw bytes; what rsb-python sends for `bytes` and rsb-cpp for byte arrays. */
export const anyBytesConverter: Converter<Uint8Array> = rawBytesConverter('.*');

/** `scope`: the normalised scope text (trailing `/`) in ASCII. */
export const scopeConverter: Converter<Scope> = {
  wireSchema: 'scope',
  encode(value) {
    if (!(value instanceof Scope)) throw unencodable('scope', value);
    return Buffer.from(value.text, 'latin1');
  },
  decode: (data) => Scope.parse(decodeAscii(data, 0, data.length, 'scope payload')),
};

/** `.rsb.protocol.EventId`: a serialised EventId message (registered by rsb-cpp and rsb-java). */
export const eventIdConverter: Converter<EventId> = {
  wireSchema: '.rsb.protocol.EventId',
  encode(value) {
    if (!(value instanceof EventId)) throw unencodable('.rsb.protocol.EventId', value);
    return encodeEventId(value);
  },
  decode: decodeEventId,
};

/** Every fundamental converter of the spec plus `.rsb.protocol.EventId`, in one list. */
export const FUNDAMENTAL_CONVERTERS: readonly Converter[] = Object.freeze([
  utf8StringConverter,
  asciiStringConverter,
  boolConverter,
  int32Converter,
  uint32Converter,
  int64Converter,
  uint64Converter,
  floatConverter,
  doubleConverter,
  voidConverter,
  bytesConverter,
  anyBytesConverter,
  scopeConverter,
  eventIdConverter,
] as Converter[]);

/**
 * The wire schemas rsb-python decodes without extra registration (plus the protobuf types its
 * program registers). Sending any other schema to a scope where a Python listener listens makes
 * that Python process drop its connection.
 */
export const PYTHON_DEFAULT_WIRE_SCHEMAS: ReadonlySet<string> = new Set([
  'void',
  'double',
  'int64',
  'bool',
  'bytes',
  '.*',
  'utf-8-string',
  'scope',
]);
