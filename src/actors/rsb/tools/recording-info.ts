import { decodeNotification, microsToDate } from '../../../protocols/rsb/index.js';
import type { RecordingEnd } from './recording-format.js';
import { readRecording } from './recording-reader.js';

/** Events and bytes of one scope or wire schema in a recording. */
export interface RecordingCount {
  readonly name: string;
  readonly events: number;
  /** Notification bytes. */
  readonly bytes: number;
}

/** What `rsb info` says about a recording. */
export interface RecordingSummary {
  readonly events: number;
  /** Notification bytes of all records. */
  readonly bytes: number;
  /** Receive time of the first and last record (µs), undefined without records. */
  readonly first: number | undefined;
  readonly last: number | undefined;
  /** last − first, in seconds (0 without records). */
  readonly durationSeconds: number;
  /** Per scope, sorted by scope. */
  readonly scopes: readonly RecordingCount[];
  /** Per wire schema, sorted by schema. */
  readonly wireSchemas: readonly RecordingCount[];
  /** Records whose notification does not decode. */
  readonly undecodable: number;
  readonly end: RecordingEnd;
}

function add(map: Map<string, { events: number; bytes: number }>, name: string, bytes: number): void {
  const c = map.get(name) ?? { events: 0, bytes: 0 };
  c.events++;
  c.bytes += bytes;
  map.set(name, c);
}

function sorted(map: Map<string, { events: number; bytes: number }>): RecordingCount[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, c]) => ({ name, ...c }));
}

/** Reads `path` through and summarises it (docs/RSB-RECORDING.md). */
export async function summariseRecording(path: string): Promise<RecordingSummary> {
  const scopes = new Map<string, { events: number; bytes: number }>();
  const schemas = new Map<string, { events: number; bytes: number }>();
  let events = 0;
  let bytes = 0;
  let undecodable = 0;
  let first: number | undefined;
  let last: number | undefined;
  const end = await readRecording(path, (record) => {
    events++;
    bytes += record.body.length;
    first ??= record.receiveTime;
    last = record.receiveTime;
    try {
      const n = decodeNotification(record.body);
      add(scopes, n.scope.text, record.body.length);
      add(schemas, n.wireSchema, record.body.length);
    } catch {
      undecodable++;
    }
  });
  const durationSeconds = first === undefined || last === undefined ? 0 : (last - first) / 1e6;
  return { events, bytes, first, last, durationSeconds, scopes: sorted(scopes), wireSchemas: sorted(schemas), undecodable, end };
}

function table(title: string, counts: readonly RecordingCount[]): string[] {
  if (counts.length === 0) return [];
  const width = Math.max(title.length, ...counts.map((c) => c.name.length));
  return [
    `${title.padEnd(width)}  ${'events'.padStart(8)}  ${'bytes'.padStart(12)}`,
    ...counts.map((c) => `${c.name.padEnd(width)}  ${String(c.events).padStart(8)}  ${String(c.bytes).padStart(12)}`),
  ];
}

/** The summary as the text `rsb info` prints. */
export function renderRecordingSummary(path: string, s: RecordingSummary): string {
  const time = (t: number | undefined): string => (t === undefined ? '-' : microsToDate(t).toISOString());
  const lines = [
    `file      ${path}`,
    `events    ${s.events} (${s.bytes} bytes of notifications)`,
    `duration  ${s.durationSeconds.toFixed(3)} s, ${time(s.first)} to ${time(s.last)}`,
  ];
  if (s.end.tail === 'incomplete') lines.push(`end       interrupted: ${s.end.trailingBytes} bytes after the last complete record are ignored (rsb record --append cuts them)`);
  else if (s.end.tail === 'damaged') lines.push(`end       damaged: a record at byte ${s.end.validBytes} fails its checksum; ${s.end.trailingBytes} bytes from there are ignored`);
  else lines.push('end       complete');
  if (s.undecodable > 0) lines.push(`skipped   ${s.undecodable} records whose notification does not decode`);
  lines.push('', ...table('scope', s.scopes), '', ...table('wire schema', s.wireSchemas));
  return lines.join('\n').trimEnd() + '\n';
}
