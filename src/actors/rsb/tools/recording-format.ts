import { crc32 } from './crc32.js';
import { RsbToolError } from './errors.js';

/**
 * The bus recording file format (docs/RSB-RECORDING.md): a 16-byte header, then records, each
 * a 16-byte record header and an RSB notification as the socket transport carries it:
 *
 * ```text
 * header  "AWRSBREC" | u32 LE version (1) | u32 LE 0 (reserved)
 * record  u32 LE n | u32 LE CRC-32 of the 8 + n bytes that follow | i64 LE receive time (µs) | n bytes notification
 * ```
 *
 * Records are only ever appended, each in one write; a reader stops at the first record that is
 * incomplete or whose checksum does not match, so an interrupted recording reads back to its
 * last complete record, and a recording is continued by cutting that tail and appending.
 */
export const RECORDING_MAGIC = 'AWRSBREC';
/** The format version this code writes and reads. */
export const RECORDING_VERSION = 1;
/** Size of the file header. */
export const FILE_HEADER_BYTES = 16;
/** Size of a record's header (length, checksum, receive time). */
export const RECORD_HEADER_BYTES = 16;
/** Largest notification a record may hold: the RSB decoder's default frame limit. */
export const MAX_RECORD_BODY_BYTES = 64 * 1024 * 1024;

/** One recorded notification. */
export interface RecordedNotification {
  /** When the recorder received it (µs since the epoch). */
  readonly receiveTime: number;
  /** The notification's protobuf encoding (without the transport's length prefix). */
  readonly body: Uint8Array;
  /** Where its record starts in the file. */
  readonly offset: number;
}

/** How the readable part of a file ends. */
export interface RecordingEnd {
  /** Bytes of header and complete records: where an append continues. */
  readonly validBytes: number;
  /** Bytes after them (0 for a file that was closed cleanly). */
  readonly trailingBytes: number;
  /** Why reading stopped before the end: an `incomplete` last record, or a `damaged` one (bad checksum or length). */
  readonly tail: 'none' | 'incomplete' | 'damaged';
}

/** The file header. */
export function encodeFileHeader(): Uint8Array {
  const out = new Uint8Array(FILE_HEADER_BYTES);
  out.set(new TextEncoder().encode(RECORDING_MAGIC), 0);
  new DataView(out.buffer).setUint32(8, RECORDING_VERSION, true);
  return out;
}

/** One record: header and body in one buffer, so that it goes out in one write. */
export function encodeRecord(receiveTime: number, body: Uint8Array): Uint8Array {
  if (body.length > MAX_RECORD_BODY_BYTES) throw new RsbToolError('RECORDING_BAD_RECORD', `a notification of ${body.length} bytes is larger than a record may hold`);
  const out = new Uint8Array(RECORD_HEADER_BYTES + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length, true);
  view.setBigInt64(8, BigInt(Math.trunc(receiveTime)), true);
  out.set(body, RECORD_HEADER_BYTES);
  view.setUint32(4, crc32(out.subarray(8)), true);
  return out;
}

function checkHeader(bytes: Uint8Array): void {
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  if (magic !== RECORDING_MAGIC) throw new RsbToolError('RECORDING_BAD_HEADER', 'not an actorwire bus recording (no AWRSBREC header)');
  const version = new DataView(bytes.buffer, bytes.byteOffset, FILE_HEADER_BYTES).getUint32(8, true);
  if (version !== RECORDING_VERSION) throw new RsbToolError('RECORDING_BAD_HEADER', `recording format version ${version}; this actorwire reads version ${RECORDING_VERSION}`);
}

/**
 * Reads a recording incrementally: {@link push} chunks of the file in order and get its records;
 * {@link end} says where the readable part ends. Any chunking gives the same records. Throws
 * `RECORDING_BAD_HEADER` for a file that is not a recording; a file shorter than the header is
 * an empty, incomplete recording.
 */
export class RecordingDecoder {
  private pending: Uint8Array = new Uint8Array(0);
  /** File offset of `pending[0]`. */
  private offset = 0;
  private headerRead = false;
  private stopped: 'none' | 'damaged' = 'none';

  /** Feeds the next chunk; calls `onRecord` for every record it completes. */
  push(chunk: Uint8Array, onRecord: (record: RecordedNotification) => void): void {
    if (this.stopped !== 'none') return;
    this.pending = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    let at = 0;
    if (!this.headerRead) {
      if (this.pending.length < FILE_HEADER_BYTES) return;
      checkHeader(this.pending);
      this.headerRead = true;
      at = FILE_HEADER_BYTES;
    }
    const view = new DataView(this.pending.buffer, this.pending.byteOffset, this.pending.byteLength);
    while (this.pending.length - at >= RECORD_HEADER_BYTES) {
      const length = view.getUint32(at, true);
      if (length > MAX_RECORD_BODY_BYTES) {
        this.stopped = 'damaged';
        break;
      }
      if (this.pending.length - at < RECORD_HEADER_BYTES + length) break;
      const checked = this.pending.subarray(at + 8, at + RECORD_HEADER_BYTES + length);
      if (crc32(checked) !== view.getUint32(at + 4, true)) {
        this.stopped = 'damaged';
        break;
      }
      const receiveTime = Number(view.getBigInt64(at + 8, true));
      onRecord({ receiveTime, body: this.pending.slice(at + RECORD_HEADER_BYTES, at + RECORD_HEADER_BYTES + length), offset: this.offset + at });
      at += RECORD_HEADER_BYTES + length;
    }
    this.pending = this.pending.subarray(at);
    this.offset += at;
  }

  /** Where the readable part ends, given everything pushed so far is the whole file. */
  end(): RecordingEnd {
    const trailingBytes = this.pending.length;
    const tail = this.stopped === 'damaged' ? 'damaged' : trailingBytes > 0 || !this.headerRead ? 'incomplete' : 'none';
    return { validBytes: this.offset, trailingBytes, tail };
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
