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
 * Results are immutable, so sharing them is safe. Each map is emptied when it reaches its bound.
 *
 * @example
 * ```ts
 * const cache = new MasepDecodeCache();
 * const protocol = createMasepProtocol({ lazy: true, cache });
 * ```
 */
export class MasepDecodeCache {
  private readonly messages = new Map<string, Message>();
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
    const key = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('latin1');
    let message = this.messages.get(key);
    if (message === undefined) {
      message = decode();
      remember(this.messages, this.messageLimit, key, message);
    }
    return message;
  }

  /** The parsed content of `raw` from earlier, or `parse()`'s result, remembered. */
  content(raw: string, parse: () => CachedContent): CachedContent {
    let content = this.contents.get(raw);
    if (content === undefined) {
      content = parse();
      remember(this.contents, this.contentLimit, raw, content);
    }
    return content;
  }
}

function remember<V>(map: Map<string, V>, limit: number, key: string, value: V): void {
  if (map.size >= limit) map.clear();
  map.set(key, value);
}
