import { Buffer } from 'node:buffer';
import { EventId, RawPayload, Scope, TypedValue } from '../../../protocols/rsb/index.js';
import type { RsbEvent } from '../event.js';
import { ProtobufPayload } from './protobuf-text.js';

/**
 * A decoded payload as JSON-friendly data: int64 as a number when it is safe (else its decimal
 * text), scopes as text, bytes as `{ hex }`, payloads of unknown schemas as `{ wireSchema, hex }`,
 * decoded protobuf messages in protobuf's JSON mapping.
 */
export function jsonValue(value: unknown): unknown {
  if (value instanceof ProtobufPayload) return value.toJson();
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Scope) return value.text;
  if (value instanceof RawPayload) return { wireSchema: value.wireSchema, hex: Buffer.from(value.data).toString('hex') };
  if (value instanceof Uint8Array) return { hex: Buffer.from(value).toString('hex') };
  if (value instanceof EventId) return { sender: value.sender, sequenceNumber: value.sequenceNumber };
  if (value instanceof TypedValue) return jsonValue(value.value);
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value ?? null;
}

/** `JSON.stringify` that also takes bigints nested in decoded messages (as decimal text). */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** One event as the JSON object of the `json` logger style (docs/RSB.md). */
export function eventJson(event: RsbEvent): Record<string, unknown> {
  return {
    scope: event.scope.text,
    wireSchema: event.wireSchema,
    data: jsonValue(event.data),
    sender: event.id.sender,
    sequenceNumber: event.id.sequenceNumber,
    method: event.method ?? null,
    causes: event.causes.map((c) => jsonValue(c)),
    userInfos: event.userInfos,
    userTimes: event.userTimes,
    createTime: event.createTime,
    sendTime: event.sendTime,
    receiveTime: event.receiveTime,
  };
}
