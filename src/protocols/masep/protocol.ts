import { LengthPrefixedDecoder, LengthPrefixedEncoder, UINT16_LE } from '../framing/index.js';
import { LengthPrefixedMessageDecoder } from '../framing/length-prefixed-message-decoder.js';
import { rejectedFrame, type Decoded } from '../decoded.js';
import type { ByeSpec, HelloHandshake, Protocol } from '../protocol.js';
import type { MasepDecodeCache } from './decode-cache.js';
import { MasepError } from './errors.js';
import { BYE_FRAME, MAX_PAYLOAD_BYTES, isByePayload } from './frames.js';
import { validateIdent } from './ident.js';
import type { Message } from './message.js';
import { decodeMessage, encodeMessageText, type DecodeMessageOptions } from './message-codec.js';
import { defaultObjectRegistry } from './object-registry.js';
import type { DecodeContext, ObjectRegistry } from './value-codec.js';

/**
 * What a masep connection receives, frame by frame. The first frame is always the peer's
 * `hello`; later frames are `bye`, a `message`, or a payload `rejected` as a message.
 *
 * A rejected payload is per message: the frame boundaries are intact, so the stream goes on and
 * the application decides (the engine ignores it, as pymasep drops unknown types). Its `error` is
 * a {@link MasepError}: `MALFORMED_MESSAGE`, `MASEP_XML_DOCTYPE`, `MASEP_BAD_ENVELOPE`,
 * `MASEP_BAD_PARAMS`, `MASEP_BAD_VALUE`, `MASEP_BAD_OBJECT` or `MASEP_UNKNOWN_NAME`.
 */
export type MasepFrame = Decoded<
  | { readonly kind: 'hello'; readonly ident: string }
  | { readonly kind: 'bye' }
  | { readonly kind: 'message'; readonly message: Message },
  MasepError
>;

/**
 * What a masep connection sends. `payload` is an already encoded message (e.g. one observation
 * encoded once with `encodeMessage` and sent to several observers); it must not be empty or `BYE`.
 */
export type MasepOutgoing =
  | { readonly kind: 'hello'; readonly ident: string }
  | { readonly kind: 'bye' }
  | { readonly kind: 'message'; readonly message: Message }
  | { readonly kind: 'payload'; readonly payload: Uint8Array };

/** Options of {@link createMasepProtocol}. */
export interface MasepProtocolOptions {
  /** Object classes allowed in received params; default pymasep's own (`defaultObjectRegistry`). */
  readonly objects?: ObjectRegistry;
  /**
   * Decode received messages lazily (`decodeMessage`'s `lazy`): what an agent's policy never
   * reads of an observation is never decoded. Default false.
   */
  readonly lazy?: boolean;
  /**
   * Remembers recent decoding results (see `MasepDecodeCache`); share one between the
   * connections of a process whose peers send them the same bytes. The cache must be used with
   * one object registry only. Default none.
   */
  readonly cache?: MasepDecodeCache;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const FRAME_ENCODER = new LengthPrefixedEncoder(UINT16_LE);

function badHello(detail: string, cause?: unknown): MasepError {
  return new MasepError('BAD_HANDSHAKE', `invalid masep hello: ${detail}`, { cause });
}

/** Reads a hello payload; a bad one is fatal (`BAD_HANDSHAKE`, caused by `MASEP_BAD_IDENT`). */
function readHello(payload: Uint8Array): string {
  let ident: string;
  try {
    ident = UTF8.decode(payload);
  } catch (err) {
    throw badHello('ident is not UTF-8', err);
  }
  try {
    return validateIdent(ident);
  } catch (err) {
    throw badHello((err as Error).message, err);
  }
}

/**
 * The stateful per-connection decoder of masep: 2-byte LE frames up to 65 535 bytes, first the
 * hello, then bye or messages. Throws (and is then poisoned) only for what breaks the stream:
 * `EMPTY_FRAME` (zero-length frame), `BAD_HANDSHAKE` (bad hello). An oversized frame cannot be
 * announced by a 2-byte header. Bad XML is a rejected frame, not a throw.
 */
export class MasepFrameDecoder extends LengthPrefixedMessageDecoder<MasepFrame> {
  private readonly context: DecodeContext;
  private readonly decodeOptions: DecodeMessageOptions;
  private helloSeen = false;

  constructor(options: MasepProtocolOptions = {}) {
    super(new LengthPrefixedDecoder(UINT16_LE, { maxFrameBytes: MAX_PAYLOAD_BYTES, emptyFrames: 'reject' }));
    this.context = { objects: options.objects ?? defaultObjectRegistry };
    this.decodeOptions = { lazy: options.lazy ?? false, cache: options.cache };
  }

  /** A bad hello throws, which poisons the decoder; bad XML is a rejected frame. */
  protected decodeFrame(payload: Uint8Array): MasepFrame {
    if (!this.helloSeen) {
      const ident = readHello(payload);
      this.helloSeen = true;
      return { kind: 'hello', ident };
    }
    if (isByePayload(payload)) return { kind: 'bye' };
    try {
      return { kind: 'message', message: decodeMessage(payload, this.context, this.decodeOptions) };
    } catch (err) {
      if (err instanceof MasepError) return rejectedFrame(err, payload);
      throw err;
    }
  }
}

function frameText(text: string): Uint8Array {
  // Message text is pure ASCII: one byte per character, written straight after the header.
  const out = Buffer.allocUnsafe(FRAME_ENCODER.frameLength(text.length));
  UINT16_LE.write(text.length, out, 0);
  out.write(text, UINT16_LE.size, 'latin1');
  return out;
}

/**
 * One masep frame (header and payload in one buffer). Throws `FRAME_TOO_LARGE` above 65 535
 * payload bytes, before anything is sent; `MASEP_BAD_IDENT` for a bad hello ident;
 * `EMPTY_FRAME` or `MASEP_UNENCODABLE` for a raw payload that is empty or `BYE`.
 */
export function encodeMasepFrame(frame: MasepOutgoing): Uint8Array {
  switch (frame.kind) {
    case 'hello':
      return FRAME_ENCODER.encode(Buffer.from(validateIdent(frame.ident), 'utf8'));
    case 'bye':
      return BYE_FRAME.slice();
    case 'message':
      return frameText(encodeMessageText(frame.message));
    case 'payload':
      if (frame.payload.length === 0) throw new MasepError('EMPTY_FRAME', 'masep never sends an empty frame');
      if (isByePayload(frame.payload)) throw new MasepError('MASEP_UNENCODABLE', 'a message payload cannot be BYE');
      return FRAME_ENCODER.encode(frame.payload);
  }
}

/** The masep hello exchange: the client (interface) speaks first, the server (engine) answers. */
export const masepHandshake: HelloHandshake<MasepFrame, MasepOutgoing> = {
  kind: 'hello',
  initiator: 'client',
  createHello: (localId) => ({ kind: 'hello', ident: validateIdent(localId) }),
  acceptHello(frame) {
    if (frame.kind !== 'hello') throw badHello(`expected a hello, got a ${frame.kind} frame`);
    return frame.ident;
  },
};

/** The masep farewell: the `BYE` frame, both ways. */
export const masepBye: ByeSpec<MasepFrame, MasepOutgoing> = {
  message: { kind: 'bye' },
  isBye: (frame) => frame.kind === 'bye',
};

/**
 * The masep protocol value for connections, with a decoder that builds objects from `objects`.
 *
 * @example
 * ```ts
 * const protocol = createMasepProtocol({ objects: createObjectRegistry().register('mygame.Piece', objectDecoders.object) });
 * ```
 */
export function createMasepProtocol(options: MasepProtocolOptions = {}): Protocol<MasepFrame, MasepOutgoing> {
  return {
    name: 'masep',
    createDecoder: () => new MasepFrameDecoder(options),
    encode: encodeMasepFrame,
    handshake: masepHandshake,
    bye: masepBye,
  };
}

/** The masep protocol with pymasep's own object classes. */
export const masepProtocol: Protocol<MasepFrame, MasepOutgoing> = createMasepProtocol();
