import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventId, deriveEventUuid, uuidToString } from '../../../src/protocols/rsb/index.js';
import { eventId as anyEventId } from './fixtures.js';

describe('EventId', () => {
  it.each([
    ['D8FBFEF4-4EB0-4C89-9716-C425DED3C527', 0, '84F43861-433F-5253-AFBB-A613A5E04D71'],
    ['BF948D47-618F-4B04-AAC5-0AB5A1A79267', 378, 'BD27BE7D-87DE-5336-BECA-44FC60DE46A0'],
  ])('derives the event UUID of the spec example (%s, %i)', (sender, seq, expected) => {
    const id = EventId.fromUuid(sender, seq);
    expect(id.eventUuid).toBe(expected.toLowerCase());
    expect(uuidToString(deriveEventUuid(id.senderId, seq))).toBe(expected.toLowerCase());
  });

  it('yields version 5, RFC 4122 variant UUIDs (property)', () => {
    fc.assert(
      fc.property(anyEventId, (id) => {
        expect(id.eventUuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }),
      { seed: 0xe1d, numRuns: 100 },
    );
  });

  it('compares both parts', () => {
    const a = EventId.fromUuid('d8fbfef4-4eb0-4c89-9716-c425ded3c527', 1);
    expect(a.equals(EventId.fromUuid('D8FBFEF4-4EB0-4C89-9716-C425DED3C527', 1))).toBe(true);
    expect(a.equals(EventId.fromUuid('d8fbfef4-4eb0-4c89-9716-c425ded3c527', 2))).toBe(false);
    expect(a.equals(EventId.fromUuid('d8fbfef4-4eb0-4c89-9716-c425ded3c528', 1))).toBe(false);
    expect(a.key).toBe('d8fbfef4-4eb0-4c89-9716-c425ded3c527:1');
    expect(a.sender).toBe('d8fbfef4-4eb0-4c89-9716-c425ded3c527');
  });

  it('rejects bad senders and sequence numbers', () => {
    expect(() => new EventId(new Uint8Array(15), 0)).toThrow(expect.objectContaining({ code: 'RSB_BAD_SENDER_ID' }));
    expect(() => EventId.fromUuid('not-a-uuid', 0)).toThrow(expect.objectContaining({ code: 'RSB_BAD_SENDER_ID' }));
    for (const seq of [-1, 2 ** 32, 1.5, Number.NaN]) {
      expect(() => new EventId(new Uint8Array(16), seq)).toThrow(expect.objectContaining({ code: 'RSB_BAD_SEQUENCE_NUMBER' }));
    }
    expect(new EventId(new Uint8Array(16), 2 ** 32 - 1).sequenceNumber).toBe(4294967295);
  });
});
