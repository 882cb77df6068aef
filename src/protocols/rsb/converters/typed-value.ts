/**
 * A JS value tagged with the wire schema it must be sent as, for the cases the default mapping
 * cannot tell (a `number` is sent as `double` unless tagged `int32`, `float`, ...).
 * Build them with {@link int32}, {@link uint32}, {@link int64}, {@link uint64}, {@link float32},
 * {@link float64}, {@link asciiString}, {@link utf8String} or {@link bytesValue}.
 */
export class TypedValue<S extends string = string, V = unknown> {
  constructor(
    readonly wireSchema: S,
    readonly value: V,
  ) {}
}

/** A payload kept as bytes with its wire schema: what an unknown schema decodes to, sent back verbatim. */
export class RawPayload {
  constructor(
    readonly wireSchema: string,
    /** The payload bytes, possibly a view into a received frame: do not mutate. */
    readonly data: Uint8Array,
  ) {}
}

/** `value` sent as `int32` (4 bytes LE two's complement). */
export function int32(value: number): TypedValue<'int32', number> {
  return new TypedValue('int32', value);
}

/** `value` sent as `uint32` (4 bytes LE). */
export function uint32(value: number): TypedValue<'uint32', number> {
  return new TypedValue('uint32', value);
}

/** `value` sent as `int64` (8 bytes LE two's complement); numbers must be safe integers. */
export function int64(value: number | bigint): TypedValue<'int64', number | bigint> {
  return new TypedValue('int64', value);
}

/** `value` sent as `uint64` (8 bytes LE); numbers must be safe integers. */
export function uint64(value: number | bigint): TypedValue<'uint64', number | bigint> {
  return new TypedValue('uint64', value);
}

/** `value` sent as `float` (IEEE-754 binary32 LE, rounded). */
export function float32(value: number): TypedValue<'float', number> {
  return new TypedValue('float', value);
}

/** `value` sent as `double` (IEEE-754 binary64 LE), the default for numbers. */
export function float64(value: number): TypedValue<'double', number> {
  return new TypedValue('double', value);
}

/** `value` sent as `ascii-string` (rejected unless pure ASCII). */
export function asciiString(value: string): TypedValue<'ascii-string', string> {
  return new TypedValue('ascii-string', value);
}

/** `value` sent as `utf-8-string`, the default for strings. */
export function utf8String(value: string): TypedValue<'utf-8-string', string> {
  return new TypedValue('utf-8-string', value);
}

/** `value` sent with wire schema `bytes` rather than the default `.*`. */
export function bytesValue(value: Uint8Array): TypedValue<'bytes', Uint8Array> {
  return new TypedValue('bytes', value);
}
