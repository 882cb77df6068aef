import { DECIMAL_10 } from '../framing/length-header.js';
import { LengthPrefixedEncoder } from '../framing/length-prefixed.js';
import type { Protocol } from '../protocol.js';
import { ObeFrameDecoder, type ObeFrame, type ObeFrameDecoderOptions } from './framing.js';
import { pythonJsonDumps } from './python-json-encode.js';
import type { PythonJson } from './python-json-value.js';

const encoder = new LengthPrefixedEncoder(DECIMAL_10);

/**
 * A JSON body already written (e.g. by the engine's worker thread, which encodes large replies off
 * the main thread). Sent as is behind the header.
 */
export class EncodedJsonBody {
  constructor(
    /** The UTF-8 (in practice ASCII) body bytes. */
    readonly bytes: Uint8Array,
  ) {}
}

/**
 * A whole frame, header included, encoded once and sent as often as needed (a server's constant
 * replies such as `"OK"`: a short connection should not pay for encoding them).
 */
export class EncodedObeFrame {
  /** The frame's bytes: the 10-digit header, then the body. */
  readonly bytes: Uint8Array;

  constructor(value: PythonJson) {
    this.bytes = encoder.encode(encodeObeBody(value));
  }
}

/** What an OBE peer sends: a JSON value (written as Python's `json.dumps` would), an encoded body or frame. */
export type ObeOutbound = PythonJson | EncodedJsonBody | EncodedObeFrame;

/** Options of {@link obeProtocol}. */
export type ObeProtocolOptions = ObeFrameDecoderOptions;

/** The body bytes of `value` as `json.dumps(value).encode()`. */
export function encodeObeBody(value: PythonJson): Uint8Array {
  return Buffer.from(pythonJsonDumps(value), 'latin1');
}

/**
 * Frames one OBE message: the body's byte length as 10 zero-padded decimal digits, then the body.
 *
 * @example
 * ```ts
 * Buffer.from(encodeObeMessage('OK')).toString(); // '0000000004"OK"'
 * ```
 */
export function encodeObeMessage(message: ObeOutbound): Uint8Array {
  if (message instanceof EncodedObeFrame) return message.bytes;
  const body = message instanceof EncodedJsonBody ? message.bytes : encodeObeBody(message);
  return encoder.encode(body);
}

/**
 * The OBE protocol (spec §4.1) for either side: 10-digit decimal length header + JSON body, no
 * handshake, no bye. Incoming frames are {@link ObeFrame} values, never exceptions.
 */
export function obeProtocol(options: ObeProtocolOptions = {}): Protocol<ObeFrame, ObeOutbound> {
  return {
    name: 'obe',
    createDecoder: () => new ObeFrameDecoder(options),
    encode: encodeObeMessage,
  };
}
