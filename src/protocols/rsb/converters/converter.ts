/**
 * Turns values of one JS type into the payload bytes of one wire schema and back, like an RSB
 * converter. Converters are stateless; a {@link ConverterRegistry} holds them by wire schema.
 *
 * `decode` throws an `RsbError` (`RSB_BAD_PAYLOAD`, ...) for bytes that do not fit the schema;
 * `encode` throws `RSB_UNENCODABLE` for a value it cannot represent.
 *
 * @example
 * ```ts
 * const point: Converter<{ x: number }> = {
 *   wireSchema: '.demo.Point',
 *   encode: (p) => myProtobufEncode(p),
 *   decode: (bytes) => myProtobufDecode(bytes),
 *   accepts: (v): v is { x: number } => typeof v === 'object' && v !== null && 'x' in v,
 * };
 * ```
 */
export interface Converter<T = unknown> {
  /** The exact `wire_schema` string, e.g. `utf-8-string` or `.rsb.protocol.EventId`. */
  readonly wireSchema: string;
  encode(value: T): Uint8Array;
  decode(data: Uint8Array): T;
  /**
   * Sender-side selection for values the built-in mapping does not know (plain objects without
   * a protobuf `$typeName`): the first registered converter that accepts a value encodes it.
   */
  accepts?(value: unknown): boolean;
}
