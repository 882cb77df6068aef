import { ProtocolError } from '../errors.js';
import { DECIMAL_10 } from '../framing/length-header.js';
import { LengthPrefixedDecoder } from '../framing/length-prefixed.js';
import type { FrameDecoder, FrameSink } from '../framing/types.js';
import { rejectedFrame, type Decoded } from '../decoded.js';
import { ObeMessageError } from './errors.js';
import { pythonJsonLoads, type PythonJsonLoadsOptions } from './python-json-parse.js';
import type { PythonJson } from './python-json-value.js';

/** Default cap on an OBE body: 16 MiB (the original has none; Q13). */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** A frame whose body parsed as JSON. */
export interface ObeJsonFrame {
  readonly kind: 'json';
  readonly value: PythonJson;
  /** Body length in bytes. */
  readonly byteLength: number;
}

/**
 * Framing the stream cannot recover from (`BAD_HEADER`, `FRAME_TOO_LARGE`). It is the decoder's
 * last frame: everything after it is discarded, and the owner replies with an error and closes.
 */
export interface ObeBrokenFrame {
  readonly kind: 'broken';
  readonly error: ProtocolError;
}

/**
 * What the OBE decoder delivers: one value per frame, never an exception. A frame that arrived
 * whole but whose body is not JSON is rejected with an {@link ObeMessageError} (`INVALID_UTF8`,
 * `INVALID_JSON`), answerable with an error reply; the last value may be an {@link ObeBrokenFrame}.
 */
export type ObeFrame = Decoded<ObeJsonFrame, ObeMessageError> | ObeBrokenFrame;

/** Options of {@link ObeFrameDecoder}. */
export interface ObeFrameDecoderOptions extends PythonJsonLoadsOptions {
  /** Largest body accepted, in bytes. Default {@link DEFAULT_MAX_BODY_BYTES}. */
  maxBodyBytes?: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes one body as the original does: UTF-8 (strict), then `json.loads`. */
export function decodeObeBody(body: Uint8Array, options: PythonJsonLoadsOptions = {}): Decoded<ObeJsonFrame, ObeMessageError> {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch (err) {
    return rejectedFrame(new ObeMessageError('INVALID_UTF8', "'utf-8' codec can't decode the request body", { cause: err }), body);
  }
  try {
    return { kind: 'json', value: pythonJsonLoads(text, options), byteLength: body.length };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return rejectedFrame(new ObeMessageError('INVALID_JSON', message, { cause: err }), body);
  }
}

/**
 * The incremental OBE decoder: 10-digit decimal header (read as Python `int()` reads it), then that
 * many bytes of UTF-8 JSON. Bad bodies become rejected frames; unreadable framing becomes
 * one final {@link ObeBrokenFrame}. Any split of the stream gives the same frames.
 */
export class ObeFrameDecoder implements FrameDecoder<ObeFrame> {
  private readonly frames: LengthPrefixedDecoder;
  private readonly loadOptions: PythonJsonLoadsOptions;
  private sink: FrameSink<ObeFrame> | undefined;
  private broken = false;
  private readonly onBody = (body: Uint8Array): void => this.sink!(decodeObeBody(body, this.loadOptions));

  constructor(options: ObeFrameDecoderOptions = {}) {
    this.frames = new LengthPrefixedDecoder(DECIMAL_10, { maxFrameBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES });
    this.loadOptions = { keepInts: options.keepInts };
  }

  get pendingBytes(): number {
    return this.broken ? 0 : this.frames.pendingBytes;
  }

  push(chunk: Uint8Array, sink: FrameSink<ObeFrame>): void {
    if (this.broken) return;
    this.sink = sink;
    try {
      this.frames.push(chunk, this.onBody);
    } catch (err) {
      this.broken = true;
      const error = err instanceof ProtocolError ? err : new ProtocolError('MALFORMED_MESSAGE', String(err));
      sink({ kind: 'broken', error });
    }
  }

  end(): number {
    return this.broken ? 0 : this.frames.end();
  }
}
