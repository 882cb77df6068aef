import type { EventId } from '../../../protocols/rsb/index.js';

/** The verdict of {@link SenderSequence.check} on one event id. */
export type SequenceVerdict =
  /** The next (or first) event of its sender: deliver it. */
  | { readonly kind: 'next' }
  /** Newer than the last one seen, `missing` sequence numbers skipped: deliver it, report the gap. */
  | { readonly kind: 'gap'; readonly missing: number }
  /** Already seen (or older than the last one seen): drop it. */
  | { readonly kind: 'seen' };

const NEXT: SequenceVerdict = Object.freeze({ kind: 'next' });
const SEEN: SequenceVerdict = Object.freeze({ kind: 'seen' });
const HALF_RANGE = 2 ** 31;
const RANGE = 2 ** 32;

/** One sender's state: its id (copied) and the last sequence number seen. */
interface SenderState {
  readonly id: Uint8Array;
  last: number;
}

/**
 * The last sequence number seen per sender. Every RSB sender numbers its events 0, 1, 2, ...
 * (uint32, wrapping), so a receiver can drop a copy it has already delivered (a message that
 * matched two subscriptions while they were being swapped, or came back from a bridge) and
 * notice numbers that were skipped. A gap means lost events, or events on scopes this process
 * does not subscribe to: it is reported, never hidden, and never held back for.
 *
 * Looked up per notification, so without allocating: senders are bucketed by the first four
 * bytes of their id. Bounded: beyond `maxSenders` it starts afresh (a forgotten sender's next
 * event counts as its first).
 */
export class SenderSequence {
  private readonly buckets = new Map<number, SenderState[]>();
  private size = 0;

  constructor(private readonly maxSenders = 65_536) {}

  /** Records `id` and says whether to deliver it. */
  check(id: EventId): SequenceVerdict {
    const sender = id.senderId;
    const hash = (sender[0] | (sender[1] << 8) | (sender[2] << 16) | (sender[3] << 24)) >>> 0;
    let bucket = this.buckets.get(hash);
    const state = bucket?.find((candidate) => sameId(candidate.id, sender));
    if (state === undefined) {
      if (this.size >= this.maxSenders) {
        this.buckets.clear();
        this.size = 0;
        bucket = undefined;
      }
      if (bucket === undefined) this.buckets.set(hash, (bucket = []));
      bucket.push({ id: Uint8Array.from(sender), last: id.sequenceNumber });
      this.size++;
      return NEXT;
    }
    // Serial-number arithmetic: numbers wrap at 2^32.
    const ahead = (id.sequenceNumber - state.last + RANGE) % RANGE;
    if (ahead === 0 || ahead >= HALF_RANGE) return SEEN;
    state.last = id.sequenceNumber;
    return ahead === 1 ? NEXT : { kind: 'gap', missing: ahead - 1 };
  }
}

function sameId(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 4; i < 16; i++) if (a[i] !== b[i]) return false;
  return true;
}
