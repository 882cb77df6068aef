import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../../src/actors/rsb/tools/crc32.js';
import {
  FILE_HEADER_BYTES,
  RECORD_HEADER_BYTES,
  RecordingDecoder,
  encodeFileHeader,
  encodeRecord,
  type RecordedNotification,
} from '../../../../src/actors/rsb/tools/recording-format.js';
import { RsbToolError } from '../../../../src/actors/rsb/tools/errors.js';

function file(records: Array<[number, Uint8Array]>): Uint8Array {
  const parts = [encodeFileHeader(), ...records.map(([t, body]) => encodeRecord(t, body))];
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

function decodeIn(chunks: Uint8Array[]): { records: RecordedNotification[]; end: ReturnType<RecordingDecoder['end']> } {
  const decoder = new RecordingDecoder();
  const records: RecordedNotification[] = [];
  for (const chunk of chunks) decoder.push(chunk, (r) => records.push(r));
  return { records, end: decoder.end() };
}

const bodies = fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 52 }), fc.uint8Array({ maxLength: 64 })), { maxLength: 8 });

describe('bus recording format', () => {
  it('crc32 is the IEEE CRC-32 of zlib', () => {
    expect(crc32(new TextEncoder().encode('hello'))).toBe(0x3610a686);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(new TextEncoder().encode('lo'), crc32(new TextEncoder().encode('hel')))).toBe(0x3610a686);
  });

  it('lays out the header and a record as docs/RSB-RECORDING.md says', () => {
    expect(Buffer.from(encodeFileHeader()).toString('hex')).toBe(Buffer.from('AWRSBREC').toString('hex') + '01000000' + '00000000');
    const record = encodeRecord(0x0102030405, Uint8Array.of(0xaa, 0xbb));
    expect(record.length).toBe(RECORD_HEADER_BYTES + 2);
    const view = new DataView(record.buffer);
    expect(view.getUint32(0, true)).toBe(2);
    expect(view.getUint32(4, true)).toBe(crc32(record.subarray(8)));
    expect(Buffer.from(record.subarray(8)).toString('hex')).toBe('0504030201000000aabb');
  });

  it('reads back every record, whatever the chunking', () => {
    fc.assert(
      fc.property(bodies, fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }), (records, cuts) => {
        const bytes = file(records);
        const chunks: Uint8Array[] = [];
        let at = 0;
        for (let i = 0; at < bytes.length; i++) {
          const n = cuts[i % cuts.length];
          chunks.push(bytes.subarray(at, at + n));
          at += n;
        }
        const { records: read, end } = decodeIn(chunks);
        expect(read.map((r) => [r.receiveTime, [...r.body]])).toEqual(records.map(([t, b]) => [t, [...b]]));
        expect(end).toEqual({ validBytes: bytes.length, trailingBytes: 0, tail: 'none' });
      }),
    );
  });

  it('an interrupted file reads back to its last complete record, wherever it was cut', () => {
    fc.assert(
      fc.property(bodies.filter((r) => r.length > 0), fc.nat(), (records, cutSeed) => {
        const bytes = file(records);
        const cut = FILE_HEADER_BYTES + (cutSeed % (bytes.length - FILE_HEADER_BYTES));
        const { records: read, end } = decodeIn([bytes.subarray(0, cut)]);
        // Records wholly before the cut are read; the one it falls in is not.
        let complete = 0;
        let offset = FILE_HEADER_BYTES;
        for (const [, body] of records) {
          if (offset + RECORD_HEADER_BYTES + body.length > cut) break;
          offset += RECORD_HEADER_BYTES + body.length;
          complete++;
        }
        expect(read).toHaveLength(complete);
        expect(end.validBytes).toBe(offset);
        expect(end.trailingBytes).toBe(cut - offset);
        expect(end.tail).toBe(cut === offset ? 'none' : 'incomplete');
      }),
    );
  });

  it('stops at a record whose checksum fails, and says where', () => {
    const bytes = file([
      [1, Uint8Array.of(1)],
      [2, Uint8Array.of(2)],
      [3, Uint8Array.of(3)],
    ]);
    const second = FILE_HEADER_BYTES + RECORD_HEADER_BYTES + 1;
    bytes[second + RECORD_HEADER_BYTES] ^= 0xff; // the second record's body
    const { records, end } = decodeIn([bytes]);
    expect(records.map((r) => r.receiveTime)).toEqual([1]);
    expect(end).toEqual({ validBytes: second, trailingBytes: bytes.length - second, tail: 'damaged' });
  });

  it('refuses a file that is not a recording, and reads a short one as empty and incomplete', () => {
    expect(() => decodeIn([new TextEncoder().encode('not a recording at all')])).toThrow(RsbToolError);
    expect(decodeIn([encodeFileHeader().subarray(0, 5)]).end).toEqual({ validBytes: 0, trailingBytes: 5, tail: 'incomplete' });
    expect(decodeIn([encodeFileHeader()]).end).toEqual({ validBytes: FILE_HEADER_BYTES, trailingBytes: 0, tail: 'none' });
  });
});
