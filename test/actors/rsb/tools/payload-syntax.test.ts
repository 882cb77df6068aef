import { describe, expect, it } from 'vitest';
import { parsePayload, parseTypedPayload, type PayloadSources } from '../../../../src/actors/rsb/tools/payload-syntax.js';
import { RsbToolError } from '../../../../src/actors/rsb/tools/errors.js';
import { ProtobufTextError, ProtobufTextTypes } from '../../../../src/actors/rsb/tools/protobuf-text.js';
import { ConverterRegistry, EventId, Scope } from '../../../../src/protocols/rsb/index.js';
import { labDescriptorSet } from './lab-types.js';

const files: Record<string, Uint8Array> = {
  'note.txt': new TextEncoder().encode('from a file'),
  'blob.bin': Uint8Array.of(0xff, 0xfe, 0),
  'reading.txtpb': new TextEncoder().encode('# a reading\nkind: TEMPERATURE\nvalue: 21.5\n'),
};
const sources: PayloadSources = {
  readStdin: async () => new TextEncoder().encode('from stdin'),
  readFile: async (path) => files[path] ?? Promise.reject(new Error(`no ${path}`)),
};
const converters = ConverterRegistry.withDefaults();
const schemaOf = (value: unknown): string => converters.encode(value).wireSchema;

describe('rsb send payload syntax', () => {
  it.each([
    ['true', 'bool', true],
    ['false', 'bool', false],
    ['42', 'int64', 42n],
    ['-7', 'int64', -7n],
    ['2.5', 'double', 2.5],
    ['1e3', 'double', 1000],
    ['"42"', 'utf-8-string', '42'],
    ['"true"', 'utf-8-string', 'true'],
    ['hello there', 'utf-8-string', 'hello there'],
    ['-', 'utf-8-string', 'from stdin'],
    ['#P"note.txt"', 'utf-8-string', 'from a file'],
    ['@note.txt', 'utf-8-string', 'from a file'],
  ])('%s is sent as %s', async (text, schema, expected) => {
    const value = await parsePayload(text, sources);
    expect(schemaOf(value)).toBe(schema);
    expect(converters.decode(schema, converters.encode(value).data)).toEqual(expected);
  });

  it('reads /a/b/ as a scope, binary files as bytes, and nothing as void', async () => {
    const scope = await parsePayload('/a/b/', sources);
    expect(scope).toBeInstanceOf(Scope);
    expect(schemaOf(scope)).toBe('scope');
    const blob = await parsePayload('@blob.bin', sources);
    expect(schemaOf(blob)).toBe('.*');
    expect(schemaOf(await parsePayload(undefined, sources))).toBe('void');
  });

  it('refuses an int64 out of range and a scope with a bad component, saying how to send a string', async () => {
    await expect(parsePayload('9223372036854775808', sources)).rejects.toThrow(/quote it/);
    await expect(parsePayload('/a b/', sources)).rejects.toThrow(RsbToolError);
  });

  it('--type reads numbers, hex and raw file contents', async () => {
    expect(schemaOf(await parseTypedPayload('7', 'uint32', sources))).toBe('uint32');
    expect(schemaOf(await parseTypedPayload('00ff', 'bytes', sources))).toBe('bytes');
    const raw = await parseTypedPayload('@blob.bin', '.*', sources);
    expect([...(raw as Uint8Array)]).toEqual([0xff, 0xfe, 0]);
    await expect(parseTypedPayload('x', 'int64', sources)).rejects.toThrow("'x' is not an integer");
    await expect(parseTypedPayload('1', 'void', sources)).rejects.toThrow('takes no argument');
  });

  describe('protobuf text (pb:.package.Message:{fields}, --type .package.Message)', () => {
    const lab = ProtobufTextTypes.withDescriptorSets([labDescriptorSet()]);
    const labConverters = lab.converters();

    it.each([
      ['pb:.lab.Reading:{kind: PRESSURE value: 2.5}', { kind: 2, value: 2.5 }],
      ['pb:.lab.Reading:kind: PRESSURE value: 2.5', { kind: 2, value: 2.5 }],
      ['pb:.lab.Reading:#P"reading.txtpb"', { kind: 1, value: 21.5 }],
      ['pb:.lab.Reading:@reading.txtpb', { kind: 1, value: 21.5 }],
    ])('%s is a lab.Reading sent as .lab.Reading', async (text, fields) => {
      const value = await parsePayload(text, sources, lab);
      expect(value).toMatchObject({ $typeName: 'lab.Reading', ...fields });
      expect(labConverters.encode(value).wireSchema).toBe('.lab.Reading');
    });

    it('reads - from stdin, and --type .lab.Reading with or without braces', async () => {
      const stdin: PayloadSources = { ...sources, readStdin: async () => new TextEncoder().encode('kind: 2') };
      expect(await parsePayload('pb:.lab.Reading:-', stdin, lab)).toMatchObject({ kind: 2 });
      expect(await parseTypedPayload('kind: 2 unit: "hPa"', '.lab.Reading', sources, lab)).toMatchObject({ kind: 2, unit: 'hPa' });
      expect(await parseTypedPayload('{kind: 2}', '.lab.Reading', sources, lab)).toMatchObject({ kind: 2 });
      expect(await parseTypedPayload('@reading.txtpb', '.lab.Reading', sources, lab)).toMatchObject({ kind: 1 });
      await expect(parseTypedPayload(undefined, '.lab.Reading', sources, lab)).rejects.toThrow(/protobuf text format/);
    });

    it('knows .rsb.protocol.EventId without a descriptor set', async () => {
      const value = await parsePayload('pb:.rsb.protocol.EventId:{sender_id: "0123456789abcdef" sequence_number: 7}', sources);
      expect(value).toBeInstanceOf(EventId);
      expect(schemaOf(value)).toBe('.rsb.protocol.EventId');
    });

    it('refuses a type name without its dot, an unregistered type and bad text, with codes', async () => {
      await expect(parsePayload('pb:lab.Reading:{kind: 1}', sources, lab)).rejects.toMatchObject({ code: 'RSB_BAD_PAYLOAD' });
      await expect(parsePayload('pb:.lab.Other:{}', sources, lab)).rejects.toMatchObject({ code: 'RSB_UNKNOWN_PROTOBUF_TYPE' });
      await expect(parsePayload('pb:.lab.Reading:{kind: 1 valu: 2}', sources, lab)).rejects.toBeInstanceOf(ProtobufTextError);
    });
  });
});
