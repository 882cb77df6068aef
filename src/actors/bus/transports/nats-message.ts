/**
 * The payload format of the bus on NATS: one NATS message carries one or more notifications of
 * one scope, each as a socket-transport frame (4-byte little-endian length, then the RSB protobuf
 * `Notification`, unchanged). Consecutive publishes to the same subject in one turn of the event
 * loop share a message, which is what makes small events cheap: the client's cost is per message.
 * Order is kept because a batch only ever holds a run of consecutive publishes.
 */

/** Bytes of the length prefix in front of each notification. */
export const NATS_FRAME_PREFIX_BYTES = 4;

/** Default upper bound of one batched message (a single larger notification goes alone). */
export const NATS_MESSAGE_BATCH_BYTES = 64 * 1024;

/** A sealed NATS message: its subject, its bytes and how many notifications it holds. */
export interface NatsMessage {
  readonly subject: string;
  readonly payload: Uint8Array;
  readonly count: number;
}

/**
 * Collects the notification bodies of consecutive publishes to one subject and seals them into
 * one message when the subject changes, when the next body would pass the size bound, or when
 * the owner flushes at the end of the turn.
 */
export class NatsMessageBatch {
  private subject: string | undefined;
  /** Notifications collected: each a frame (prefix included) or a bare body, as flagged. */
  private readonly parts: Uint8Array[] = [];
  private readonly framed: boolean[] = [];
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    /** Receives every sealed message, in order. */
    private readonly sealed: (message: NatsMessage) => void,
  ) {}

  /** Adds one encoded notification (no length prefix) published on `subject`. */
  add(subject: string, body: Uint8Array): void {
    this.push(subject, body, false, NATS_FRAME_PREFIX_BYTES + body.length);
  }

  /**
   * Adds one notification already framed as on the socket transport (4-byte little-endian length,
   * then the body): what the bus encodes for every publish, copied as it is.
   */
  addFrame(subject: string, frame: Uint8Array): void {
    this.push(subject, frame, true, frame.length);
  }

  private push(subject: string, part: Uint8Array, framed: boolean, size: number): void {
    if (this.parts.length > 0 && (subject !== this.subject || this.bytes + size > this.maxBytes)) this.seal();
    this.subject = subject;
    this.parts.push(part);
    this.framed.push(framed);
    this.bytes += size;
  }

  /** Seals what has been collected (nothing when empty). */
  seal(): void {
    const count = this.parts.length;
    if (count === 0) return;
    const payload = new Uint8Array(this.bytes);
    let at = 0;
    for (let i = 0; i < count; i++) {
      const part = this.parts[i];
      if (!this.framed[i]) {
        const length = part.length;
        payload[at] = length & 0xff;
        payload[at + 1] = (length >>> 8) & 0xff;
        payload[at + 2] = (length >>> 16) & 0xff;
        payload[at + 3] = length >>> 24;
        at += NATS_FRAME_PREFIX_BYTES;
      }
      payload.set(part, at);
      at += part.length;
    }
    const subject = this.subject!;
    this.parts.length = 0;
    this.framed.length = 0;
    this.bytes = 0;
    this.sealed({ subject, payload, count });
  }
}

/** Why a NATS message could not be split into notifications. */
export class NatsMessageFormatError extends Error {
  readonly code = 'RSB_NATS_BAD_MESSAGE' as const;
  constructor(message: string) {
    super(message);
    this.name = 'NatsMessageFormatError';
  }
}

/**
 * Calls `each` with the body of every notification in `payload`, in order (views, not copies),
 * and returns how many there were. Throws {@link NatsMessageFormatError} at the first frame whose
 * length is zero or runs past the end; the notifications before it have been handed out.
 */
export function forEachNotificationBody(payload: Uint8Array, each: (body: Uint8Array) => void): number {
  const end = payload.length;
  let at = 0;
  let count = 0;
  while (at < end) {
    if (end - at < NATS_FRAME_PREFIX_BYTES) throw new NatsMessageFormatError(`${end - at} trailing bytes after ${count} notifications`);
    const length = (payload[at] | (payload[at + 1] << 8) | (payload[at + 2] << 16)) + payload[at + 3] * 0x1000000;
    const start = at + NATS_FRAME_PREFIX_BYTES;
    if (length === 0) throw new NatsMessageFormatError(`empty frame after ${count} notifications`);
    if (length > end - start) throw new NatsMessageFormatError(`frame of ${length} bytes with ${end - start} left after ${count} notifications`);
    at = start + length;
    count++;
    each(payload.subarray(start, at));
  }
  if (count === 0) throw new NatsMessageFormatError('empty message');
  return count;
}
