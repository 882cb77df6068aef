import { fromBinary, isMessage, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import type { Converter } from './converter.js';

/**
 * A converter for a protobuf-es (`@bufbuild/protobuf` v2) message type: wire schema `.` + the
 * message's full name (e.g. `.rsb.protocol.introspection.Hello`), payload = its binary
 * serialisation. Register it so that messages of this type are sent and decoded.
 *
 * @example
 * ```ts
 * import { TimestampSchema } from '@bufbuild/protobuf/wkt';
 * converters.register(protobufConverter(TimestampSchema));
 * converters.encode(create(TimestampSchema, { seconds: 1n })).wireSchema; // '.google.protobuf.Timestamp'
 * ```
 */
export function protobufConverter<Desc extends DescMessage>(schema: Desc): Converter<MessageShape<Desc>> {
  return {
    wireSchema: `.${schema.typeName}`,
    encode: (message) => toBinary(schema, message),
    decode: (data) => fromBinary(schema, data),
    accepts: (value) => isMessage(value, schema),
  };
}
