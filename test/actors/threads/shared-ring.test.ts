import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SharedRing } from '../../../src/actors/threads/shared-ring.js';

function put(ring: SharedRing, payload: Uint8Array): boolean {
  const at = ring.reserve(payload.length);
  if (at < 0) return false;
  ring.bytes.set(payload, at);
  ring.commit();
  return true;
}

function take(ring: SharedRing): Uint8Array | undefined {
  const at = ring.next();
  if (at < 0) return undefined;
  const out = ring.bytes.slice(at, at + ring.recordLength);
  ring.release();
  return out;
}

describe('SharedRing', () => {
  it('rounds its capacity up to a power of two and allows records of up to half of it', () => {
    const ring = SharedRing.create(100);
    expect(ring.capacity).toBe(128);
    expect(ring.maxRecordBytes).toBe(60);
    expect(() => ring.reserve(61)).toThrow(RangeError);
    expect(() => new SharedRing(new SharedArrayBuffer(16 + 100))).toThrow(RangeError);
  });

  it('hands records to a second view of the same memory, in order, zero-length ones included', () => {
    const producer = SharedRing.create(64);
    const consumer = new SharedRing(producer.buffer);
    expect(take(consumer)).toBeUndefined();
    expect(put(producer, Uint8Array.of(1, 2, 3))).toBe(true);
    expect(put(producer, new Uint8Array(0))).toBe(true);
    expect(put(producer, Uint8Array.of(9))).toBe(true);
    expect(take(consumer)).toEqual(Uint8Array.of(1, 2, 3));
    expect(take(consumer)).toEqual(new Uint8Array(0));
    expect(take(consumer)).toEqual(Uint8Array.of(9));
    expect(take(consumer)).toBeUndefined();
  });

  it('refuses a record while full and takes it once the consumer freed space', () => {
    const producer = SharedRing.create(64);
    const consumer = new SharedRing(producer.buffer);
    const record = new Uint8Array(28).fill(7); // 32 bytes with its length word: two fill the ring
    expect(put(producer, record)).toBe(true);
    expect(put(producer, record)).toBe(true);
    expect(put(producer, Uint8Array.of(1))).toBe(false);
    expect(take(consumer)).toEqual(record);
    expect(put(producer, Uint8Array.of(1))).toBe(true);
    expect(take(consumer)).toEqual(record);
    expect(take(consumer)).toEqual(Uint8Array.of(1));
  });

  it('keeps every record whole across the end of the ring (property: any sizes, any interleaving)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 28 }), fc.constant(-1)), { maxLength: 300 }), (ops) => {
        const producer = SharedRing.create(64);
        const consumer = new SharedRing(producer.buffer);
        const model: Uint8Array[] = [];
        let n = 0;
        for (const op of ops) {
          if (op < 0) {
            expect(take(consumer)).toEqual(model.shift());
            continue;
          }
          const payload = Uint8Array.from({ length: op }, (_, i) => (n + i) & 0xff);
          n++;
          if (put(producer, payload)) model.push(payload);
          else expect(model.length).toBeGreaterThan(0); // only a ring holding something can be full
        }
        while (model.length > 0) expect(take(consumer)).toEqual(model.shift());
        expect(take(consumer)).toBeUndefined();
      }),
    );
  });

  it('rings the doorbell: a waiting consumer wakes on commit, a waiting producer on release', async () => {
    const producer = SharedRing.create(64);
    const consumer = new SharedRing(producer.buffer);
    const arrived = consumer.dataArrived();
    expect(arrived).toBeInstanceOf(Promise);
    put(producer, Uint8Array.of(1));
    await arrived;
    expect(consumer.dataArrived()).toBeUndefined(); // a record is there: no wait
    const freed = producer.spaceFreed(producer.tail);
    expect(freed).toBeInstanceOf(Promise);
    take(consumer);
    await freed;
  });

  it('close wakes both sides and is seen through every view', async () => {
    const producer = SharedRing.create(64);
    const consumer = new SharedRing(producer.buffer);
    const arrived = consumer.dataArrived();
    const freed = producer.spaceFreed(producer.tail);
    producer.close();
    await Promise.all([arrived, freed]);
    expect(consumer.closed).toBe(true);
  });
});
