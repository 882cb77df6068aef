import type { ProtocolError } from './errors.js';

/**
 * A frame that arrived whole but whose body the protocol refuses (bad XML, a truncated
 * notification, a body that is not JSON). Its boundaries are intact, so the stream goes on: the
 * connection's owner answers it where the protocol has an answer, logs and drops it where it has
 * not. Only framing errors end a stream, and those are thrown by the decoder instead.
 */
export interface RejectedFrame<E extends ProtocolError = ProtocolError> {
  readonly kind: 'rejected';
  /** Why, with a stable `code`. */
  readonly error: E;
  /** The frame body as received: a view into the received bytes, not to be mutated. */
  readonly body: Uint8Array;
}

/**
 * What a protocol's decoder delivers for one frame: one of its messages, or a
 * {@link RejectedFrame}. Every protocol's `In` type has this shape (docs/ARCHITECTURE.md,
 * "One contract for every decoder").
 */
export type Decoded<T, E extends ProtocolError = ProtocolError> = T | RejectedFrame<E>;

/** The {@link RejectedFrame} for `body`, refused with `error`. */
export function rejectedFrame<E extends ProtocolError>(error: E, body: Uint8Array): RejectedFrame<E> {
  return { kind: 'rejected', error, body };
}
