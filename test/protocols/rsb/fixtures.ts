// Shared helpers of the RSB protocol tests: hex literals and fast-check arbitraries.
import fc from 'fast-check';
import { EventId, Scope, type EventMetaData, type Notification } from '../../../src/protocols/rsb/index.js';

/** Bytes from a hex string with optional whitespace, e.g. `hex('32 0e')`. */
export function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

/** ASCII bytes of a string literal. */
export function ascii(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'latin1'));
}

/** Concatenation of byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

/** Any ASCII string (control characters included). */
export const asciiText = fc.string({
  unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)),
  maxLength: 20,
});

/** A valid scope component. */
export const component = fc.stringMatching(/^[-_a-zA-Z0-9]{1,8}$/);

/** A valid scope of up to 5 components. */
export const scope = fc.array(component, { maxLength: 5 }).map((parts) => Scope.fromComponents(parts));

/** An event id with a random sender and any uint32 sequence number. */
export const eventId = fc
  .tuple(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.nat({ max: 0xffffffff }))
  .map(([sender, seq]) => new EventId(sender, seq));

/** A microsecond timestamp: mostly present-day, sometimes anywhere in the safe range. */
export const timestamp = fc.oneof(
  fc.integer({ min: 1_600_000_000_000_000, max: 1_900_000_000_000_000 }),
  fc.maxSafeInteger(),
  fc.maxSafeNat(),
);

export const metaData: fc.Arbitrary<EventMetaData> = fc
  .record(
    {
      createTime: timestamp,
      sendTime: timestamp,
      receiveTime: timestamp,
      deliverTime: timestamp,
      userTimes: fc.array(fc.record({ key: asciiText, timestamp: fc.maxSafeNat() }), { maxLength: 3 }),
      userInfos: fc.array(fc.record({ key: asciiText, value: asciiText }), { maxLength: 3 }),
    },
    { requiredKeys: ['createTime', 'sendTime', 'userTimes', 'userInfos'] },
  );

/** A notification the codec accepts, with every optional part sometimes present. */
export const notification: fc.Arbitrary<Notification> = fc.record(
  {
    eventId,
    scope,
    method: fc.oneof(fc.constantFrom('REQUEST', 'REPLY', 'SURVEY', ''), asciiText),
    wireSchema: fc.oneof(fc.constantFrom('utf-8-string', 'int64', '.*', 'void'), asciiText),
    data: fc.uint8Array({ maxLength: 40 }),
    causes: fc.array(eventId, { maxLength: 3 }),
    metaData,
  },
  { requiredKeys: ['eventId', 'scope', 'wireSchema', 'data', 'causes'] },
);
