import { createFileRegistry, fromBinary, toBinary } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RsbToolError } from '../../../../src/actors/rsb/tools/errors.js';
import { ProtobufTextError, ProtobufTextTypes } from '../../../../src/actors/rsb/tools/protobuf-text.js';
import { EventId, encodeEventId } from '../../../../src/protocols/rsb/index.js';
import { labDescriptorSet } from './lab-types.js';

const lab = ProtobufTextTypes.withDescriptorSets([labDescriptorSet()]);
const readingDesc = createFileRegistry(fromBinary(FileDescriptorSetSchema, labDescriptorSet())).getMessage('lab.Reading')!;

/** The error `parse` throws (fails the test when it returns). */
function failure(types: ProtobufTextTypes, typeName: string, text: string): ProtobufTextError {
  try {
    types.parse(typeName, text);
  } catch (err) {
    expect(err).toBeInstanceOf(ProtobufTextError);
    return err as ProtobufTextError;
  }
  throw new Error(`parsed: ${text}`);
}

describe('protobuf text payloads', () => {
  it('reads .rsb.protocol.EventId, the built-in type, into an EventId with the bytes of the wire codec', () => {
    const value = ProtobufTextTypes.builtIn().parse('.rsb.protocol.EventId', 'sender_id: "\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\x09\\x0a\\x0b\\x0c\\x0d\\x0e\\x0f" sequence_number: 378');
    expect(value).toBeInstanceOf(EventId);
    const id = value as EventId;
    expect([...id.senderId]).toEqual([...Array(16).keys()]);
    expect(id.sequenceNumber).toBe(378);
    const converters = ProtobufTextTypes.builtIn().converters();
    expect(converters.encode(id)).toEqual({ wireSchema: '.rsb.protocol.EventId', data: encodeEventId(id) });
  });

  it('reads a loaded type: scalars, strings with escapes, enums by name or number, nested messages, repeated fields and lists', () => {
    const text = [
      'kind: PRESSURE  # a comment',
      'value: -1.5e3 unit: "h\\"Pa\\"\\n\\u00e9\\101" at: -9223372036854775808',
      "raw: 'a\\x00\\377' valid: true samples: [1, -2, 0x10] samples: 3",
      'parts { kind: TEMPERATURE value: 21.5 } parts: < kind: 1 >',
      'source { name: "bench" channel: 4294967295 }',
    ].join('\n');
    const message = lab.parse('.lab.Reading', text) as Record<string, unknown>;
    expect(message).toMatchObject({
      $typeName: 'lab.Reading',
      kind: 2,
      value: -1500,
      unit: 'h"Pa"\néA',
      at: -(2n ** 63n),
      raw: Uint8Array.of(0x61, 0, 0xff),
      valid: true,
      samples: [1, -2, 16, 3],
      parts: [
        { kind: 1, value: 21.5 },
        { kind: 1 },
      ],
      source: { name: 'bench', channel: 4294967295 },
    });
    // Sent with wire schema .lab.Reading and its binary encoding, which decodes to the same message.
    const { wireSchema, data } = lab.converters().encode(message);
    expect(wireSchema).toBe('.lab.Reading');
    expect(data).toEqual(toBinary(readingDesc, message as never));
    expect(fromBinary(readingDesc, data)).toEqual(message);
  });

  it.each([
    ['an unknown field', 'kind: PRESSURE\n  colour: 3', 2, 3, /unknown field "colour"/],
    ['an unknown enum value', 'kind: HUMIDITY', 1, 7, /unknown enum value "HUMIDITY"/],
    ['a string for a number', 'kind: 1 value: "x"', 1, 16, /expected a float/],
    ['a negative unsigned', 'kind: 1 source { name: "a" channel: -1 }', 1, 37, /negative/],
    ['an unterminated string', 'kind: 1\nunit: "abc', 2, 7, /unterminated string/],
    ['a stray closing brace', 'kind: 1 }', 1, 9, /expected a field name, got "}"/],
    ['an unclosed message', 'kind: 1 parts { kind: 2', 1, 24, /end of input/],
    ['a list for a singular field', 'kind: 1 value: [1, 2]', 1, 16, /expected a float, got "\["/],
    ['a singular field given twice', 'kind: 1 unit: "a" unit: "b"', 1, 19, /non-repeated/],
  ])('refuses %s, pointing at the line and column', (_what, text, line, column, reason) => {
    const error = failure(lab, '.lab.Reading', text);
    expect(error).toMatchObject({ code: 'RSB_BAD_PROTOBUF_TEXT', typeName: '.lab.Reading', line, column });
    expect(error.reason).toMatch(reason);
    expect(error.message).toContain(`at line ${line}, column ${column}`);
  });

  it('refuses a missing required field at any depth, without a position', () => {
    expect(failure(lab, '.lab.Reading', 'value: 1')).toMatchObject({ reason: 'required field lab.Reading.kind is not set', line: undefined });
    expect(failure(lab, '.lab.Reading', 'kind: 1 source { channel: 2 }').reason).toBe('required field lab.Source.name is not set');
    expect(failure(ProtobufTextTypes.builtIn(), '.rsb.protocol.EventId', 'sender_id: "abc" sequence_number: 1').reason).toMatch(/16 bytes/);
  });

  it('names the registered types when asked for another, and refuses a file that is not a descriptor set', () => {
    expect(() => ProtobufTextTypes.builtIn().parse('.lab.Reading', 'kind: 1')).toThrow(
      expect.objectContaining({ code: 'RSB_UNKNOWN_PROTOBUF_TYPE', message: expect.stringContaining('registered: .rsb.protocol.EventId') }),
    );
    expect(lab.typeNames).toEqual(['.lab.Reading', '.lab.Source', '.rsb.protocol.EventId']);
    expect(() => ProtobufTextTypes.withDescriptorSets([Uint8Array.of(0xff, 0xff, 0xff)])).toThrow(expect.objectContaining({ code: 'RSB_BAD_DESCRIPTOR_SET' }));
  });

  // Fuzzing: whatever the text, the outcome is a value or a ProtobufTextError whose position lies
  // inside the text; never another exception, and never a hang.
  const TOKENS = ['kind', 'value', 'unit', 'parts', 'source', 'name', 'samples', ':', '{', '}', '<', '>', '[', ']', ',', '"', "'", '\\', '\\x', '\\u12', '-', '1', '0x1f', '1e9', '.5', 'inf', 'PRESSURE', ' ', '\n', '#', 'true'];
  const tokenText = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((parts) => parts.join(''));
  const checkOutcome = (text: string): void => {
    try {
      lab.parse('.lab.Reading', text);
    } catch (err) {
      if (!(err instanceof ProtobufTextError)) throw err;
      if (err.offset !== undefined) {
        expect(err.offset).toBeGreaterThanOrEqual(0);
        expect(err.offset).toBeLessThanOrEqual(text.length);
      }
    }
  };

  it('fuzz: any string is a message or a ProtobufTextError', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), tokenText), checkOutcome), { numRuns: 600 });
  });

  it('fuzz: a valid text cut or spliced anywhere is a message or a ProtobufTextError', () => {
    const valid = 'kind: PRESSURE value: 2.5 unit: "h\\"Pa" parts { kind: 1 samples: [1, 2] } source { name: "x" }';
    fc.assert(
      fc.property(fc.nat(valid.length), fc.nat(valid.length), fc.constantFrom(...TOKENS), (cut, at, token) => {
        checkOutcome(valid.slice(0, cut));
        checkOutcome(valid.slice(0, at) + token + valid.slice(at));
      }),
      { numRuns: 400 },
    );
  });

  it('is an RsbToolError, so that the CLI reports it as a usage error', () => {
    expect(failure(lab, '.lab.Reading', '}')).toBeInstanceOf(RsbToolError);
  });
});
