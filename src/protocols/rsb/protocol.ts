import { LengthPrefixedDecoder, UINT32_LE } from '../framing/index.js';
import { LengthPrefixedMessageDecoder } from '../framing/length-prefixed-message-decoder.js';
import { rejectedFrame, type Decoded } from '../decoded.js';
import type { PreambleHandshake, Protocol } from '../protocol.js';
import { RsbError } from './errors.js';
import type { Notification } from './notification.js';
import { decodeNotification, encodeNotificationFrame, NotificationMemo } from './notification-codec.js';

/** Default cap on one frame body: 64 MiB. RSB frames carry whole payloads, so keep it generous. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

/**
 * The socket transport's handshake: the server writes four `0x00` bytes as soon as it accepts;
 * the client reads them before doing anything else and sends nothing in return. Shared: do not
 * mutate `bytes`.
 */
export const RSB_HANDSHAKE: PreambleHandshake = Object.freeze({
  kind: 'preamble',
  sender: 'server',
  bytes: new Uint8Array(4),
});

/**
 * Checks the four handshake bytes a client received, as rsb-python and rsb-cl do (rsb-cpp
 * ignores them). Throws `BAD_HANDSHAKE` unless they are exactly `00 00 00 00`.
 */
export function assertRsbHandshake(received: Uint8Array): void {
  if (received.length !== 4 || received.some((b) => b !== 0)) {
    const hex = Buffer.from(received).toString('hex');
    throw new RsbError('BAD_HANDSHAKE', `RSB handshake must be 00000000, got ${hex || 'nothing'}`);
  }
}

/** A frame that decoded into a valid notification. */
export interface RsbNotificationFrame {
  readonly kind: 'notification';
  readonly notification: Notification;
  /** The frame body as received, for forwarding without re-encoding (do not mutate). */
  readonly body: Uint8Array;
}

/**
 * What the RSB decoder yields per frame: a notification, or a frame rejected with an
 * {@link RsbError} because its body is not a notification the originals would accept (truncated
 * protobuf, missing required field, missing/invalid/non-ASCII scope, ...). The stream itself is
 * intact, so the connection can log a rejected frame, drop it (never forward it: it would break
 * rsb-cpp and rsb-python peers) and go on.
 */
export type RsbIncoming = Decoded<RsbNotificationFrame, RsbError>;

/**
 * A notification body that is already serialised, e.g. one a bus server forwards verbatim to
 * its other clients. It is framed as is, without validation.
 */
export class EncodedNotification {
  constructor(readonly body: Uint8Array) {}
}

/** What the RSB protocol encodes: a notification, or an already serialised one. */
export type RsbOutgoing = Notification | EncodedNotification;

/** Options of {@link createRsbProtocol}. */
export interface RsbProtocolOptions {
  /**
   * Largest frame body accepted, checked against the length prefix before anything is
   * allocated. Default {@link DEFAULT_MAX_FRAME_BYTES}; at most 2^32 - 1.
   */
  maxFrameBytes?: number;
  /**
   * What a frame whose body is not a valid notification does: `deliver` it as a rejected frame
   * (default), or `fail` the stream with its error, as rsb-cpp
   * and rsb-python do by closing the connection.
   */
  badNotifications?: 'deliver' | 'fail';
}

/**
 * The incremental RSB frame decoder: uint32 little-endian length prefix, one notification per
 * frame.
 *
 * Fatal for the stream (thrown as `ProtocolError`, after which every `push` rethrows it):
 * - `FRAME_TOO_LARGE`: a prefix above `maxFrameBytes` (e.g. 4 GiB), rejected before allocating;
 * - `EMPTY_FRAME`: a zero-length frame. No valid notification is empty (event_id is required),
 *   originals never send one, and rsb-cl treats it as a legacy shutdown request, so the
 *   connection ends either way;
 * - with `badNotifications: 'fail'`, the error of the first bad notification.
 *
 * Per message (delivered as `kind: 'rejected'`): every error inside a frame body. The length prefix
 * keeps the stream in sync, so one bad notification need not cost a bus server its client.
 */
export class RsbFrameDecoder extends LengthPrefixedMessageDecoder<RsbIncoming> {
  private readonly failOnBad: boolean;
  /** What this connection's notifications repeat (docs/ARCHITECTURE.md, "What a connection costs"). */
  private readonly memo = new NotificationMemo();

  constructor(options: RsbProtocolOptions = {}) {
    super(new LengthPrefixedDecoder(UINT32_LE, { maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES, emptyFrames: 'reject' }));
    this.failOnBad = options.badNotifications === 'fail';
  }

  protected decodeFrame(body: Uint8Array): RsbIncoming {
    try {
      return { kind: 'notification', notification: decodeNotification(body, this.memo), body };
    } catch (err) {
      const error = err instanceof RsbError ? err : new RsbError('MALFORMED_MESSAGE', String(err), { cause: err });
      // Thrown, it ends the stream (the decoder is poisoned); otherwise the stream goes on.
      if (this.failOnBad) throw error;
      return rejectedFrame(error, body);
    }
  }
}

/**
 * Frames one outgoing notification: length prefix and body in one buffer (one `socket.write`,
 * as rsb-python's receiver needs).
 */
export function encodeRsbFrame(message: RsbOutgoing): Uint8Array {
  if (!(message instanceof EncodedNotification)) return encodeNotificationFrame(message);
  const length = message.body.length;
  if (length === 0) throw new RsbError('EMPTY_FRAME', 'refusing to send an empty RSB frame');
  if (length > UINT32_LE.maxLength) {
    throw new RsbError('FRAME_TOO_LARGE', `a notification of ${length} bytes does not fit a uint32 length prefix`);
  }
  const out = Buffer.allocUnsafe(UINT32_LE.size + length);
  UINT32_LE.write(length, out, 0);
  out.set(message.body, UINT32_LE.size);
  return out;
}

/**
 * The RSB socket transport as a {@link Protocol} value: the server's 4-zero-byte preamble, uint32
 * LE framing and the notification codec. There is no bye frame: RSB ends with a TCP half-close.
 *
 * @example
 * ```ts
 * const protocol = createRsbProtocol({ maxFrameBytes: 16 * 1024 * 1024 });
 * const decoder = protocol.createDecoder();
 * decoder.push(chunk, (frame) => {
 *   if (frame.kind === 'notification') bus.deliver(frame.notification);
 *   else log.warn(frame.error.code);
 * });
 * ```
 */
export function createRsbProtocol(options: RsbProtocolOptions = {}): Protocol<RsbIncoming, RsbOutgoing> {
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 1 || maxFrameBytes > UINT32_LE.maxLength) {
    throw new RangeError(`maxFrameBytes must be an integer in 1..${UINT32_LE.maxLength}`);
  }
  const decoderOptions: RsbProtocolOptions = { ...options, maxFrameBytes };
  return {
    name: 'rsb',
    createDecoder: () => new RsbFrameDecoder(decoderOptions),
    encode: encodeRsbFrame,
    handshake: RSB_HANDSHAKE,
  };
}

/** The RSB protocol with default options. */
export const rsbProtocol: Protocol<RsbIncoming, RsbOutgoing> = createRsbProtocol();

