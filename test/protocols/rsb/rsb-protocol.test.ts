import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../src/protocols/errors.js';
import {
  DEFAULT_MAX_FRAME_BYTES,
  EncodedNotification,
  EventId,
  RSB_HANDSHAKE,
  RsbError,
  Scope,
  assertRsbHandshake,
  createRsbProtocol,
  encodeNotification,
  rsbProtocol,
  type Notification,
  type RsbIncoming,
} from '../../../src/protocols/rsb/index.js';
import { concat, hex, notification as anyNotification } from './fixtures.js';

const SENDER = hex('bf948d47 618f 4b04 aac5 0ab5a1a79267');

function event(seq: number, scope = '/demo/'): Notification {
  return {
    eventId: new EventId(SENDER, seq),
    scope: Scope.parse(scope),
    wireSchema: 'utf-8-string',
    data: Buffer.from(`event ${seq}`),
    causes: [],
    metaData: { createTime: 1_700_000_000_000_000 + seq, sendTime: 1_700_000_000_000_100 + seq, userTimes: [], userInfos: [] },
  };
}

function decodeAll(chunks: Uint8Array[], protocol = rsbProtocol): RsbIncoming[] {
  const decoder = protocol.createDecoder();
  const out: RsbIncoming[] = [];
  for (const chunk of chunks) decoder.push(chunk, (frame) => out.push(frame));
  return out;
}

function pushError(chunks: Uint8Array[], protocol = rsbProtocol): unknown {
  try {
    decodeAll(chunks, protocol);
  } catch (err) {
    return err;
  }
  throw new Error('the decoder accepted the stream');
}

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(from, point));
    from = point;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

describe('RSB handshake', () => {
  it('is four zero bytes sent by the server', () => {
    expect(rsbProtocol.handshake).toBe(RSB_HANDSHAKE);
    expect(RSB_HANDSHAKE.kind).toBe('preamble');
    expect(RSB_HANDSHAKE.sender).toBe('server');
    expect(Buffer.from(RSB_HANDSHAKE.bytes).toString('hex')).toBe('00000000');
    expect(rsbProtocol.bye).toBeUndefined();
  });

  it('accepts 00 00 00 00 and rejects anything else with BAD_HANDSHAKE', () => {
    expect(() => assertRsbHandshake(hex('00000000'))).not.toThrow();
    for (const wrong of [hex('00000001'), hex('ff000000'), hex('000000'), hex('0000000000'), new Uint8Array(0)]) {
      expect(() => assertRsbHandshake(wrong)).toThrow(expect.objectContaining({ code: 'BAD_HANDSHAKE' }));
    }
  });
});

describe('RSB framing', () => {
  it('encodes a notification as uint32 LE length plus body in one buffer', () => {
    const frame = rsbProtocol.encode(event(1));
    const body = encodeNotification(event(1));
    expect(frame.length).toBe(body.length + 4);
    expect(Buffer.from(frame).readUInt32LE(0)).toBe(body.length);
    expect(Buffer.from(frame.subarray(4))).toEqual(Buffer.from(body));
  });

  it('frames an already encoded body verbatim (forwarding)', () => {
    const body = encodeNotification(event(2));
    const frame = rsbProtocol.encode(new EncodedNotification(body));
    expect(Buffer.from(frame)).toEqual(Buffer.concat([hex(body.length.toString(16).padStart(2, '0') + '000000'), body]));
    expect(() => rsbProtocol.encode(new EncodedNotification(new Uint8Array(0)))).toThrow(
      expect.objectContaining({ code: 'EMPTY_FRAME' }),
    );
  });

  it('decodes frames into notifications and keeps the body for forwarding', () => {
    const frames = decodeAll([rsbProtocol.encode(event(3))]);
    expect(frames).toHaveLength(1);
    const frame = frames[0];
    expect(frame.kind).toBe('notification');
    if (frame.kind !== 'notification') return;
    expect(frame.notification.eventId.sequenceNumber).toBe(3);
    expect(Buffer.from(frame.body)).toEqual(Buffer.from(encodeNotification(event(3))));
  });

  it('rejects a 4 GiB length prefix before allocating, and stays failed', () => {
    const decoder = rsbProtocol.createDecoder();
    const push = () => decoder.push(hex('ffffffff'), () => undefined);
    expect(push).toThrow(expect.objectContaining({ code: 'FRAME_TOO_LARGE' }));
    expect(push).toThrow(ProtocolError);
    expect(() => decoder.push(rsbProtocol.encode(event(0)), () => undefined)).toThrow(
      expect.objectContaining({ code: 'FRAME_TOO_LARGE' }),
    );
  });

  it('honours maxFrameBytes exactly', () => {
    const body = encodeNotification(event(4));
    const frame = rsbProtocol.encode(event(4));
    expect(decodeAll([frame], createRsbProtocol({ maxFrameBytes: body.length }))).toHaveLength(1);
    const err = pushError([frame], createRsbProtocol({ maxFrameBytes: body.length - 1 }));
    expect(err).toMatchObject({ code: 'FRAME_TOO_LARGE' });
    expect(DEFAULT_MAX_FRAME_BYTES).toBe(64 * 1024 * 1024);
    expect(() => createRsbProtocol({ maxFrameBytes: 0 })).toThrow(RangeError);
    expect(() => createRsbProtocol({ maxFrameBytes: 2 ** 32 })).toThrow(RangeError);
  });

  it('treats a zero-length frame as fatal (EMPTY_FRAME), even after good frames', () => {
    const good = rsbProtocol.encode(event(5));
    const decoder = rsbProtocol.createDecoder();
    const seen: RsbIncoming[] = [];
    expect(() => decoder.push(concat(good, hex('00000000'), good), (f) => seen.push(f))).toThrow(
      expect.objectContaining({ code: 'EMPTY_FRAME' }),
    );
    expect(seen).toHaveLength(1);
  });

  it('delivers a bad notification as a value and goes on with the next frame', () => {
    const truncated = encodeNotification(event(6)).subarray(0, 20);
    const badFrame = concat(hex('14000000'), truncated);
    const frames = decodeAll([concat(rsbProtocol.encode(event(5)), badFrame, rsbProtocol.encode(event(7)))]);
    expect(frames.map((f) => f.kind)).toEqual(['notification', 'rejected', 'notification']);
    const bad = frames[1];
    if (bad.kind !== 'rejected') return;
    expect(bad.error).toBeInstanceOf(RsbError);
    expect(bad.error.code).toBe('RSB_TRUNCATED');
    expect(Buffer.from(bad.body)).toEqual(Buffer.from(truncated));
  });

  it('with badNotifications: fail, ends the stream at the first bad notification', () => {
    const protocol = createRsbProtocol({ badNotifications: 'fail' });
    const noScope = concat(hex('e2 06 14 0a 10'), SENDER, hex('10 00'));
    const decoder = protocol.createDecoder();
    const seen: RsbIncoming[] = [];
    const stream = concat(protocol.encode(event(1)), hex('17000000'), noScope, protocol.encode(event(2)));
    expect(() => decoder.push(stream, (f) => seen.push(f))).toThrow(expect.objectContaining({ code: 'RSB_MISSING_SCOPE' }));
    expect(seen).toHaveLength(1);
    expect(() => decoder.push(protocol.encode(event(3)), (f) => seen.push(f))).toThrow(
      expect.objectContaining({ code: 'RSB_MISSING_SCOPE' }),
    );
  });

  it('reports a frame cut off by the end of the stream', () => {
    const frame = rsbProtocol.encode(event(8));
    const decoder = rsbProtocol.createDecoder();
    decoder.push(frame.subarray(0, 10), () => undefined);
    expect(decoder.pendingBytes).toBe(10);
    expect(decoder.end()).toBe(10);
  });

  it('gives the same frames for any chunking of a stream (property)', () => {
    const stream = fc.array(anyNotification, { minLength: 1, maxLength: 6 }).map((ns) => ({
      notifications: ns,
      bytes: concat(...ns.map((n) => rsbProtocol.encode(n))),
    }));
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 12 }), ({ notifications, bytes }, cuts) => {
        const frames = decodeAll(splitAt(bytes, cuts));
        expect(frames.map((f) => (f.kind === 'notification' ? f.notification : f.error))).toEqual(notifications);
      }),
      { seed: 0x2b5, numRuns: 200 },
    );
  });

  it('keeps every valid notification, in order, when bad frames are mixed in, whatever the chunking (property)', () => {
    const frame = fc.oneof(
      anyNotification.map((n) => ({ valid: n as Notification | undefined, bytes: rsbProtocol.encode(n) })),
      fc.uint8Array({ minLength: 1, maxLength: 60 }).map((b) => ({
        valid: undefined as Notification | undefined,
        bytes: concat(Uint8Array.of(b.length, 0, 0, 0), b),
      })),
    );
    fc.assert(
      fc.property(fc.array(frame, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (frames, cuts) => {
        const decoded = decodeAll(splitAt(concat(...frames.map((f) => f.bytes)), cuts));
        expect(decoded).toHaveLength(frames.length);
        frames.forEach((f, i) => {
          const got = decoded[i];
          expect(Buffer.from(got.body)).toEqual(Buffer.from(f.bytes.subarray(4)));
          if (f.valid !== undefined) expect(got.kind === 'notification' && got.notification).toEqual(f.valid);
          if (got.kind === 'rejected') expect(got.error).toBeInstanceOf(RsbError);
        });
      }),
      { seed: 0x2b7, numRuns: 300 },
    );
  });

  it('byte-at-a-time feeding gives the same frames', () => {
    const notifications = [event(1, '/a/b/'), event(2, '/'), event(3, '/x/')];
    const bytes = concat(...notifications.map((n) => rsbProtocol.encode(n)));
    const chunks = Array.from(bytes, (b) => Uint8Array.of(b));
    const frames = decodeAll(chunks);
    expect(frames.map((f) => (f.kind === 'notification' ? f.notification.scope.text : ''))).toEqual(['/a/b/', '/', '/x/']);
  });

  it('throws nothing but ProtocolError on garbage streams, whatever the chunking (property)', () => {
    const protocol = createRsbProtocol({ maxFrameBytes: 4096 });
    const garbage = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      // Plausible length prefixes followed by random bodies, so the body decoder gets exercised.
      fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 }).map((bodies) =>
        concat(...bodies.map((b) => concat(Uint8Array.of(b.length, 0, 0, 0), b))),
      ),
    );
    fc.assert(
      fc.property(garbage, fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
        const decoder = protocol.createDecoder();
        try {
          for (const chunk of splitAt(bytes, cuts)) {
            decoder.push(chunk, (frame) => {
              if (frame.kind === 'rejected') expect(frame.error).toBeInstanceOf(ProtocolError);
            });
          }
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError);
        }
      }),
      { seed: 0x2b6, numRuns: 1000 },
    );
  });
});
