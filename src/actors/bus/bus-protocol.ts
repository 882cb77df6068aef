import type { Protocol } from '../../protocols/protocol.js';
import {
  EncodedNotification,
  createRsbProtocol,
  encodeRsbFrame,
  type RsbIncoming,
  type RsbOutgoing,
  type RsbProtocolOptions,
} from '../../protocols/rsb/index.js';

/**
 * A complete socket-transport frame (length prefix and body), encoded once and handed to any
 * number of connections: a bus broadcasts one buffer instead of re-framing it per peer.
 */
export class FramedNotification {
  constructor(
    /** Prefix and body in one buffer. Shared between connections: do not mutate. */
    readonly frame: Uint8Array,
  ) {}

  /** Frames a body received from a peer, for forwarding it verbatim. */
  static fromBody(body: Uint8Array): FramedNotification {
    return new FramedNotification(encodeRsbFrame(new EncodedNotification(body)));
  }
}

/** What bus connections send: a notification, a serialised body, or a ready frame. */
export type BusOutgoing = RsbOutgoing | FramedNotification;

/** The RSB protocol as bus connections use it: pre-framed notifications pass through untouched. */
export function createBusProtocol(options: RsbProtocolOptions = {}): Protocol<RsbIncoming, BusOutgoing> {
  const rsb = createRsbProtocol(options);
  return {
    ...rsb,
    encode: (message) => (message instanceof FramedNotification ? message.frame : rsb.encode(message)),
  };
}
