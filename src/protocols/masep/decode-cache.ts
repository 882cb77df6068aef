import type { Message } from './message.js';
import type { XmlElement } from './xml-element.js';

/** Text and children of a parsed element content, as the XML reader caches them. */
export interface CachedContent {
  readonly text: string;
  readonly children: readonly XmlElement[];
}

/**
 * Bounded memory of recent decoding results, so that identical bytes are decoded once: whole
 * message payloads (several interfaces of one process receive the same observation) and the
 * deferred contents of lazily read messages (unchanged parts of successive observations).
 * Results are immutable, so sharing them is safe. At its bound, the payload memory forgets its
 * oldest entry and the content memory is emptied.
 *
 * @example
 * ```ts
 * const cache = new MasepDecodeCache();
 * const protocol = createMasepProtocol({ lazy: true, cache });
 * ```
 */
export class MasepDecodeCache {
  // Payloads are compared byte for byte (memcmp), most recent first: cheaper than turning each
  // payload into a string key, which costs a copy and a hash of every byte on every lookup.
  private readonly messages: Array<{ readonly bytes: Buffer; readonly message: Message }> = [];
  private nextSlot = 0;
  private readonly contents = new Map<string, CachedContent>();

  /**
   * @param messageLimit payloads remembered (default 16)
   * @param contentLimit deferred contents remembered (default 512)
   */
  constructor(
    private readonly messageLimit = 16,
    private readonly contentLimit = 512,
  ) {}

  /** The message decoded from `payload` earlier, or `decode()`'s result, remembered. */
  message(payload: Uint8Array, decode: () => Message): Message {
    const entries = this.messages;
    const count = entries.length;
    // Newest first: the slot before `nextSlot` was written last.
    for (let k = 1; k <= count; k++) {
      const entry = entries[(this.nextSlot - k + count) % count];
      if (entry.bytes.length === payload.length && entry.bytes.equals(payload)) return entry.message;
    }
    const message = decode();
    if (this.messageLimit <= 0) return message;
    // A copy: the payload may be a view into a buffer its owner reuses.
    const entry = { bytes: Buffer.from(payload), message };
    if (count < this.messageLimit) {
      entries.push(entry);
      this.nextSlot = entries.length % this.messageLimit;
    } else {
      entries[this.nextSlot] = entry;
      this.nextSlot = (this.nextSlot + 1) % this.messageLimit;
    }
    return message;
  }

  /** The parsed content of `raw` from earlier, or `parse()`'s result, remembered. */
  content(raw: string, parse: () => CachedContent): CachedContent {
    let content = this.contents.get(raw);
    if (content === undefined) {
      content = parse();
      if (this.contents.size >= this.contentLimit) this.contents.clear();
      this.contents.set(raw, content);
    }
    return content;
  }
}
