/**
 * The payload format of the bus on NATS: one NATS message carries one or more notifications of
 * one scope, each as a socket-transport frame (4-byte little-endian length, then the RSB protobuf
 * `Notification`, unchanged). Consecutive publishes to the same subject in one turn of the event
 * loop share a message, which is what makes small events cheap: the client's cost is per message.
 * Order is kept because a batch only ever holds a run of consecutive publishes.
 */

import { ActorwireError } from '../../../errors.js';
import { ProtocolError } from '../../errors.js';
import { forEachLengthPrefixed, UINT32_LE } from '../../framing/index.js';

/** Bytes of the length prefix in front of each notification (the socket transport's uint32 LE). */
export const NATS_FRAME_PREFIX_BYTES = UINT32_LE.size;

/** Default upper bound of one batched message (a single larger notification goes alone). */
export const NATS_MESSAGE_BATCH_BYTES = 64 * 1024;

/** A sealed NATS message: its subject, its bytes and how many notifications it holds. */
export interface NatsMessage {
  readonly subject: string;
  readonly payload: Uint8Array;
  readonly count: number;
}

/**
 * Collects the notifications of consecutive publishes to one subject, written straight into a
 * shared buffer, and seals them into one message when the subject changes, when the next one would
 * pass the size bound, or when the owner flushes at the end of the turn. Sealed messages are views
 * of that buffer (which only ever fills forwards, so they stay intact); a full buffer is replaced.
 */
export class NatsMessageBatch {
  private subject: string | undefined;
  private target: Uint8Array;
  /** Start and end of the open batch in {@link target}. */
  private start = 0;
  private used = 0;
  private count = 0;

  constructor(
    private readonly maxBytes: number,
    /** Receives every sealed message, in order. */
    private readonly sealed: (message: NatsMessage) => void,
  ) {
    this.target = new Uint8Array(maxBytes);
  }

  /** Where {@link reserve}d bytes are to be written. */
  get buffer(): Uint8Array {
    return this.target;
  }

  /**
   * Makes room for one more notification of `frameBytes` bytes (prefix included) on `subject` and
   * returns its offset in {@link buffer}; the caller writes the frame there at once.
   */
  reserve(subject: string, frameBytes: number): number {
    if (this.count > 0 && (subject !== this.subject || this.used - this.start + frameBytes > this.maxBytes || this.used + frameBytes > this.target.length)) this.seal();
    if (this.used + frameBytes > this.target.length) {
      this.target = new Uint8Array(Math.max(this.maxBytes, frameBytes));
      this.start = 0;
      this.used = 0;
    }
    this.subject = subject;
    const at = this.used;
    this.used += frameBytes;
    this.count++;
    return at;
  }

  /** Adds one encoded notification (no length prefix) published on `subject`. */
  add(subject: string, body: Uint8Array): void {
    const at = this.reserve(subject, NATS_FRAME_PREFIX_BYTES + body.length);
    UINT32_LE.write(body.length, this.target, at);
    this.target.set(body, at + NATS_FRAME_PREFIX_BYTES);
  }

  /**
   * Adds one notification already framed as on the socket transport (4-byte little-endian length,
   * then the body), copied as it is.
   */
  addFrame(subject: string, frame: Uint8Array): void {
    const at = this.reserve(subject, frame.length); // may replace the buffer: read it after
    this.target.set(frame, at);
  }

  /** Seals what has been collected (nothing when empty). */
  seal(): void {
    if (this.count === 0) return;
    const message: NatsMessage = { subject: this.subject!, payload: this.target.subarray(this.start, this.used), count: this.count };
    this.start = this.used;
    this.count = 0;
    this.sealed(message);
  }
}

/** Why a NATS message could not be split into notifications. */
export class NatsMessageFormatError extends ActorwireError {
  declare readonly code: 'RSB_NATS_BAD_MESSAGE';

  constructor(message: string, options?: ErrorOptions) {
    super('RSB_NATS_BAD_MESSAGE', message, options);
  }
}

/**
 * Calls `each` with the body of every notification in `payload`, in order (views, not copies),
 * and returns how many there were. Throws {@link NatsMessageFormatError} at the first frame whose
 * length is zero or runs past the end; the notifications before it have been handed out.
 */
export function forEachNotificationBody(payload: Uint8Array, each: (body: Uint8Array) => void): number {
  let count: number;
  try {
    count = forEachLengthPrefixed(payload, UINT32_LE, each);
  } catch (err) {
    if (err instanceof ProtocolError) throw new NatsMessageFormatError(`not a run of length-prefixed notifications: ${err.message}`, { cause: err });
    throw err;
  }
  if (count === 0) throw new NatsMessageFormatError('empty message');
  return count;
}
