import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../src/protocols/errors.js';
import {
  BYE_FRAME,
  MAX_PAYLOAD_BYTES,
  MasepError,
  Value,
  createMasepProtocol,
  encodeMasepFrame,
  encodeMessageText,
  masepBye,
  masepHandshake,
  masepProtocol,
  quitMessage,
  type MasepFrame,
  type Message,
} from '../../../src/protocols/masep/index.js';
import { masepValue, xmlString } from './arbitraries.js';
import { expectCode } from './expect-code.js';
import {
  ACTION_EXAMPLE,
  ENGINE_ID,
  INTERFACE_ID,
  QUIT_EXAMPLE,
  SPEC_EXAMPLES,
  ascii,
} from './spec-examples.js';

const SEED = 0x6d617365;

function frame(payload: Uint8Array): Uint8Array {
  return Uint8Array.from([payload.length & 0xff, payload.length >> 8, ...payload]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

/** A comparable summary of a decoded frame. */
function summary(f: MasepFrame): string {
  switch (f.kind) {
    case 'hello':
      return `hello ${f.ident}`;
    case 'bye':
      return 'bye';
    case 'message':
      return `message ${encodeMessageText(f.message)}`;
    case 'rejected':
      return `rejected ${f.error.code}`;
  }
}

function decodeChunks(chunks: readonly Uint8Array[]): string[] {
  const decoder = masepProtocol.createDecoder();
  const out: string[] = [];
  for (const chunk of chunks) decoder.push(chunk, (f) => out.push(summary(f)));
  return out;
}

const helloFrame = frame(ascii(INTERFACE_ID));
const fullStream = concat([
  helloFrame,
  ...SPEC_EXAMPLES.map((e) => frame(ascii(e.payload))),
  frame(ascii('<not xml')),
  BYE_FRAME,
]);
const fullExpected = [
  `hello ${INTERFACE_ID}`,
  ...SPEC_EXAMPLES.map((e) => `message ${e.payload}`),
  'rejected MALFORMED_MESSAGE',
  'bye',
];

describe('masep frames on the wire', () => {
  it('writes the hello as the ident after a 2-byte LE length (spec §1)', () => {
    const bytes = encodeMasepFrame({ kind: 'hello', ident: INTERFACE_ID });
    expect([...bytes.subarray(0, 2)]).toEqual([0x24, 0x00]);
    expect(Buffer.from(bytes.subarray(2)).toString('latin1')).toBe(INTERFACE_ID);
  });

  it('writes BYE as 03 00 42 59 45', () => {
    expect([...encodeMasepFrame({ kind: 'bye' })]).toEqual([0x03, 0x00, 0x42, 0x59, 0x45]);
  });

  it.each(SPEC_EXAMPLES)('frames $name with the header of the spec', (example) => {
    const message: Message = masepProtocolDecodeOne(ascii(example.payload));
    const bytes = encodeMasepFrame({ kind: 'message', message });
    expect([...bytes.subarray(0, 2)]).toEqual(example.header);
    expect(Buffer.from(bytes.subarray(2)).toString('latin1')).toBe(example.payload);
    expect(encodeMasepFrame({ kind: 'payload', payload: ascii(example.payload) })).toEqual(bytes);
  });

  it('refuses a payload over 65 535 bytes before sending, and sends one of exactly 65 535', () => {
    const sized = (n: number): Message => ({ msgType: 'x', srcSubApp: 'a', params: new Map([['k', Value.str('y'.repeat(n))]]) });
    const overhead = encodeMessageText(sized(1)).length - 1;
    expect(encodeMasepFrame({ kind: 'message', message: sized(MAX_PAYLOAD_BYTES - overhead) }).length).toBe(65_537);
    expectCode(() => encodeMasepFrame({ kind: 'message', message: sized(MAX_PAYLOAD_BYTES - overhead + 1) }), 'FRAME_TOO_LARGE');
    expectCode(() => encodeMasepFrame({ kind: 'payload', payload: new Uint8Array(65_536).fill(0x41) }), 'FRAME_TOO_LARGE');
  });

  it('never sends an empty frame, a BYE disguised as a payload, or a bad ident', () => {
    expectCode(() => encodeMasepFrame({ kind: 'payload', payload: new Uint8Array(0) }), 'EMPTY_FRAME');
    expectCode(() => encodeMasepFrame({ kind: 'payload', payload: ascii('BYE') }), 'MASEP_UNENCODABLE');
    expectCode(() => encodeMasepFrame({ kind: 'hello', ident: '' }), 'MASEP_BAD_IDENT');
  });
});

function masepProtocolDecodeOne(payload: Uint8Array): Message {
  const frames: MasepFrame[] = [];
  const decoder = masepProtocol.createDecoder();
  decoder.push(concat([helloFrame, frame(payload)]), (f) => frames.push(f));
  const last = frames[1];
  if (last?.kind !== 'message') throw new Error(`expected a message, got ${last?.kind}`);
  return last.message;
}

describe('masep decoder', () => {
  it('reads the hello first, then messages, rejected payloads and BYE', () => {
    expect(decodeChunks([fullStream])).toEqual(fullExpected);
  });

  it('reports bad documents as rejected frames and keeps the stream going', () => {
    const bad = [
      '<!DOCTYPE m [<!ENTITY e "x">]><Message msg_type="&e;" src_sub_app="a" />',
      '<Message src_sub_app="a" />',
      '<Message msg_type="quit" />',
      '<Message msg_type="x" src_sub_app="a"><list /></Message>',
      '<Message msg_type="x" src_sub_app="a"><dict>',
    ];
    const stream = concat([helloFrame, ...bad.map((text) => frame(ascii(text))), frame(ascii(QUIT_EXAMPLE.payload))]);
    expect(decodeChunks([stream])).toEqual([
      `hello ${INTERFACE_ID}`,
      'rejected MASEP_XML_DOCTYPE',
      'rejected MASEP_BAD_ENVELOPE',
      'rejected MASEP_BAD_ENVELOPE',
      'rejected MASEP_BAD_PARAMS',
      'rejected MALFORMED_MESSAGE',
      `message ${QUIT_EXAMPLE.payload}`,
    ]);
  });

  it('reads a frame of exactly 65 535 bytes', () => {
    const prefix = '<Message msg_type="x" src_sub_app="a"><dict><item key="k"><str>';
    const suffix = '</str></item></dict></Message>';
    const text = prefix + 'y'.repeat(MAX_PAYLOAD_BYTES - prefix.length - suffix.length) + suffix;
    const stream = concat([helloFrame, Uint8Array.of(0xff, 0xff), ascii(text)]);
    expect(decodeChunks([stream.subarray(0, 1000), stream.subarray(1000)])).toEqual([`hello ${INTERFACE_ID}`, `message ${text}`]);
  });

  it('treats a later frame that holds an ident as a rejected message, not a hello', () => {
    expect(decodeChunks([concat([helloFrame, frame(ascii(ENGINE_ID))])])).toEqual([
      `hello ${INTERFACE_ID}`,
      'rejected MALFORMED_MESSAGE',
    ]);
  });

  it('gives the same frames for every split of the stream in two', () => {
    const stream = concat([helloFrame, frame(ascii(ACTION_EXAMPLE.payload)), frame(ascii(QUIT_EXAMPLE.payload)), BYE_FRAME]);
    const expected = decodeChunks([stream]);
    for (let i = 1; i < stream.length; i++) {
      expect(decodeChunks([stream.subarray(0, i), stream.subarray(i)])).toEqual(expected);
    }
  });

  it('gives the same frames when fed one byte at a time', () => {
    expect(decodeChunks(Array.from(fullStream, (b) => Uint8Array.of(b)))).toEqual(fullExpected);
  });

  it('gives the same frames for any chunking (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: fullStream.length - 1 }), { maxLength: 40 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), fullStream.length];
        const chunks = points.slice(1).map((end, i) => fullStream.subarray(points[i], end));
        expect(decodeChunks(chunks)).toEqual(fullExpected);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('rejects a zero-length frame for good', () => {
    const decoder = masepProtocol.createDecoder();
    decoder.push(helloFrame, () => {});
    expectCode(() => decoder.push(Uint8Array.of(0, 0), () => {}), 'EMPTY_FRAME');
    expectCode(() => decoder.push(BYE_FRAME, () => {}), 'EMPTY_FRAME');
    expectCode(() => masepProtocol.createDecoder().push(Uint8Array.of(0, 0), () => {}), 'EMPTY_FRAME');
  });

  it.each([
    ['invalid UTF-8', Uint8Array.of(0xc3, 0x28)],
    ['BYE', ascii('BYE')],
    ['control characters', ascii('a\x00b')],
    ['an ident over 64 characters', ascii('x'.repeat(65))],
    ['markup as the ident', ascii('<Message msg_type="define" />')],
  ])('fails the handshake on a hello with %s, for good', (_, payload) => {
    const decoder = masepProtocol.createDecoder();
    expectCode(() => decoder.push(frame(payload), () => {}), 'BAD_HANDSHAKE');
    expectCode(() => decoder.push(helloFrame, () => {}), 'BAD_HANDSHAKE');
  });

  it('keeps a frame cut short pending and reports it at end()', () => {
    const decoder = masepProtocol.createDecoder();
    decoder.push(concat([helloFrame, BYE_FRAME.subarray(0, 3)]), () => {});
    expect(decoder.pendingBytes).toBe(3);
    expect(decoder.end()).toBe(3);
  });

  it('throws nothing but ProtocolError on garbage, with or without a hello first (property)', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), (hello, chunks) => {
        const decoder = masepProtocol.createDecoder();
        try {
          if (hello) decoder.push(helloFrame, () => {});
          for (const chunk of chunks) decoder.push(chunk, () => {});
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('throws nothing but ProtocolError on mutated valid streams, and never a non-masep frame (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: fullStream.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        (mutations) => {
          const stream = Uint8Array.from(fullStream);
          for (const [at, byte] of mutations) stream[at] = byte;
          const decoder = masepProtocol.createDecoder();
          try {
            decoder.push(stream, (f) => {
              if (f.kind === 'rejected') expect(f.error).toBeInstanceOf(MasepError);
            });
          } catch (err) {
            expect(err).toBeInstanceOf(ProtocolError);
          }
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe('masep messages through frames (property)', () => {
  it('any message with random typed params comes out of the decoder equal to what went in', () => {
    const params = fc.option(
      fc.uniqueArray(fc.tuple(xmlString, masepValue), { minLength: 1, maxLength: 4, selector: ([k]) => k }).map((e) => new Map(e)),
      { nil: null },
    );
    fc.assert(
      fc.property(xmlString, xmlString, params, (msgType, srcSubApp, p) => {
        const message: Message = { msgType, srcSubApp, params: p };
        const frames: MasepFrame[] = [];
        const decoder = masepProtocol.createDecoder();
        decoder.push(concat([helloFrame, masepProtocol.encode({ kind: 'message', message })]), (f) => frames.push(f));
        expect(frames[1]).toStrictEqual({ kind: 'message', message });
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe('masep Protocol value', () => {
  it('has the client speak first and validates hellos', () => {
    expect(masepHandshake.initiator).toBe('client');
    expect(masepHandshake.createHello(INTERFACE_ID)).toEqual({ kind: 'hello', ident: INTERFACE_ID });
    expectCode(() => masepHandshake.createHello('a\nb'), 'MASEP_BAD_IDENT');
    expect(masepHandshake.acceptHello({ kind: 'hello', ident: ENGINE_ID })).toBe(ENGINE_ID);
    expectCode(() => masepHandshake.acceptHello({ kind: 'bye' }), 'BAD_HANDSHAKE');
  });

  it('recognises BYE and sends the BYE frame', () => {
    expect(masepBye.isBye({ kind: 'bye' })).toBe(true);
    expect(masepBye.isBye({ kind: 'message', message: quitMessage('a') })).toBe(false);
    expect([...masepProtocol.encode(masepBye.message)]).toEqual([...BYE_FRAME]);
  });

  it('gives each connection its own decoder state', () => {
    const protocol = createMasepProtocol();
    const first = protocol.createDecoder();
    const second = protocol.createDecoder();
    const kinds: string[] = [];
    first.push(helloFrame, (f) => kinds.push(f.kind));
    second.push(helloFrame, (f) => kinds.push(f.kind));
    expect(kinds).toEqual(['hello', 'hello']);
  });
});
