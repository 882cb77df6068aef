import { microsToDate } from '../../../protocols/rsb/index.js';
import type { RsbEvent } from '../event.js';
import { Buffer } from 'node:buffer';
import { eventJson, jsonValue, toJsonText } from './event-json.js';
import { ProtobufPayload } from './protobuf-text.js';

/** The logger styles (docs/RSB.md, "rsb logger"). */
export const LOGGER_STYLES = ['compact', 'detailed', 'json', 'payload', 'statistics', 'monitor'] as const;

/** A logger style. */
export type LoggerStyle = (typeof LOGGER_STYLES)[number];

/** An event as the logger prints it: decoded, with the size of its notification in bytes. */
export interface LoggedEvent {
  readonly event: RsbEvent;
  readonly size: number;
}

/** Formats one event as one or more lines (with the final newline). */
export type EventFormatter = (logged: LoggedEvent) => string;

/** Longest payload text of a compact line before it is cut with `…`. */
const COMPACT_PAYLOAD_CHARS = 60;

function isoTime(micros: number): string {
  return micros === 0 ? '-' : microsToDate(micros).toISOString();
}

/**
 * The payload as text: a string as is, bytes in hex, anything else as JSON; a decoded protobuf
 * message as its bytes in hex (the `payload` style shows payloads undecoded, docs/RSB.md).
 */
export function payloadText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data instanceof ProtobufPayload) return Buffer.from(data.bytes).toString('hex');
  const value = jsonValue(data);
  if (value !== null && typeof value === 'object' && 'hex' in value) return String((value as { hex: string }).hex);
  return toJsonText(value);
}

/** `12:00:01.123 /demo/a/ utf-8-string 5b1f…:3 42 B "hello"`: one line per event (protobuf messages in one-line text format). */
export function formatCompact({ event, size }: LoggedEvent): string {
  const time = event.receiveTime === 0 ? '-' : microsToDate(event.receiveTime).toISOString().slice(11, 23);
  const method = event.method === undefined ? '' : ` ${event.method}`;
  const data = event.data;
  let payload = typeof data === 'string' ? JSON.stringify(data) : data instanceof ProtobufPayload ? data.toTextLine() : payloadText(data);
  if (payload.length > COMPACT_PAYLOAD_CHARS) payload = payload.slice(0, COMPACT_PAYLOAD_CHARS - 1) + '…';
  return `${time} ${event.scope.text} ${event.wireSchema}${method} ${event.id.sender.slice(0, 8)}:${event.id.sequenceNumber} ${size} B ${payload}\n`;
}

/** Every field of the event, one per line, then the payload (protobuf messages in text format), then a blank line. */
export function formatDetailed({ event, size }: LoggedEvent): string {
  const lines = [
    `Event ${event.id.sender}:${event.id.sequenceNumber}`,
    `  Scope        ${event.scope.text}`,
    `  Method       ${event.method ?? '-'}`,
    `  Wire schema  ${event.wireSchema}`,
    `  Size         ${size} B`,
    `  Create time  ${isoTime(event.createTime)}`,
    `  Send time    ${isoTime(event.sendTime)}`,
    `  Receive time ${isoTime(event.receiveTime)}`,
  ];
  for (const cause of event.causes) lines.push(`  Cause        ${cause.sender}:${cause.sequenceNumber}`);
  for (const [key, value] of Object.entries(event.userInfos)) lines.push(`  Info         ${key} = ${value}`);
  for (const [key, value] of Object.entries(event.userTimes)) lines.push(`  Time         ${key} = ${isoTime(value)}`);
  lines.push('  Payload');
  const payload = event.data instanceof ProtobufPayload ? event.data.toText() : payloadText(event.data);
  for (const line of payload.split('\n')) lines.push(`    ${line}`);
  return lines.join('\n') + '\n\n';
}

/** The event as one JSON line (the fields of {@link eventJson}). */
export function formatJson({ event }: LoggedEvent): string {
  return toJsonText(eventJson(event)) + '\n';
}

/** The payload alone: strings as they are, bytes in hex, other values as JSON. */
export function formatPayload({ event }: LoggedEvent): string {
  return payloadText(event.data) + '\n';
}

/** The formatter of a per-event style. */
export function eventFormatter(style: Exclude<LoggerStyle, 'statistics' | 'monitor'>): EventFormatter {
  switch (style) {
    case 'compact':
      return formatCompact;
    case 'detailed':
      return formatDetailed;
    case 'json':
      return formatJson;
    case 'payload':
      return formatPayload;
  }
}
