import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachNotificationBody, NatsMessageBatch, NatsMessageFormatError, type NatsMessage } from '../../../src/protocols/rsb/nats/nats-message.js';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

function split(payload: Uint8Array): number[][] {
  const bodies: number[][] = [];
  forEachNotificationBody(payload, (body) => bodies.push([...body]));
  return bodies;
}

describe('NATS message format (length-prefixed notifications, one subject)', () => {
  it('frames each body with its 4-byte little-endian length, byte for byte', () => {
    const sealed: NatsMessage[] = [];
    const batch = new NatsMessageBatch(1024, (m) => sealed.push(m));
    batch.add('rsb.a', bytes(0x0a, 0x0b));
    batch.add('rsb.a', bytes(0x0c));
    batch.seal();
    expect(sealed).toHaveLength(1);
    expect(sealed[0].subject).toBe('rsb.a');
    expect(sealed[0].count).toBe(2);
    expect([...sealed[0].payload]).toEqual([2, 0, 0, 0, 0x0a, 0x0b, 1, 0, 0, 0, 0x0c]);
    expect(split(sealed[0].payload)).toEqual([[0x0a, 0x0b], [0x0c]]);
  });

  it('copies ready frames verbatim next to bodies it frames itself', () => {
    const sealed: NatsMessage[] = [];
    const batch = new NatsMessageBatch(1024, (m) => sealed.push(m));
    batch.addFrame('rsb.a', bytes(2, 0, 0, 0, 0x0a, 0x0b));
    batch.add('rsb.a', bytes(0x0c));
    batch.addFrame('rsb.a', bytes(1, 0, 0, 0, 0x0d));
    batch.seal();
    expect(sealed.map((m) => m.count)).toEqual([3]);
    expect([...sealed[0].payload]).toEqual([2, 0, 0, 0, 0x0a, 0x0b, 1, 0, 0, 0, 0x0c, 1, 0, 0, 0, 0x0d]);
  });

  it('only batches runs of consecutive publishes to one subject, so the order stays total', () => {
    const sealed: NatsMessage[] = [];
    const batch = new NatsMessageBatch(1024, (m) => sealed.push(m));
    for (const [subject, value] of [['rsb.a', 1], ['rsb.a', 2], ['rsb.b', 3], ['rsb.a', 4]] as const) batch.add(subject, bytes(value));
    batch.seal();
    expect(sealed.map((m) => [m.subject, split(m.payload).flat()])).toEqual([['rsb.a', [1, 2]], ['rsb.b', [3]], ['rsb.a', [4]]]);
  });

  it('seals before the size bound is passed; a larger body goes alone', () => {
    const sealed: NatsMessage[] = [];
    const batch = new NatsMessageBatch(16, (m) => sealed.push(m));
    batch.add('s', new Uint8Array(6)); // 10 framed
    batch.add('s', new Uint8Array(2)); // 16 framed: fits exactly
    batch.add('s', new Uint8Array(1)); // would pass 16
    batch.add('s', new Uint8Array(40)); // larger than the bound
    batch.seal();
    expect(sealed.map((m) => [m.count, m.payload.length])).toEqual([[2, 16], [1, 5], [1, 44]]);
    batch.seal();
    expect(sealed).toHaveLength(3);
  });

  it('rejects truncated, empty and trailing frames with RSB_NATS_BAD_MESSAGE, after handing out the good ones', () => {
    const cases: Array<[Uint8Array, number]> = [
      [bytes(), 0],
      [bytes(1, 0, 0), 0],
      [bytes(0, 0, 0, 0), 0],
      [bytes(1, 0, 0, 0, 9, 5, 0, 0, 0, 1), 1],
      [bytes(1, 0, 0, 0, 9, 0xff, 0xff, 0xff, 0xff), 1],
      [bytes(1, 0, 0, 0, 9, 7), 1],
    ];
    for (const [payload, good] of cases) {
      const seen: number[][] = [];
      let error: unknown;
      try {
        forEachNotificationBody(payload, (body) => seen.push([...body]));
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(NatsMessageFormatError);
      expect((error as NatsMessageFormatError).code).toBe('RSB_NATS_BAD_MESSAGE');
      expect(seen).toHaveLength(good);
    }
  });

  it('round-trips any sequence of bodies, and splits garbage only with its own error', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 20 }), fc.integer({ min: 8, max: 200 }), (bodies, max) => {
        const sealed: NatsMessage[] = [];
        const batch = new NatsMessageBatch(max, (m) => sealed.push(m));
        bodies.forEach((body, i) => {
          if (i % 2 === 0) batch.add('s', body);
          else {
            const frame = new Uint8Array(4 + body.length);
            new DataView(frame.buffer).setUint32(0, body.length, true);
            frame.set(body, 4);
            batch.addFrame('s', frame);
          }
        });
        batch.seal();
        expect(sealed.reduce((n, m) => n + m.count, 0)).toBe(bodies.length);
        expect(sealed.flatMap((m) => split(m.payload))).toEqual(bodies.map((b) => [...b]));
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (garbage) => {
        try {
          forEachNotificationBody(garbage, () => undefined);
        } catch (err) {
          expect(err).toBeInstanceOf(NatsMessageFormatError);
        }
      }),
    );
  });
});
