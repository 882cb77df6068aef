import { create } from '@bufbuild/protobuf';
import { TimestampSchema } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import { ConverterRegistry, RsbError, protobufConverter } from '../../../../src/protocols/rsb/index.js';
import { hex } from '../fixtures.js';

describe('protobufConverter', () => {
  const converters = ConverterRegistry.withDefaults().register(protobufConverter(TimestampSchema));

  it('sends a registered protobuf-es message with schema "." + full name', () => {
    const payload = converters.encode(create(TimestampSchema, { seconds: 1n, nanos: 2 }));
    expect(payload.wireSchema).toBe('.google.protobuf.Timestamp');
    expect(Buffer.from(payload.data).toString('hex')).toBe('08011002');
  });

  it('decodes it back', () => {
    const message = converters.decode('.google.protobuf.Timestamp', hex('08011002'));
    expect(message).toMatchObject({ seconds: 1n, nanos: 2 });
  });

  it('turns a parse failure into RSB_BAD_PAYLOAD', () => {
    expect(() => converters.decode('.google.protobuf.Timestamp', hex('08'))).toThrow(RsbError);
    expect(() => converters.decode('.google.protobuf.Timestamp', hex('08'))).toThrow(expect.objectContaining({ code: 'RSB_BAD_PAYLOAD' }));
  });
});
