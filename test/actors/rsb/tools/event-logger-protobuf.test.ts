import { create, createFileRegistry, fromBinary, toBinary } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import { ReceivedEvent } from '../../../../src/actors/rsb/event.js';
import { EventLogger } from '../../../../src/actors/rsb/tools/event-logger.js';
import type { LoggerStyle } from '../../../../src/actors/rsb/tools/event-styles.js';
import { ProtobufPayload, ProtobufTextTypes } from '../../../../src/actors/rsb/tools/protobuf-text.js';
import { RsbToolError } from '../../../../src/actors/rsb/tools/errors.js';
import { ConverterRegistry, EventId, Scope, type Notification } from '../../../../src/protocols/rsb/index.js';
import type { TappedNotification } from '../../../../src/actors/rsb/tools/bus-tap.js';
import { labDescriptorSet } from './lab-types.js';

// docs/RSB.md, "rsb logger": payloads of registered protobuf types are shown decoded.
const SENDER = 'd8fbfef4-4eb0-4c89-9716-c425ded3c527';
const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 678) * 1000;
const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, labDescriptorSet()));
const Reading = registry.getMessage('lab.Reading')!;
const lab = ProtobufTextTypes.withDescriptorSets([labDescriptorSet()]);

const READING = toBinary(
  Reading,
  create(Reading, { kind: 2, value: 1013.25, unit: 'hPa', at: 9007199254740993n, source: { name: 'baro "1"', channel: 3 }, samples: [1, -2] }),
);
const EVENT_ID = ConverterRegistry.withDefaults().encode(EventId.fromUuid(SENDER, 7)).data;

function tapped(wireSchema: string, data: Uint8Array, sequenceNumber = 0): TappedNotification {
  const notification: Notification = {
    eventId: EventId.fromUuid(SENDER, sequenceNumber),
    scope: Scope.parse('/lab/'),
    wireSchema,
    data,
    causes: [],
    metaData: { createTime: T0, sendTime: T0, userInfos: [], userTimes: [] },
  };
  return { notification, receiveTime: T0, header: new ReceivedEvent(notification, T0) };
}

function logged(style: LoggerStyle, event: TappedNotification, protobufTypes?: ProtobufTextTypes): string {
  let text = '';
  const logger = new EventLogger({ style, write: (t) => void (text += t), protobufTypes });
  logger.log(event);
  return text;
}

describe('rsb logger: registered protobuf types', () => {
  it('detailed: the message in protobuf text format, a field per line', () => {
    const text = logged('detailed', tapped('.lab.Reading', READING), lab);
    expect(text).toContain('  Wire schema  .lab.Reading\n');
    expect(text).toContain(
      '  Payload\n    kind: PRESSURE\n    value: 1013.25\n    unit: "hPa"\n    at: 9007199254740993\n    samples: 1\n    samples: -2\n    source: {\n      name: "baro \\"1\\""\n      channel: 3\n    }\n\n',
    );
  });

  it('compact: the text format on one line, cut at 60 characters', () => {
    const line = logged('compact', tapped('.lab.Reading', READING), lab);
    expect(line).toMatch(/ \.lab\.Reading d8fbfef4:0 \d+ B kind: PRESSURE value: 1013\.25 unit: "hPa" at: 9007199254740…\n$/);
  });

  it("json: protobuf's JSON mapping (64-bit integers as text, enums by name)", () => {
    const [line] = logged('json', tapped('.lab.Reading', READING), lab).trim().split('\n');
    expect((JSON.parse(line) as { data: unknown }).data).toEqual({
      kind: 'PRESSURE',
      value: 1013.25,
      unit: 'hPa',
      at: '9007199254740993',
      samples: [1, -2],
      source: { name: 'baro "1"', channel: 3 },
    });
  });

  it('payload: the bytes as they came, in hex', () => {
    expect(logged('payload', tapped('.lab.Reading', READING), lab)).toBe(Buffer.from(READING).toString('hex') + '\n');
  });

  it('without the descriptor set, the type is raw bytes as before', () => {
    expect(JSON.parse(logged('json', tapped('.lab.Reading', READING)))).toMatchObject({ data: { wireSchema: '.lab.Reading', hex: Buffer.from(READING).toString('hex') } });
    expect(logged('compact', tapped('.lab.Reading', READING))).toContain(` B ${Buffer.from(READING).toString('hex').slice(0, 40)}`);
  });

  it('.rsb.protocol.EventId is decoded by default, in every style', () => {
    const event = tapped('.rsb.protocol.EventId', EVENT_ID);
    const sender = Buffer.from(EventId.fromUuid(SENDER, 7).senderId);
    expect(JSON.parse(logged('json', event))).toMatchObject({ data: { senderId: sender.toString('base64'), sequenceNumber: 7 } });
    expect(logged('compact', event)).toContain(' B sender_id: "\\xd8\\xfb\\xfe\\xf4N\\xb0L');
    expect(logged('detailed', event)).toMatch(/ {2}Payload\n {4}sender_id: ".+"\n {4}sequence_number: 7\n\n$/);
    expect(logged('payload', event)).toBe(Buffer.from(EVENT_ID).toString('hex') + '\n');
  });

  it('a payload that is not its type is shown as such, and the logger goes on', () => {
    const text = logged('detailed', tapped('.lab.Reading', Uint8Array.of(0x0a, 0xff)), lab);
    expect(text).toContain('  Payload\n    <payload does not decode as .lab.Reading: a payload that is not .lab.Reading: ');
    expect(() => lab.decode('.lab.Reading', Uint8Array.of(0x0a, 0xff))).toThrow(RsbToolError);
    expect(lab.decode('utf-8-string', Uint8Array.of(0x41))).toBeUndefined();
    expect(lab.decode('.lab.Reading', READING)).toBeInstanceOf(ProtobufPayload);
  });
});
