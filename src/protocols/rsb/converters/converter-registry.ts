import { RsbError } from '../errors.js';
import { EventId } from '../event-id.js';
import { Scope } from '../scope.js';
import type { Converter } from './converter.js';
import { FUNDAMENTAL_CONVERTERS } from './fundamental-converters.js';
import { RawPayload, TypedValue } from './typed-value.js';

/**
 * The JS values the default mapping sends, and the wire schema each gets:
 *
 * | value | wire schema |
 * |---|---|
 * | `string` | `utf-8-string` |
 * | `boolean` | `bool` |
 * | `number` | `double` |
 * | `bigint` | `int64` |
 * | `Uint8Array` | `.*` (as rsb-python sends `bytes`; rsb-cpp decodes it too) |
 * | `null`, `undefined` | `void` |
 * | {@link Scope} | `scope` |
 * | {@link EventId} | `.rsb.protocol.EventId` |
 * | {@link TypedValue} | its tag (`int32`, `uint32`, `int64`, `uint64`, `float`, `double`, `ascii-string`, `bytes`, ...) |
 * | {@link RawPayload} | its own schema, bytes sent verbatim |
 * | a protobuf-es message (`$typeName`) | `.` + `$typeName`, when registered |
 * | anything else | the first registered converter whose `accepts` returns true |
 */
export type RsbValue =
  | string
  | boolean
  | number
  | bigint
  | Uint8Array
  | null
  | undefined
  | Scope
  | EventId
  | TypedValue
  | RawPayload
  | object;

/** A payload ready for a notification's `wire_schema` and `data` fields. */
export interface EncodedPayload {
  readonly wireSchema: string;
  readonly data: Uint8Array;
}

function builtInSchema(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return 'utf-8-string';
    case 'boolean':
      return 'bool';
    case 'number':
      return 'double';
    case 'bigint':
      return 'int64';
    case 'undefined':
      return 'void';
    case 'object':
      if (value === null) return 'void';
      if (value instanceof Uint8Array) return '.*';
      if (value instanceof Scope) return 'scope';
      if (value instanceof EventId) return '.rsb.protocol.EventId';
      if (typeof (value as { $typeName?: unknown }).$typeName === 'string') {
        return `.${(value as { $typeName: string }).$typeName}`;
      }
      return undefined;
    default:
      return undefined;
  }
}

/**
 * Converters keyed by exact wire schema, with the sender-side mapping from JS values to schemas
 * and a receiver side that never fails on an unknown schema (it yields a {@link RawPayload}).
 * Every error it raises is an {@link RsbError}, including errors of user converters, which are
 * wrapped as `RSB_BAD_PAYLOAD` / `RSB_UNENCODABLE`.
 *
 * @example
 * ```ts
 * const converters = ConverterRegistry.withDefaults();
 * converters.encode(41n);                 // { wireSchema: 'int64', data: 29 00 00 00 00 00 00 00 }
 * converters.decode('int64', data);       // 41n
 * converters.decode('.x.Unknown', data);  // RawPayload { wireSchema: '.x.Unknown', data }
 * ```
 */
export class ConverterRegistry {
  private readonly bySchema = new Map<string, Converter>();
  private readonly selectors: Converter[] = [];

  /** A registry holding the given converters (none by default). */
  constructor(converters: Iterable<Converter> = []) {
    for (const converter of converters) this.register(converter);
  }

  /** A registry holding every fundamental converter of the spec and `.rsb.protocol.EventId`. */
  static withDefaults(): ConverterRegistry {
    return new ConverterRegistry(FUNDAMENTAL_CONVERTERS);
  }

  /** Adds or replaces the converter for `converter.wireSchema`; returns this registry. */
  register(converter: Converter): this {
    const previous = this.bySchema.get(converter.wireSchema);
    if (previous !== undefined) {
      const index = this.selectors.indexOf(previous);
      if (index >= 0) this.selectors.splice(index, 1);
    }
    this.bySchema.set(converter.wireSchema, converter);
    if (converter.accepts !== undefined) this.selectors.push(converter);
    return this;
  }

  /** The converter for exactly `wireSchema`, if registered. */
  get(wireSchema: string): Converter | undefined {
    return this.bySchema.get(wireSchema);
  }

  /** Whether a converter is registered for exactly `wireSchema`. */
  has(wireSchema: string): boolean {
    return this.bySchema.has(wireSchema);
  }

  /** The registered wire schemas. */
  wireSchemas(): string[] {
    return [...this.bySchema.keys()];
  }

  /**
   * The wire schema `value` would be sent with (see {@link RsbValue}); throws `RSB_UNENCODABLE`
   * when there is none.
   */
  wireSchemaOf(value: unknown): string {
    if (value instanceof TypedValue || value instanceof RawPayload) return value.wireSchema;
    const schema = builtInSchema(value) ?? this.selectors.find((c) => this.accepts(c, value))?.wireSchema;
    if (schema === undefined) {
      throw new RsbError('RSB_UNENCODABLE', `no wire schema for a value of type ${describe(value)}`);
    }
    return schema;
  }

  /** Encodes `value` with the schema the mapping picks for it. */
  encode(value: unknown): EncodedPayload {
    if (value instanceof RawPayload) return value;
    if (value instanceof TypedValue) return this.encodeAs(value.wireSchema, value.value);
    return this.encodeAs(this.wireSchemaOf(value), value);
  }

  /** Encodes `value` with the converter of `wireSchema`; `RSB_UNENCODABLE` when none is registered. */
  encodeAs(wireSchema: string, value: unknown): EncodedPayload {
    const converter = this.bySchema.get(wireSchema);
    if (converter === undefined) {
      throw new RsbError('RSB_UNENCODABLE', `no converter registered for wire schema ${JSON.stringify(wireSchema)}`);
    }
    try {
      return { wireSchema, data: converter.encode(value) };
    } catch (err) {
      if (err instanceof RsbError) throw err;
      throw new RsbError('RSB_UNENCODABLE', `converter ${wireSchema} failed: ${String(err)}`, { cause: err });
    }
  }

  /**
   * Decodes a received payload. An unknown `wireSchema` is not an error: the bytes come back as
   * a {@link RawPayload} with their schema. A payload that its converter rejects throws an
   * {@link RsbError} (`RSB_BAD_PAYLOAD`, `RSB_NOT_ASCII`, `RSB_INVALID_SCOPE`, ...), which
   * concerns that one event only.
   */
  decode(wireSchema: string, data: Uint8Array): unknown {
    const converter = this.bySchema.get(wireSchema);
    if (converter === undefined) return new RawPayload(wireSchema, data);
    try {
      return converter.decode(data);
    } catch (err) {
      if (err instanceof RsbError) throw err;
      throw new RsbError('RSB_BAD_PAYLOAD', `converter ${wireSchema} failed: ${String(err)}`, { cause: err });
    }
  }

  private accepts(converter: Converter, value: unknown): boolean {
    try {
      return converter.accepts?.(value) === true;
    } catch {
      return false;
    }
  }
}

function describe(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value;
  return value.constructor?.name ?? 'object';
}
