import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecentFields } from '../../../src/protocols/rsb/recent-fields.js';
import { EventId, Scope, decodeNotification, encodeNotification, nowMicros } from '../../../src/protocols/rsb/index.js';

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('RecentFields (decode shortcuts for repeated field bytes)', () => {
  it('finds only byte-identical keys, at any offset, and forgets the oldest when full', () => {
    const recent = new RecentFields<string>(2);
    const frame = ascii('xx/a/b/yy');
    expect(recent.find(frame, 2, 7)).toBeUndefined();
    recent.remember(frame, 2, 7, 'ab');
    expect(recent.find(ascii('/a/b/'), 0, 5)).toBe('ab');
    expect(recent.find(ascii('/a/c/'), 0, 5)).toBeUndefined();
    expect(recent.find(ascii('/a/b'), 0, 4)).toBeUndefined();
    recent.remember(ascii('/c/'), 0, 3, 'c');
    recent.remember(ascii('/d/'), 0, 3, 'd');
    expect(recent.find(ascii('/a/b/'), 0, 5)).toBeUndefined();
    expect(recent.find(ascii('/c/'), 0, 3)).toBe('c');
    expect(recent.find(ascii('/d/'), 0, 3)).toBe('d');
  });

  it('keeps the key it was given as a copy, not a view of the frame', () => {
    const recent = new RecentFields<number>();
    const frame = ascii('/a/');
    recent.remember(frame, 0, 3, 1);
    frame[1] = 'z'.charCodeAt(0);
    expect(recent.find(ascii('/a/'), 0, 3)).toBe(1);
    expect(recent.find(frame, 0, 3)).toBeUndefined();
  });

  it('decoding interleaved notifications of more scopes, schemas and senders than it keeps gives each its own', () => {
    const scopes = ['/a/', '/a/b/', '/b/', '/ab/', '/c/d/', '/c/e/', '/x/', '/y/', '/z/'];
    const schemas = ['bytes', 'utf-8-string', 'int64', 'double', 'ascii-string', 'uint32'];
    const senders = Array.from({ length: 12 }, (_, i) => Uint8Array.from({ length: 16 }, (_, j) => (i * 7 + (j === 15 ? i : 0)) & 0xff));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(scopes.length - 1), fc.nat(schemas.length - 1), fc.nat(senders.length - 1)), { minLength: 1, maxLength: 40 }), (picks) => {
        for (const [s, w, p] of picks) {
          const now = nowMicros();
          const sent = { eventId: new EventId(senders[p], s), scope: Scope.parse(scopes[s]), wireSchema: schemas[w], data: new Uint8Array(0), causes: [], metaData: { createTime: now, sendTime: now, userInfos: [], userTimes: [] } };
          const got = decodeNotification(encodeNotification(sent));
          expect(got.scope).toBe(sent.scope);
          expect(got.wireSchema).toBe(sent.wireSchema);
          expect([...got.eventId.senderId]).toEqual([...senders[p]]);
        }
      }),
    );
  });
});
