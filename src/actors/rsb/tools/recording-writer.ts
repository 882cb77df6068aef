import { closeSync, fdatasyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { encodeNotification, type Notification } from '../../../protocols/rsb/index.js';
import { systemClock, type Clock, type ClockTimer } from '../../clock.js';
import { encodeFileHeader, encodeRecord, type RecordingEnd } from './recording-format.js';
import { readRecording } from './recording-reader.js';

/** Options of {@link RecordingWriter.open}. */
export interface RecordingWriterOptions {
  /** Continue an existing recording (its incomplete tail, if any, is cut first). Default: the file must not exist. */
  readonly append?: boolean;
  /** How often written records are forced to the disk (fdatasync), in ms; 0 only on close. Default 1000. */
  readonly syncIntervalMs?: number;
  /** Timers for the periodic sync. Default: the process's. */
  readonly clock?: Clock;
}

/** What {@link RecordingWriter.open} found in a file it continues. */
export interface AppendStart extends RecordingEnd {
  /** Complete records already in the file. */
  readonly records: number;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes a bus recording (docs/RSB-RECORDING.md). Records written in one turn of the event loop go
 * out together in one write at its end; every record is complete before the next one starts, so a
 * crash loses at most the records of that turn, never what came before. Written data is forced to
 * the disk every `syncIntervalMs` and on {@link close}.
 */
export class RecordingWriter {
  private pending: Uint8Array[] = [];
  private flushScheduled = false;
  private unsynced = false;
  private timer: ClockTimer | undefined;
  private fd: number | undefined;
  private written = 0;

  private constructor(
    fd: number,
    /** What was in the file before (for `append`), or undefined for a new file. */
    readonly continued: AppendStart | undefined,
    private readonly clock: Clock,
    private readonly syncIntervalMs: number,
  ) {
    this.fd = fd;
  }

  /**
   * Creates `path`, or continues it with `append`: its readable part is kept, an incomplete or
   * damaged tail is cut. Rejects with `EEXIST` for an existing file without `append`, and with
   * `RECORDING_BAD_HEADER` for an existing file that is not a recording.
   */
  static async open(path: string, options: RecordingWriterOptions = {}): Promise<RecordingWriter> {
    const clock = options.clock ?? systemClock;
    const syncIntervalMs = options.syncIntervalMs ?? 1000;
    if (options.append && (await exists(path)) && (await stat(path)).size > 0) {
      let records = 0;
      const end = await readRecording(path, () => {
        records++;
      });
      const fd = openSync(path, 'r+');
      try {
        ftruncateSync(fd, end.validBytes);
        if (end.validBytes === 0) writeSync(fd, encodeFileHeader(), 0, undefined, 0);
      } catch (err) {
        closeSync(fd);
        throw err;
      }
      closeSync(fd);
      return new RecordingWriter(openSync(path, 'a'), { ...end, records }, clock, syncIntervalMs);
    }
    const fd = openSync(path, options.append ? 'w' : 'wx');
    writeSync(fd, encodeFileHeader());
    return new RecordingWriter(fd, undefined, clock, syncIntervalMs);
  }

  /** Records written so far (by this writer). */
  get count(): number {
    return this.written;
  }

  /** Appends a notification received at `receiveTime` (µs); `body` is its encoding when known. */
  write(notification: Notification, receiveTime: number, body?: Uint8Array): void {
    if (this.fd === undefined) return;
    this.pending.push(encodeRecord(receiveTime, body ?? encodeNotification(notification)));
    this.written++;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes what is pending, forces it to the disk and closes the file. */
  async close(): Promise<void> {
    if (this.fd === undefined) return;
    this.flush();
    this.clock.clearTimeout(this.timer);
    fdatasyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.fd === undefined || this.pending.length === 0) return;
    const chunks = this.pending;
    this.pending = [];
    const total = chunks.reduce((n, c) => n + c.length, 0);
    const out = chunks.length === 1 ? chunks[0] : new Uint8Array(total);
    if (chunks.length > 1) {
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.length;
      }
    }
    for (let at = 0; at < out.length; ) at += writeSync(this.fd, out, at, out.length - at);
    if (this.syncIntervalMs > 0 && !this.unsynced) {
      this.unsynced = true;
      this.timer = this.clock.setTimeout(() => {
        this.unsynced = false;
        if (this.fd !== undefined) fdatasyncSync(this.fd);
      }, this.syncIntervalMs);
      this.timer.unref();
    }
  }
}
