import { ProtocolError } from '../../src/protocols/errors.js';
import { LengthPrefixedDecoder, LengthPrefixedEncoder, UINT16_LE } from '../../src/protocols/framing/index.js';
import type { FrameDecoder, FrameSink } from '../../src/protocols/framing/types.js';
import type { HandshakeSpec, Protocol } from '../../src/protocols/protocol.js';

const encoder = new LengthPrefixedEncoder(UINT16_LE);

/** Frames of UTF-8 text with a 2-byte LE length; `BYE` is the farewell, `HELLO:<id>` the hello. */
export function textProtocol(options: { handshake?: 'preamble' | 'hello'; bye?: boolean; maxFrameBytes?: number } = {}): Protocol<string, string> {
  let handshake: HandshakeSpec<string, string> | undefined;
  if (options.handshake === 'preamble') handshake = { kind: 'preamble', sender: 'server', bytes: new Uint8Array(4) };
  if (options.handshake === 'hello') {
    handshake = {
      kind: 'hello',
      initiator: 'client',
      createHello: (id) => `HELLO:${id}`,
      acceptHello: (message) => {
        if (!message.startsWith('HELLO:')) throw new ProtocolError('BAD_HANDSHAKE', `not a hello: ${message}`);
        return message.slice(6);
      },
    };
  }
  return {
    name: 'text',
    createDecoder(): FrameDecoder<string> {
      const frames = new LengthPrefixedDecoder(UINT16_LE, { maxFrameBytes: options.maxFrameBytes ?? 0xffff, emptyFrames: 'reject' });
      return {
        get pendingBytes() {
          return frames.pendingBytes;
        },
        push: (chunk: Uint8Array, sink: FrameSink<string>) => frames.push(chunk, (frame) => sink(Buffer.from(frame).toString('utf8'))),
        end: () => frames.end(),
      };
    },
    encode: (message) => encoder.encode(Buffer.from(message, 'utf8')),
    handshake,
    bye: options.bye ? { message: 'BYE', isBye: (m) => m === 'BYE' } : undefined,
  };
}

/** Encodes one text frame as the test protocol puts it on the wire. */
export function textFrame(message: string): Buffer {
  return Buffer.from(encoder.encode(Buffer.from(message, 'utf8')));
}
