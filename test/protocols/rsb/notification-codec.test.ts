import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../src/protocols/errors.js';
import {
  EventId,
  RsbError,
  Scope,
  decodeEventId,
  decodeNotification,
  encodeEventId,
  encodeNotification,
  encodeNotificationFrame,
  type Notification,
} from '../../../src/protocols/rsb/index.js';
import { ascii, concat, hex, notification as anyNotification } from './fixtures.js';

const SENDER = hex('d8fbfef4 4eb0 4c89 9716 c425ded3c527');
const CREATE = 1700000000123456;
const SEND = 1700000000234567;
const CREATE_VARINT = hex('c0 c4 80 c1 c1 c4 82 03');
const SEND_VARINT = hex('c7 a8 87 c1 c1 c4 82 03');

// The string event of spec §1.6, field by field in rsb-python's wire order.
const PYTHON_STRING_EVENT = concat(
  hex('32 0e'), ascii('/demo/strings/'),
  hex('3a 0c'), ascii('utf-8-string'),
  hex('4a 05'), ascii('hello'),
  hex('6a 14 0a 10'), new Uint8Array(16), hex('10 00'),
  hex('7a 1e 10'), CREATE_VARINT, hex('18'), SEND_VARINT, hex('3a 0a 0a 04'), ascii('lang'), hex('12 02'), ascii('py'),
  hex('e2 06 14 0a 10'), SENDER, hex('10 00'),
);

const pythonEvent: Notification = {
  eventId: new EventId(SENDER, 0),
  scope: Scope.parse('/demo/strings'),
  wireSchema: 'utf-8-string',
  data: ascii('hello'),
  causes: [new EventId(new Uint8Array(16), 0)],
  metaData: { createTime: CREATE, sendTime: SEND, userTimes: [], userInfos: [{ key: 'lang', value: 'py' }] },
};

function minimal(overrides: Partial<Notification> = {}): Notification {
  return {
    eventId: new EventId(SENDER, 7),
    scope: Scope.parse('/a'),
    wireSchema: 'void',
    data: new Uint8Array(0),
    causes: [],
    metaData: { createTime: CREATE, sendTime: SEND, userTimes: [], userInfos: [] },
    ...overrides,
  };
}

function decodeError(bytes: Uint8Array): RsbError {
  try {
    decodeNotification(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(RsbError);
    return err as RsbError;
  }
  throw new Error('decodeNotification accepted the input');
}

// Event id 108 with (SENDER, 0): the smallest valid notification body apart from the scope.
const EVENT_ID_FIELD = concat(hex('e2 06 14 0a 10'), SENDER, hex('10 00'));
const SCOPE_FIELD = concat(hex('32 03'), ascii('/a/'));

describe('encodeNotification', () => {
  it('writes the rsb-python string event of the spec byte for byte (114 bytes)', () => {
    const body = encodeNotification(pythonEvent);
    expect(Buffer.from(body).toString('hex')).toBe(Buffer.from(PYTHON_STRING_EVENT).toString('hex'));
    expect(body.length).toBe(114);
  });

  it('frames it with the prefix 72 00 00 00 in the same buffer', () => {
    const frame = encodeNotificationFrame(pythonEvent);
    expect(Buffer.from(frame.subarray(0, 4)).toString('hex')).toBe('72000000');
    expect(Buffer.from(frame.subarray(4))).toEqual(Buffer.from(PYTHON_STRING_EVENT));
  });

  it('writes the method between causes (13) and meta data (15), field-number order', () => {
    const body = encodeNotification(minimal({ method: 'REQUEST', causes: [] }));
    const expected = concat(
      SCOPE_FIELD,
      hex('3a 04'), ascii('void'),
      hex('4a 00'),
      hex('72 07'), ascii('REQUEST'),
      hex('7a 12 10'), CREATE_VARINT, hex('18'), SEND_VARINT,
      hex('e2 06 14 0a 10'), SENDER, hex('10 07'),
    );
    expect(Buffer.from(body).toString('hex')).toBe(Buffer.from(expected).toString('hex'));
  });

  it('writes receive/deliver times and user times after send time, user infos last', () => {
    const body = encodeNotification(
      minimal({
        metaData: {
          createTime: 1,
          sendTime: 2,
          receiveTime: 3,
          deliverTime: 4,
          userTimes: [{ key: 'k', timestamp: 300 }],
          userInfos: [{ key: 'rsb:error?', value: '' }],
        },
      }),
    );
    const meta = concat(hex('7a 20 10 01 18 02 20 03 28 04 32 06 0a 01'), ascii('k'), hex('10 ac 02'), hex('3a 0e 0a 0a'), ascii('rsb:error?'), hex('12 00'));
    expect(Buffer.from(body).includes(Buffer.from(meta))).toBe(true);
  });

  it('writes an explicit 0 for a required sequence number and a 10-byte varint for negative times', () => {
    const body = encodeNotification(minimal({ eventId: new EventId(SENDER, 0), metaData: { createTime: -1, sendTime: 0, userTimes: [], userInfos: [] } }));
    expect(Buffer.from(body).includes(Buffer.from(hex('7a 0d 10 ff ff ff ff ff ff ff ff ff 01 18 00')))).toBe(true);
    expect(Buffer.from(body.subarray(-2)).toString('hex')).toBe('1000');
  });

  it('refuses non-ASCII method, wire schema and user-info/user-time strings', () => {
    const meta = { createTime: 1, sendTime: 2, userTimes: [], userInfos: [] };
    const cases: Notification[] = [
      minimal({ method: 'RÉPLY' }),
      minimal({ wireSchema: 'utf-8-ßtring' }),
      minimal({ metaData: { ...meta, userInfos: [{ key: 'ké', value: 'v' }] } }),
      minimal({ metaData: { ...meta, userInfos: [{ key: 'k', value: 'vé' }] } }),
      minimal({ metaData: { ...meta, userTimes: [{ key: '時', timestamp: 1 }] } }),
    ];
    for (const n of cases) expect(() => encodeNotification(n)).toThrow(expect.objectContaining({ code: 'RSB_NOT_ASCII' }));
  });

  it('refuses timestamps that are not safe integers, and negative user times', () => {
    const meta = { createTime: 1, sendTime: 2, userTimes: [], userInfos: [] };
    const cases: Notification[] = [
      minimal({ metaData: { ...meta, createTime: 1.5 } }),
      minimal({ metaData: { ...meta, sendTime: 2 ** 60 } }),
      minimal({ metaData: { ...meta, userTimes: [{ key: 'k', timestamp: -1 }] } }),
    ];
    for (const n of cases) expect(() => encodeNotification(n)).toThrow(expect.objectContaining({ code: 'RSB_BAD_TIMESTAMP' }));
  });
});

describe('decodeNotification', () => {
  it('decodes the rsb-python string event of the spec', () => {
    const n = decodeNotification(PYTHON_STRING_EVENT);
    expect(n.scope.text).toBe('/demo/strings/');
    expect(n.wireSchema).toBe('utf-8-string');
    expect(Buffer.from(n.data).toString()).toBe('hello');
    expect(n.method).toBeUndefined();
    expect(n.eventId.sender).toBe('d8fbfef4-4eb0-4c89-9716-c425ded3c527');
    expect(n.eventId.sequenceNumber).toBe(0);
    expect(n.causes.map(String)).toEqual(['EventId[00000000-0000-0000-0000-000000000000, 0]']);
    expect(n.metaData).toEqual({ createTime: CREATE, sendTime: SEND, userTimes: [], userInfos: [{ key: 'lang', value: 'py' }] });
  });

  it('accepts the fields in any order', () => {
    const reversed = concat(EVENT_ID_FIELD, hex('4a 02 68 69'), SCOPE_FIELD);
    const n = decodeNotification(reversed);
    expect(n.scope.text).toBe('/a/');
    expect(Buffer.from(n.data).toString()).toBe('hi');
    expect(n.wireSchema).toBe('');
    expect(n.metaData).toBeUndefined();
  });

  it("tolerates rsb-cpp's extra rsb.wire-schema user info and keeps user infos in wire order", () => {
    const infos = concat(
      hex('3a 1f 0a 0f'), ascii('rsb.wire-schema'), hex('12 0c'), ascii('utf-8-string'),
      hex('3a 0a 0a 04'), ascii('lang'), hex('12 02'), ascii('cc'),
    );
    const meta = concat(hex('7a 31 10 01 18 02'), infos);
    const n = decodeNotification(concat(SCOPE_FIELD, hex('3a 0c'), ascii('utf-8-string'), meta, EVENT_ID_FIELD));
    expect(n.metaData?.userInfos).toEqual([
      { key: 'rsb.wire-schema', value: 'utf-8-string' },
      { key: 'lang', value: 'cc' },
    ]);
  });

  it('keeps an empty method as the empty string (present but empty)', () => {
    expect(decodeNotification(concat(SCOPE_FIELD, hex('72 00'), EVENT_ID_FIELD)).method).toBe('');
  });

  it('skips unknown fields of every wire type, groups included', () => {
    const unknown = hex(
      [
        '08 96 01', // field 1 varint
        '11 0102030405060708', // field 2 fixed64
        '1a 03 616263', // field 3 length-delimited
        '25 01020304', // field 4 fixed32
        '2b 08 01 1b 0a 00 1c 2c', // field 5 group holding a varint and a nested group
        'a0 06 01', // field 100 varint
      ].join(' '),
    );
    const n = decodeNotification(concat(unknown, SCOPE_FIELD, EVENT_ID_FIELD, unknown));
    expect(n.scope.text).toBe('/a/');
    const inEventId = concat(hex('e2 06 16 0a 10'), SENDER, hex('10 05 18 01'));
    expect(decodeNotification(concat(SCOPE_FIELD, inEventId)).eventId.sequenceNumber).toBe(5);
  });

  it('merges repeated embedded messages and lets the last scalar win', () => {
    const split = concat(hex('e2 06 12 0a 10'), SENDER, hex('e2 06 02 10 09'));
    expect(decodeNotification(concat(SCOPE_FIELD, split)).eventId.sequenceNumber).toBe(9);
    const twoScopes = concat(hex('32 03'), ascii('/x/'), SCOPE_FIELD, EVENT_ID_FIELD);
    expect(decodeNotification(twoScopes).scope.text).toBe('/a/');
    const metaTwice = concat(SCOPE_FIELD, hex('7a 02 10 05 7a 04 18 06 10 07'), EVENT_ID_FIELD);
    expect(decodeNotification(metaTwice).metaData).toMatchObject({ createTime: 7, sendTime: 6 });
  });

  it('normalises a scope sent without the trailing slash', () => {
    expect(decodeNotification(concat(hex('32 02'), ascii('/a'), EVENT_ID_FIELD)).scope.text).toBe('/a/');
  });

  it('returns data as a view of the body', () => {
    const body = concat(SCOPE_FIELD, hex('4a 02 68 69'), EVENT_ID_FIELD);
    expect(decodeNotification(body).data.buffer).toBe(body.buffer);
  });

  describe('rejects, with a stable code', () => {
    const cases: Array<[string, Uint8Array, string]> = [
      ['an empty body (no event_id)', new Uint8Array(0), 'RSB_MISSING_FIELD'],
      ['a missing event_id', SCOPE_FIELD, 'RSB_MISSING_FIELD'],
      ['a missing sender_id', concat(SCOPE_FIELD, hex('e2 06 02 10 00')), 'RSB_MISSING_FIELD'],
      ['a missing sequence_number', concat(SCOPE_FIELD, hex('e2 06 12 0a 10'), SENDER), 'RSB_MISSING_FIELD'],
      ['a cause without sequence number', concat(SCOPE_FIELD, hex('6a 12 0a 10'), SENDER, EVENT_ID_FIELD), 'RSB_MISSING_FIELD'],
      ['meta data without send_time', concat(SCOPE_FIELD, hex('7a 02 10 01'), EVENT_ID_FIELD), 'RSB_MISSING_FIELD'],
      ['meta data without create_time', concat(SCOPE_FIELD, hex('7a 02 18 01'), EVENT_ID_FIELD), 'RSB_MISSING_FIELD'],
      ['a user info without value', concat(SCOPE_FIELD, hex('7a 09 10 01 18 02 3a 03 0a 01 6b'), EVENT_ID_FIELD), 'RSB_MISSING_FIELD'],
      ['a user info without key', concat(SCOPE_FIELD, hex('7a 09 10 01 18 02 3a 03 12 01 76'), EVENT_ID_FIELD), 'RSB_MISSING_FIELD'],
      ['a user time without timestamp', concat(SCOPE_FIELD, hex('7a 09 10 01 18 02 32 03 0a 01 6b'), EVENT_ID_FIELD), 'RSB_MISSING_FIELD'],
      ['a sender id of 15 bytes', concat(SCOPE_FIELD, hex('e2 06 13 0a 0f'), SENDER.subarray(1), hex('10 00')), 'RSB_BAD_SENDER_ID'],
      ['a missing scope', EVENT_ID_FIELD, 'RSB_MISSING_SCOPE'],
      ['an empty scope', concat(hex('32 00'), EVENT_ID_FIELD), 'RSB_INVALID_SCOPE'],
      ['a scope without leading slash', concat(hex('32 02'), ascii('a/'), EVENT_ID_FIELD), 'RSB_INVALID_SCOPE'],
      ['a scope with an empty component', concat(hex('32 05'), ascii('/a//b'), EVENT_ID_FIELD), 'RSB_INVALID_SCOPE'],
      ['a scope with a space', concat(hex('32 04'), ascii('/a b'), EVENT_ID_FIELD), 'RSB_INVALID_SCOPE'],
      ['a non-ASCII scope', concat(hex('32 04 2f c3 a9 2f'), EVENT_ID_FIELD), 'RSB_NOT_ASCII'],
      ['a non-ASCII method', concat(SCOPE_FIELD, hex('72 02 c3 a9'), EVENT_ID_FIELD), 'RSB_NOT_ASCII'],
      ['a non-ASCII wire schema', concat(SCOPE_FIELD, hex('3a 01 ff'), EVENT_ID_FIELD), 'RSB_NOT_ASCII'],
      ['a non-ASCII user-info key', concat(SCOPE_FIELD, hex('7a 0b 10 01 18 02 3a 05 0a 01 ff 12 00'), EVENT_ID_FIELD), 'RSB_NOT_ASCII'],
      ['a non-ASCII user-info value', concat(SCOPE_FIELD, hex('7a 0b 10 01 18 02 3a 05 0a 00 12 01 80'), EVENT_ID_FIELD), 'RSB_NOT_ASCII'],
      ['a non-ASCII user-time key', concat(SCOPE_FIELD, hex('7a 0b 10 01 18 02 32 05 0a 01 ff 10 01'), EVENT_ID_FIELD), 'RSB_NOT_ASCII'],
      ['a create time beyond 2^53', concat(SCOPE_FIELD, hex('7a 0c 10 80 80 80 80 80 80 80 10 18 01'), EVENT_ID_FIELD), 'RSB_BAD_TIMESTAMP'],
      ['a truncated body', PYTHON_STRING_EVENT.subarray(0, 60), 'RSB_TRUNCATED'],
      ['a truncated varint', concat(SCOPE_FIELD, hex('08 ff')), 'RSB_TRUNCATED'],
      ['a length past the end', concat(SCOPE_FIELD, hex('4a 05 00')), 'RSB_TRUNCATED'],
      ['an unterminated group', concat(SCOPE_FIELD, hex('0b 08 01')), 'RSB_TRUNCATED'],
      ['an 11-byte varint', concat(SCOPE_FIELD, hex('08 ff ff ff ff ff ff ff ff ff ff 01')), 'RSB_BAD_VARINT'],
      ['wire type 7', concat(SCOPE_FIELD, hex('0f')), 'RSB_BAD_WIRE_TYPE'],
      ['field number 0', concat(hex('02 00'), SCOPE_FIELD), 'RSB_BAD_WIRE_TYPE'],
      ['a stray end-group', concat(SCOPE_FIELD, hex('0c')), 'RSB_BAD_WIRE_TYPE'],
      ['a mismatched end-group', concat(SCOPE_FIELD, hex('0b 14')), 'RSB_BAD_WIRE_TYPE'],
      ['the scope as a varint', concat(hex('30 01'), EVENT_ID_FIELD), 'RSB_WRONG_WIRE_TYPE'],
      ['event_id as a varint', concat(SCOPE_FIELD, hex('e0 06 01')), 'RSB_WRONG_WIRE_TYPE'],
      ['a sequence number as bytes', concat(SCOPE_FIELD, hex('e2 06 14 0a 10'), SENDER, hex('12 00')), 'RSB_WRONG_WIRE_TYPE'],
      ['create_time as fixed64', concat(SCOPE_FIELD, hex('7a 09 11 0000000000000000'), EVENT_ID_FIELD), 'RSB_WRONG_WIRE_TYPE'],
      ['groups nested 101 deep', concat(SCOPE_FIELD, hex('0b'.repeat(101) + '0c'.repeat(101))), 'RSB_NESTING_TOO_DEEP'],
    ];
    it.each(cases)('%s', (_name, bytes, code) => {
      expect(decodeError(bytes).code).toBe(code);
    });
  });

  it('round-trips any valid notification (property)', () => {
    fc.assert(
      fc.property(anyNotification, (n) => {
        const body = Uint8Array.from(encodeNotification(n));
        expect(decodeNotification(body)).toEqual(n);
        expect(Buffer.from(encodeNotification(decodeNotification(body)))).toEqual(Buffer.from(body));
      }),
      { seed: 0x5eb, numRuns: 300 },
    );
  });

  it('throws nothing but ProtocolError on random bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeNotification(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError);
        }
      }),
      { seed: 0x5ec, numRuns: 2000 },
    );
  });

  it('throws nothing but ProtocolError on mutated and truncated valid bodies (property)', () => {
    const mutated = fc
      .tuple(anyNotification, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat())
      .map(([n, edits, cut]) => {
        const body = Uint8Array.from(encodeNotification(n));
        for (const [at, value] of edits) body[at % body.length] = value;
        return body.subarray(0, body.length - (cut % 3));
      });
    fc.assert(
      fc.property(mutated, (bytes) => {
        try {
          const n = decodeNotification(bytes);
          expect(n.scope).toBeInstanceOf(Scope);
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError);
        }
      }),
      { seed: 0x5ed, numRuns: 1000 },
    );
  });
});

describe('EventId payload codec', () => {
  it('writes sender_id then sequence_number and reads it back', () => {
    const id = new EventId(SENDER, 378);
    const bytes = encodeEventId(id);
    expect(Buffer.from(bytes).toString('hex')).toBe(Buffer.from(concat(hex('0a 10'), SENDER, hex('10 fa 02'))).toString('hex'));
    expect(decodeEventId(bytes).equals(id)).toBe(true);
    expect(() => decodeEventId(hex('10 01'))).toThrow(expect.objectContaining({ code: 'RSB_MISSING_FIELD' }));
  });
});
