import { ProtocolError } from '../../protocols/errors.js';
import type { Protocol, Role } from '../../protocols/protocol.js';
import { HandshakeError } from '../errors.js';

/**
 * One side's part in a protocol's handshake, derived once per protocol and role from the
 * protocol's handshake data (docs/ARCHITECTURE.md, "Handshakes are data"). The machine walks it
 * with three facts (`speaksFirst`, `awaitsPeer`, `answers`); the connection carries out the
 * steps with the rest.
 */
export interface HandshakePlan<In> {
  /** We send {@link greeting} before anything else. */
  readonly speaksFirst: boolean;
  /** We wait for the peer's greeting and validate it. */
  readonly awaitsPeer: boolean;
  /** Once the peer's greeting is valid, we answer with {@link greeting}. */
  readonly answers: boolean;
  /** The bytes of our greeting (preamble bytes or an encoded hello frame). */
  greeting(): Uint8Array;
  /**
   * Raw bytes the peer's greeting must be, read outside the frame decoder (a preamble); undefined
   * when the peer's greeting is a frame.
   */
  readonly expectedBytes: Uint8Array | undefined;
  /** Validates the peer's greeting frame and returns the peer's identity. Throws a `ProtocolError`. */
  acceptFrame(message: In): string;
}

const NO_HANDSHAKE: HandshakePlan<never> = Object.freeze({
  speaksFirst: false,
  awaitsPeer: false,
  answers: false,
  expectedBytes: undefined,
  greeting: () => new Uint8Array(0),
  acceptFrame: () => '',
});

/** The plan of `role` in `protocol`'s handshake; `localId` is announced in hellos. */
export function handshakePlan<In, Out>(protocol: Protocol<In, Out>, role: Role, localId: string | undefined): HandshakePlan<In> {
  const handshake = protocol.handshake;
  if (!handshake) return NO_HANDSHAKE;
  if (handshake.kind === 'preamble') {
    const sends = handshake.sender === role;
    const bytes = handshake.bytes;
    return {
      speaksFirst: sends,
      awaitsPeer: !sends,
      answers: false,
      expectedBytes: sends ? undefined : bytes,
      greeting: () => bytes,
      acceptFrame: () => {
        throw new ProtocolError('BAD_HANDSHAKE', 'a preamble is not a frame');
      },
    };
  }
  const initiates = handshake.initiator === role;
  let hello: Uint8Array | undefined;
  return {
    speaksFirst: initiates,
    awaitsPeer: true,
    answers: !initiates,
    expectedBytes: undefined,
    greeting: () => {
      if (localId === undefined) throw new HandshakeError('HANDSHAKE_FAILED', `${protocol.name} needs a localId for its hello`);
      // Encoded once per plan: every connection of a server announces the same identity.
      hello ??= protocol.encode(handshake.createHello(localId));
      return hello;
    },
    acceptFrame: (message) => handshake.acceptHello(message),
  };
}

/**
 * Matches a peer's raw greeting as it arrives in chunks of any size.
 */
export class PreambleMatcher {
  private matched = 0;

  constructor(private readonly expected: Uint8Array) {}

  /**
   * Consumes the part of `chunk` that belongs to the greeting. Returns the number of bytes taken
   * (the greeting is complete when {@link complete} is true), or throws `BAD_HANDSHAKE` at the
   * first byte that differs.
   */
  consume(chunk: Uint8Array): number {
    const expected = this.expected;
    const take = Math.min(expected.length - this.matched, chunk.length);
    for (let i = 0; i < take; i++) {
      if (chunk[i] !== expected[this.matched + i]) {
        throw new ProtocolError(
          'BAD_HANDSHAKE',
          `unexpected handshake byte 0x${chunk[i].toString(16).padStart(2, '0')} at offset ${this.matched + i}`,
        );
      }
    }
    this.matched += take;
    return take;
  }

  /** All the greeting's bytes have arrived. */
  get complete(): boolean {
    return this.matched === this.expected.length;
  }
}
