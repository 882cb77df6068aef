import { RsbError } from './errors.js';
import { uuidToBytes, uuidToString, uuidV5 } from './uuid.js';

const MAX_SEQUENCE_NUMBER = 0xffffffff;

/**
 * The identity of an RSB event: the sending informer's participant UUID plus that informer's
 * 32-bit sequence number. Exactly this pair travels on the wire (`Notification.event_id` and each
 * of `Notification.causes`). Instances are immutable; compare them with {@link EventId.equals} or
 * by {@link EventId.key}.
 *
 * @example
 * ```ts
 * const id = EventId.fromUuid('d8fbfef4-4eb0-4c89-9716-c425ded3c527', 0);
 * id.eventUuid; // '84f43861-433f-5253-afbb-a613a5e04d71'
 * ```
 */
export class EventId {
  /** The sender's participant UUID, 16 bytes in RFC 4122 order. Do not mutate. */
  readonly senderId: Uint8Array;
  /** The informer's counter, 0..2^32-1 (it starts at 0 and wraps). */
  readonly sequenceNumber: number;
  private cachedSender: string | undefined;
  private cachedEventUuid: string | undefined;

  /**
   * Throws `RSB_BAD_SENDER_ID` unless `senderId` has 16 bytes and `RSB_BAD_SEQUENCE_NUMBER`
   * unless `sequenceNumber` is an integer in 0..2^32-1.
   */
  constructor(senderId: Uint8Array, sequenceNumber: number) {
    if (senderId.length !== 16) {
      throw new RsbError('RSB_BAD_SENDER_ID', `a sender id has 16 bytes, not ${senderId.length}`);
    }
    if (!Number.isInteger(sequenceNumber) || sequenceNumber < 0 || sequenceNumber > MAX_SEQUENCE_NUMBER) {
      throw new RsbError('RSB_BAD_SEQUENCE_NUMBER', `sequence number ${sequenceNumber} is not a uint32`);
    }
    this.senderId = senderId;
    this.sequenceNumber = sequenceNumber;
  }

  /** An id from the sender's UUID in text form. */
  static fromUuid(sender: string, sequenceNumber: number): EventId {
    return new EventId(uuidToBytes(sender), sequenceNumber);
  }

  /** The sender's participant UUID as lower-case canonical text. */
  get sender(): string {
    return (this.cachedSender ??= uuidToString(this.senderId));
  }

  /**
   * The derived event UUID, lower-case: uuid5(namespace = sender, name = the sequence number as
   * exactly 8 lower-case hex digits), as rsb-python and rsb-cpp compute it.
   */
  get eventUuid(): string {
    return (this.cachedEventUuid ??= uuidToString(deriveEventUuid(this.senderId, this.sequenceNumber)));
  }

  /** A string unique to (sender, sequence number), usable as a `Map` key (e.g. pending RPC calls). */
  get key(): string {
    return `${this.sender}:${this.sequenceNumber}`;
  }

  /** True when both the sender and the sequence number are equal. */
  equals(other: EventId): boolean {
    if (this.sequenceNumber !== other.sequenceNumber) return false;
    for (let i = 0; i < 16; i++) if (this.senderId[i] !== other.senderId[i]) return false;
    return true;
  }

  /** `EventId[<sender>, <sequence number>]`, for logs. */
  toString(): string {
    return `EventId[${this.sender}, ${this.sequenceNumber}]`;
  }
}

/**
 * The event UUID of (sender, sequence number) as 16 bytes: a version 5 UUID with the sender as
 * namespace and `%08x` of the sequence number, in ASCII, as name.
 */
export function deriveEventUuid(senderId: Uint8Array, sequenceNumber: number): Uint8Array {
  const name = Buffer.from(sequenceNumber.toString(16).padStart(8, '0'), 'latin1');
  return uuidV5(senderId, name);
}
