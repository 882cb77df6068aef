import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SharedRing } from '../../src/actors/threads/shared-ring.js';
import type { RecordCodec } from '../../src/actors/threads/thread-channel.js';
import type { EngineCommand, EngineOutcome } from '../../src/obe/engine-commands.js';
import type { EngineWorkerMessage, EngineWorkerRequest } from '../../src/obe/engine-worker-protocol.js';
import { messageCodec, requestCodec } from '../../src/obe/engine-wire.js';

/** Writes `value` into a ring and reads it back, as the other thread would. */
function roundTrip<T>(codec: RecordCodec<T>, value: T): T {
  const ring = SharedRing.create(1 << 16);
  const size = codec.sizeOf(value)!;
  const at = ring.reserve(size);
  codec.write(value, ring, at);
  ring.commit();
  const from = new SharedRing(ring.buffer);
  const start = from.next();
  expect(from.recordLength).toBe(size);
  const out = codec.read(from, start, from.recordLength);
  // Whatever was read must not depend on the ring's bytes any more.
  from.bytes.fill(0xee);
  return out;
}

const anyNumber = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(Number.NaN, -0, Infinity, -Infinity, 2 ** 53 + 2));
const numberOrList = fc.oneof(anyNumber, fc.array(anyNumber, { maxLength: 8 }));

const command: fc.Arbitrary<EngineCommand> = fc.oneof(
  fc.constantFrom<EngineCommand>({ op: 'getmean' }, { op: 'getstd' }, { op: 'getcov' }, { op: 'getset' }, { op: 'getpar' }, { op: 'getcon' }, { op: 'getwgt' }, { op: 'optset' }, { op: 'getpdf' }, { op: 'getpdfw' }, { op: 'endrun' }, { op: 'newrun' }, { op: 'goodset' }),
  anyNumber.map((pickiness): EngineCommand => ({ op: 'goodset', pickiness })),
  fc.record({ x: numberOrList, y: numberOrList, s: numberOrList }).map((f): EngineCommand => ({ op: 'newdat', ...f })),
  fc.record({ lolim: anyNumber, hilim: anyNumber, steps: fc.integer({ min: 1 }) }).map((grid): EngineCommand => ({ op: 'newrun', grid: { ...grid } })),
);

const outcome: fc.Arbitrary<EngineOutcome> = fc.oneof(
  fc.uint8Array({ maxLength: 200 }).map((bytes): EngineOutcome => ({ ok: true, body: Buffer.from(bytes) })),
  fc.record({ code: fc.string(), message: fc.string({ unit: 'binary' }) }).map((e): EngineOutcome => ({ ok: false, ...e })),
);

/** Outcomes compared by content (a body comes back as a Buffer). */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? { bytes: Array.from(v) } : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));
}

describe('engine wire records', () => {
  it('carry every command exactly, NaN, -0 and large ints included (property)', () => {
    fc.assert(
      fc.property(command, fc.integer({ min: 1 }), (c, id) => {
        const request: EngineWorkerRequest = { id, command: c };
        expect(roundTrip(requestCodec, request)).toStrictEqual(request);
      }),
    );
  });

  it('send startrun (a whole run spec) and a failed start through the port', () => {
    expect(requestCodec.sizeOf({ id: 1, command: { op: 'startrun', spec: {} as never } })).toBeUndefined();
    expect(messageCodec.sizeOf({ type: 'init-failed', code: 'X', message: 'no' })).toBeUndefined();
  });

  it('carry outcomes, snapshots and the ready message (property)', () => {
    const update = fc.record({ state: fc.record({ getmean: outcome, getstd: outcome }), run: fc.option(fc.record({ getcon: outcome, getset: outcome }, { requiredKeys: [] }), { nil: undefined }) });
    const message: fc.Arbitrary<EngineWorkerMessage> = fc.oneof(
      fc.record({ id: fc.integer({ min: 1 }), outcome }).map((m): EngineWorkerMessage => ({ type: 'outcome', ...m })),
      fc.record({ after: fc.double({ noNaN: true }), snapshot: update }).map((m): EngineWorkerMessage => ({ type: 'snapshot', ...m })),
      update.map((snapshot): EngineWorkerMessage => ({ type: 'ready', snapshot })),
    );
    fc.assert(
      fc.property(message, (m) => {
        const withoutEmptyRun = JSON.parse(JSON.stringify(plain(m))) as unknown;
        expect(plain(roundTrip(messageCodec, m))).toStrictEqual(withoutEmptyRun);
      }),
    );
  });

  it('copy a body out of the ring as a Buffer of the same bytes', () => {
    const body = Buffer.from('[2.5, 0.05]', 'latin1');
    const back = roundTrip(messageCodec, { type: 'outcome', id: 7, outcome: { ok: true, body } });
    expect(back).toEqual({ type: 'outcome', id: 7, outcome: { ok: true, body } });
  });
});
