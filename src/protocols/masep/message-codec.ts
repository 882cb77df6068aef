import type { MasepDecodeCache } from './decode-cache.js';
import { MasepError } from './errors.js';
import type { Message } from './message.js';
import { defaultObjectRegistry } from './object-registry.js';
import { Value } from './value.js';
import { decodeDictEntries, encodeValue, type DecodeContext } from './value-codec.js';
import { readXml } from './xml-reader.js';
import { getAttribute, xmlElement, type XmlElement } from './xml-element.js';
import { writeXml, writeXmlBytes } from './xml-writer.js';

const DEFAULT_CONTEXT: DecodeContext = { objects: defaultObjectRegistry };

/**
 * The elements {@link decodeMessage} leaves unparsed with `lazy`: the children of Objects and
 * Agents, an ObjectState's characteristics and a Belief's GraphML are decoded when first read
 * (their attributes at once).
 */
export const LAZY_MESSAGE_TAGS: ReadonlySet<string> = new Set(['Object', 'Agent', 'ObjectState', 'Belief']);

// Param values that are dicts (an observation's `additional_information`) are parsed when read,
// which decoding does at once; what this buys is the cache: an unchanged dict is parsed once.
const LAZY_NESTED_TAGS: ReadonlySet<string> = new Set(['dict']);

/** Options of {@link decodeMessage}. */
export interface DecodeMessageOptions {
  /**
   * Decode the parts of objects listed in {@link LAZY_MESSAGE_TAGS} only when they are first
   * read. The document is still checked for well-formedness at once, but a bad value inside
   * those elements throws its `MasepError` when it is read. Default false.
   */
  readonly lazy?: boolean;
  /**
   * Remembers recent results: a payload seen before is not decoded again (the same `Message`
   * is returned), and lazily read parts seen before are not parsed again. Use one cache with
   * one object registry and one `lazy` setting.
   */
  readonly cache?: MasepDecodeCache;
}

/** The `<Message>` element of `message` (spec §2.1). */
export function messageToXml(message: Message): XmlElement {
  const children = message.params && message.params.size > 0 ? [encodeValue(Value.dict(message.params))] : [];
  return xmlElement('Message', [['msg_type', message.msgType], ['src_sub_app', message.srcSubApp]], children);
}

/**
 * The payload bytes of `message`, exactly as pymasep's `Message.to_bytes` writes them: pure ASCII,
 * no declaration, `<Message … />` when params are null or empty. Not framed (see `masepProtocol`).
 * Throws `MASEP_UNENCODABLE` for text XML cannot carry.
 *
 * @example
 * ```ts
 * encodeMessage({ msgType: 'quit', srcSubApp: id, params: null });
 * // <Message msg_type="quit" src_sub_app="…" />
 * ```
 */
export function encodeMessage(message: Message): Uint8Array {
  return writeXmlBytes(messageToXml(message));
}

/** {@link encodeMessage} as a string (pure ASCII). */
export function encodeMessageText(message: Message): string {
  return writeXml(messageToXml(message));
}

/**
 * Reads a `Message` from its `<Message>` element: `msg_type` and `src_sub_app` are required
 * (`MASEP_BAD_ENVELOPE`); every child must be a `<dict>` (`MASEP_BAD_PARAMS`), the last one wins
 * as in Python.
 */
export function messageFromXml(root: XmlElement, context: DecodeContext = DEFAULT_CONTEXT): Message {
  if (root.tag !== 'Message') {
    throw new MasepError('MASEP_BAD_ENVELOPE', `root element is <${root.tag.slice(0, 80)}>, not <Message>`);
  }
  const msgType = getAttribute(root, 'msg_type');
  const srcSubApp = getAttribute(root, 'src_sub_app');
  if (msgType === undefined) throw new MasepError('MASEP_BAD_ENVELOPE', 'Message without msg_type');
  if (srcSubApp === undefined) throw new MasepError('MASEP_BAD_ENVELOPE', 'Message without src_sub_app');
  let params: Message['params'] = null;
  for (const child of root.children) {
    if (child.tag !== 'dict') {
      throw new MasepError('MASEP_BAD_PARAMS', `Message params are <${child.tag.slice(0, 80)}>, not a <dict>`);
    }
    params = decodeDictEntries(child, context);
  }
  return { msgType, srcSubApp, params };
}

/**
 * Parses a payload into a `Message`. Throws only `MasepError`s (all `ProtocolError`s):
 * `MALFORMED_MESSAGE` and `MASEP_XML_DOCTYPE` from the XML reader, `MASEP_BAD_ENVELOPE`,
 * `MASEP_BAD_PARAMS`, and `MASEP_BAD_VALUE` / `MASEP_BAD_OBJECT` / `MASEP_UNKNOWN_NAME` from the
 * params.
 *
 * @param context the object classes allowed in params; default pymasep's own.
 * @param options `lazy` to decode the bulk of observations only when it is read.
 */
export function decodeMessage(
  payload: Uint8Array,
  context: DecodeContext = DEFAULT_CONTEXT,
  options: DecodeMessageOptions = {},
): Message {
  const { cache } = options;
  const readOptions = options.lazy ? { defer: LAZY_MESSAGE_TAGS, deferNested: LAZY_NESTED_TAGS, cache } : { cache };
  if (cache === undefined) return messageFromXml(readXml(payload, readOptions), context);
  return cache.message(payload, () => messageFromXml(readXml(payload, readOptions), context));
}
