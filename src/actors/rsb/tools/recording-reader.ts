import { createReadStream } from 'node:fs';
import { RecordingDecoder, type RecordedNotification, type RecordingEnd } from './recording-format.js';

/**
 * Reads a bus recording from `path` (docs/RSB-RECORDING.md) in chunks, calling `onRecord` for each
 * complete record in file order, and resolves with where the readable part ends: a recording
 * that was interrupted reads back to its last complete record. `onRecord` may return a promise
 * (a player waiting for a record's time); reading waits for it. Rejects with
 * `RECORDING_BAD_HEADER` for a file that is not a recording.
 */
export async function readRecording(path: string, onRecord: (record: RecordedNotification) => void | Promise<void>): Promise<RecordingEnd> {
  const decoder = new RecordingDecoder();
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of stream) {
      const records: RecordedNotification[] = [];
      decoder.push(chunk as Uint8Array, (record) => records.push(record));
      for (const record of records) {
        const waiting = onRecord(record);
        if (waiting !== undefined) await waiting;
      }
    }
  } finally {
    stream.destroy();
  }
  return decoder.end();
}
