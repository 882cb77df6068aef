import type { FrameDecoder } from './framing/types.js';

/**
 * Which end of a connection we are: the side that dialled (`client`) or accepted (`server`).
 */
export type Role = 'client' | 'server';

/**
 * Fixed raw bytes one side sends before any frame (RSB: four zero bytes from the server).
 * The receiving side reads exactly `bytes.length` bytes, outside the frame decoder, and fails
 * the handshake with `BAD_HANDSHAKE` unless they match.
 */
export interface PreambleHandshake {
  readonly kind: 'preamble';
  /** The side that sends the preamble. */
  readonly sender: Role;
  readonly bytes: Uint8Array;
}

/**
 * An exchange of hello frames that carry each side's identity (pymasep). The initiator sends its
 * hello at once; the responder waits for it, validates it and answers with its own.
 */
export interface HelloHandshake<In, Out> {
  readonly kind: 'hello';
  /** The side that speaks first. */
  readonly initiator: Role;
  /** The hello message announcing `localId`. */
  createHello(localId: string): Out;
  /**
   * Validates the first message from the peer and returns the peer's identity.
   * Throws a `ProtocolError` with code `BAD_HANDSHAKE` when it is not an acceptable hello.
   */
  acceptHello(message: In): string;
}

/** How a connection starts, when the protocol has a handshake at all. */
export type HandshakeSpec<In, Out> = PreambleHandshake | HelloHandshake<In, Out>;

/** A farewell message sent before an orderly close, and how to recognise the peer's. */
export interface ByeSpec<In, Out> {
  readonly message: Out;
  isBye(message: In): boolean;
}

/**
 * A wire protocol as a value: connections, servers and clients are parametrised by one.
 *
 * - `createDecoder` gives a fresh incremental decoder per connection (it may be stateful, e.g. to
 *   know that the first frame is a hello). It throws only `ProtocolError`, for input after which
 *   the stream cannot be trusted; a frame whose body is refused is delivered as a `RejectedFrame`
 *   (`In` is a `Decoded<T>`, see `decoded.ts`).
 * - `encode` returns one buffer per frame with header and body together. The buffer may be shared
 *   between calls (socket-oneline keeps its short constant answers encoded): treat it as read-only.
 */
export interface Protocol<In, Out> {
  readonly name: string;
  createDecoder(): FrameDecoder<In>;
  encode(message: Out): Uint8Array;
  readonly handshake?: HandshakeSpec<In, Out>;
  readonly bye?: ByeSpec<In, Out>;
}
