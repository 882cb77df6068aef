import { UINT32_LE } from '../framing/index.js';
import { assertAscii, decodeAscii } from './ascii.js';
import { RsbError } from './errors.js';
import { EventId } from './event-id.js';
import type { EventMetaData, Notification, UserInfo, UserTime } from './notification.js';
import { ProtobufReader } from './protobuf-reader.js';
import { ProtobufWriter, varint32Size, varint64Size } from './protobuf-writer.js';
import { RecentFields } from './recent-fields.js';
import { Scope } from './scope.js';

// Tags (field number << 3 | wire type) of rsb.protocol messages, proto2.
const NOTIFICATION_SCOPE = (6 << 3) | 2;
const NOTIFICATION_WIRE_SCHEMA = (7 << 3) | 2;
const NOTIFICATION_DATA = (9 << 3) | 2;
const NOTIFICATION_CAUSES = (13 << 3) | 2;
const NOTIFICATION_METHOD = (14 << 3) | 2;
const NOTIFICATION_META_DATA = (15 << 3) | 2;
const NOTIFICATION_EVENT_ID = (108 << 3) | 2;
const EVENT_ID_SENDER_ID = (1 << 3) | 2;
const EVENT_ID_SEQUENCE_NUMBER = (2 << 3) | 0;
const META_CREATE_TIME = (2 << 3) | 0;
const META_SEND_TIME = (3 << 3) | 0;
const META_RECEIVE_TIME = (4 << 3) | 0;
const META_DELIVER_TIME = (5 << 3) | 0;
const META_USER_TIMES = (6 << 3) | 2;
const META_USER_INFOS = (7 << 3) | 2;
const PAIR_KEY = (1 << 3) | 2;
const USER_INFO_VALUE = (2 << 3) | 2;
const USER_TIME_TIMESTAMP = (2 << 3) | 0;

// Field numbers per message, to tell a known field with a wrong wire type from an unknown one.
const NOTIFICATION_FIELDS = new Set([6, 7, 9, 13, 14, 15, 108]);
const EVENT_ID_FIELDS = new Set([1, 2]);
const META_FIELDS = new Set([2, 3, 4, 5, 6, 7]);
const PAIR_FIELDS = new Set([1, 2]);

const EMPTY = new Uint8Array(0);
const SENDER_ID_BYTES = 16;

// ---------------------------------------------------------------------------------------------
// Encoding: a sizing pass that also validates, one allocation, a writing pass in field-number
// order (the order in which the originals' protobuf libraries serialise).

function lenFieldSize(tagSize: number, length: number): number {
  return tagSize + varint32Size(length) + length;
}

function eventIdBodySize(id: EventId): number {
  return 1 + 1 + SENDER_ID_BYTES + 1 + varint32Size(id.sequenceNumber);
}

function checkTimestamp(value: number, unsigned: boolean, what: string): void {
  if (!Number.isSafeInteger(value) || (unsigned && value < 0)) {
    throw new RsbError('RSB_BAD_TIMESTAMP', `${what} ${value} is not a safe ${unsigned ? 'non-negative ' : ''}integer`);
  }
}

function asciiFieldSize(tagSize: number, text: string, what: string): number {
  assertAscii(text, what);
  return lenFieldSize(tagSize, text.length);
}

function userTimeBodySize(time: UserTime): number {
  return asciiFieldSize(1, time.key, 'user-time key') + 1 + varint64Size(time.timestamp);
}

function userInfoBodySize(info: UserInfo): number {
  return asciiFieldSize(1, info.key, 'user-info key') + asciiFieldSize(1, info.value, 'user-info value');
}

function metaDataBodySize(meta: EventMetaData): number {
  checkTimestamp(meta.createTime, false, 'create time');
  checkTimestamp(meta.sendTime, false, 'send time');
  let size = 1 + varint64Size(meta.createTime) + 1 + varint64Size(meta.sendTime);
  if (meta.receiveTime !== undefined) {
    checkTimestamp(meta.receiveTime, false, 'receive time');
    size += 1 + varint64Size(meta.receiveTime);
  }
  if (meta.deliverTime !== undefined) {
    checkTimestamp(meta.deliverTime, false, 'deliver time');
    size += 1 + varint64Size(meta.deliverTime);
  }
  for (const time of meta.userTimes) {
    checkTimestamp(time.timestamp, true, `user time ${JSON.stringify(time.key)}`);
    size += lenFieldSize(1, userTimeBodySize(time));
  }
  for (const info of meta.userInfos) size += lenFieldSize(1, userInfoBodySize(info));
  return size;
}

/** The body size of the notification's meta data (validated), or -1 when it has none. */
function metaSizeOf(notification: Notification): number {
  return notification.metaData === undefined ? -1 : metaDataBodySize(notification.metaData);
}

/**
 * The serialised size of `notification`, after checking everything the originals require:
 * ASCII scope, method, wire schema and meta-data strings (`RSB_NOT_ASCII`) and timestamps that
 * are safe integers (`RSB_BAD_TIMESTAMP`; user times also non-negative). Event ids and scopes are
 * valid by construction.
 */
export function notificationSize(notification: Notification): number {
  return sizeWithMeta(notification, metaSizeOf(notification));
}

/** {@link notificationSize} with the meta-data body size already known (-1: no meta data). */
function sizeWithMeta(notification: Notification, metaSize: number): number {
  let size = lenFieldSize(1, notification.scope.text.length);
  size += asciiFieldSize(1, notification.wireSchema, 'wire schema');
  size += lenFieldSize(1, notification.data.length);
  for (const cause of notification.causes) size += lenFieldSize(1, eventIdBodySize(cause));
  if (notification.method !== undefined) size += asciiFieldSize(1, notification.method, 'method');
  if (metaSize >= 0) size += lenFieldSize(1, metaSize);
  size += lenFieldSize(2, eventIdBodySize(notification.eventId));
  return size;
}

function writeEventId(w: ProtobufWriter, tag: number, id: EventId): void {
  w.varint32(tag);
  w.varint32(eventIdBodySize(id));
  w.varint32(EVENT_ID_SENDER_ID);
  w.varint32(SENDER_ID_BYTES);
  w.raw(id.senderId);
  w.varint32(EVENT_ID_SEQUENCE_NUMBER);
  w.varint32(id.sequenceNumber);
}

function writeAsciiField(w: ProtobufWriter, tag: number, text: string): void {
  w.varint32(tag);
  w.varint32(text.length);
  w.ascii(text);
}

function writeMetaData(w: ProtobufWriter, meta: EventMetaData, bodySize: number): void {
  w.varint32(NOTIFICATION_META_DATA);
  w.varint32(bodySize);
  w.varint32(META_CREATE_TIME);
  w.varint64(meta.createTime);
  w.varint32(META_SEND_TIME);
  w.varint64(meta.sendTime);
  if (meta.receiveTime !== undefined) {
    w.varint32(META_RECEIVE_TIME);
    w.varint64(meta.receiveTime);
  }
  if (meta.deliverTime !== undefined) {
    w.varint32(META_DELIVER_TIME);
    w.varint64(meta.deliverTime);
  }
  for (const time of meta.userTimes) {
    w.varint32(META_USER_TIMES);
    w.varint32(userTimeBodySize(time));
    writeAsciiField(w, PAIR_KEY, time.key);
    w.varint32(USER_TIME_TIMESTAMP);
    w.varint64(time.timestamp);
  }
  for (const info of meta.userInfos) {
    w.varint32(META_USER_INFOS);
    w.varint32(userInfoBodySize(info));
    writeAsciiField(w, PAIR_KEY, info.key);
    writeAsciiField(w, USER_INFO_VALUE, info.value);
  }
}

/**
 * Writes the protobuf serialisation of `notification` at `offset` of `target`, which must have
 * {@link notificationSize} bytes free there; returns the offset after it.
 */
export function encodeNotificationInto(notification: Notification, target: Uint8Array, offset: number): number {
  return writeNotification(notification, target, offset, metaSizeOf(notification));
}

/** Writes what {@link encodeNotificationInto} writes, the meta-data size computed by the caller's sizing pass. */
function writeNotification(notification: Notification, target: Uint8Array, offset: number, metaSize: number): number {
  const w = new ProtobufWriter(target, offset);
  writeAsciiField(w, NOTIFICATION_SCOPE, notification.scope.text);
  writeAsciiField(w, NOTIFICATION_WIRE_SCHEMA, notification.wireSchema);
  w.varint32(NOTIFICATION_DATA);
  w.varint32(notification.data.length);
  w.raw(notification.data);
  for (const cause of notification.causes) writeEventId(w, NOTIFICATION_CAUSES, cause);
  if (notification.method !== undefined) writeAsciiField(w, NOTIFICATION_METHOD, notification.method);
  if (notification.metaData !== undefined) writeMetaData(w, notification.metaData, metaSize);
  writeEventId(w, NOTIFICATION_EVENT_ID, notification.eventId);
  return w.pos;
}

/**
 * Serialises a notification as rsb-python does: fields in field-number order (scope,
 * wire_schema, data, causes, method, meta_data, event_id), `data` and `wire_schema` always
 * present, every required field written even when 0. Throws {@link RsbError} for values the
 * originals could not accept (see {@link notificationSize}).
 */
export function encodeNotification(notification: Notification): Uint8Array {
  const metaSize = metaSizeOf(notification);
  const out = Buffer.allocUnsafe(sizeWithMeta(notification, metaSize));
  writeNotification(notification, out, 0, metaSize);
  return out;
}

/**
 * One socket-transport frame: the uint32 little-endian length and the serialised notification
 * in one buffer, ready for a single `socket.write` (rsb-python's receiver needs the prefix to
 * arrive whole).
 */
export function encodeNotificationFrame(notification: Notification): Uint8Array {
  const metaSize = metaSizeOf(notification);
  const size = sizeWithMeta(notification, metaSize);
  if (size > UINT32_LE.maxLength) {
    throw new RsbError('FRAME_TOO_LARGE', `a notification of ${size} bytes does not fit a uint32 length prefix`);
  }
  const out = Buffer.allocUnsafe(UINT32_LE.size + size);
  UINT32_LE.write(size, out, 0);
  writeNotification(notification, out, UINT32_LE.size, metaSize);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Decoding. Embedded messages that occur more than once are merged (last scalar wins, repeated
// fields append), as protobuf parsers do.

function wrongWireType(message: string, tag: number): RsbError {
  return new RsbError('RSB_WRONG_WIRE_TYPE', `${message} field ${tag >>> 3} has wire type ${tag & 7}`);
}

function missing(field: string): RsbError {
  return new RsbError('RSB_MISSING_FIELD', `required field ${field} is missing`);
}

function skipUnknown(r: ProtobufReader, tag: number, known: ReadonlySet<number>, message: string): void {
  if (known.has(tag >>> 3)) throw wrongWireType(message, tag);
  r.skip(tag);
}

interface EventIdParts {
  senderId: Uint8Array | undefined;
  sequenceNumber: number | undefined;
}

// Scratch state of decodeNotification, reused: decoding is synchronous and calls no user code.
const eventIdReader = new ProtobufReader(EMPTY, 0, 0);
const metaReader = new ProtobufReader(EMPTY, 0, 0);
const NO_EVENT_IDS: readonly EventId[] = Object.freeze([]);
const NO_USER_TIMES: readonly UserTime[] = Object.freeze([]);
const NO_USER_INFOS: readonly UserInfo[] = Object.freeze([]);

function readEventIdInto(r: ProtobufReader, parts: EventIdParts, memo: NotificationMemo | undefined): void {
  const start = r.readLengthDelimited('an EventId');
  readEventIdFields(eventIdReader.reset(r.bytes, start, r.pos), parts, memo);
}

/**
 * What the recent notifications of one stream carried in the fields a stream repeats (scope,
 * wire schema, sender id), kept by whoever decodes that stream (a connection's decoder, a bus
 * transport) and given to {@link decodeNotification}. Decoded values are shared between the
 * notifications of that stream that repeat them: scopes and strings are immutable, sender ids
 * must be treated so.
 */
export class NotificationMemo {
  readonly scopes = new RecentFields<Scope>();
  readonly schemas = new RecentFields<string>();
  readonly senders = new RecentFields<Uint8Array>(8, SENDER_ID_BYTES);
}

function readEventIdFields(sub: ProtobufReader, parts: EventIdParts, memo: NotificationMemo | undefined): void {
  while (!sub.done) {
    const tag = sub.readTag();
    if (tag === EVENT_ID_SENDER_ID) {
      const from = sub.readLengthDelimited('EventId.sender_id');
      // Copied (or shared with an earlier id of the same sender): ids outlive frames (pending
      // RPC maps), and a view would pin the whole chunk.
      let senderId = memo?.senders.find(sub.bytes, from, sub.pos);
      if (senderId === undefined) {
        senderId = sub.bytes.slice(from, sub.pos);
        if (memo && senderId.length === SENDER_ID_BYTES) memo.senders.remember(sub.bytes, from, sub.pos, senderId);
      }
      parts.senderId = senderId;
    } else if (tag === EVENT_ID_SEQUENCE_NUMBER) {
      parts.sequenceNumber = sub.readUint32();
    } else {
      skipUnknown(sub, tag, EVENT_ID_FIELDS, 'EventId');
    }
  }
}

function toEventId(parts: EventIdParts, field: string): EventId {
  if (parts.senderId === undefined) throw missing(`${field}.sender_id`);
  if (parts.sequenceNumber === undefined) throw missing(`${field}.sequence_number`);
  return new EventId(parts.senderId, parts.sequenceNumber);
}

function readPair(r: ProtobufReader, valueTag: number, what: string): [key: string, value: string | number] {
  const start = r.readLengthDelimited(what);
  const sub = new ProtobufReader(r.bytes, start, r.pos);
  let key: string | undefined;
  let value: string | number | undefined;
  while (!sub.done) {
    const tag = sub.readTag();
    if (tag === PAIR_KEY) {
      const from = sub.readLengthDelimited(`${what}.key`);
      key = decodeAscii(sub.bytes, from, sub.pos, `${what} key`);
    } else if (tag === valueTag && tag === USER_INFO_VALUE) {
      const from = sub.readLengthDelimited(`${what}.value`);
      value = decodeAscii(sub.bytes, from, sub.pos, `${what} value`);
    } else if (tag === valueTag) {
      value = sub.readSafeInteger64(false, `${what}.timestamp`);
    } else {
      skipUnknown(sub, tag, PAIR_FIELDS, what);
    }
  }
  if (key === undefined) throw missing(`${what}.key`);
  if (value === undefined) throw missing(valueTag === USER_INFO_VALUE ? `${what}.value` : `${what}.timestamp`);
  return [key, value];
}

interface MetaDataParts {
  createTime: number | undefined;
  sendTime: number | undefined;
  receiveTime: number | undefined;
  deliverTime: number | undefined;
  /** Allocated at the first user time (most events have none). */
  userTimes: UserTime[] | undefined;
  userInfos: UserInfo[] | undefined;
}

function readMetaDataInto(r: ProtobufReader, parts: MetaDataParts): void {
  const start = r.readLengthDelimited('EventMetaData');
  const sub = metaReader.reset(r.bytes, start, r.pos);
  while (!sub.done) {
    const tag = sub.readTag();
    switch (tag) {
      case META_CREATE_TIME:
        parts.createTime = sub.readSafeInteger64(true, 'create_time');
        break;
      case META_SEND_TIME:
        parts.sendTime = sub.readSafeInteger64(true, 'send_time');
        break;
      case META_RECEIVE_TIME:
        parts.receiveTime = sub.readSafeInteger64(true, 'receive_time');
        break;
      case META_DELIVER_TIME:
        parts.deliverTime = sub.readSafeInteger64(true, 'deliver_time');
        break;
      case META_USER_TIMES: {
        const [key, timestamp] = readPair(sub, USER_TIME_TIMESTAMP, 'UserTime');
        (parts.userTimes ??= []).push({ key, timestamp: timestamp as number });
        break;
      }
      case META_USER_INFOS: {
        const [key, value] = readPair(sub, USER_INFO_VALUE, 'UserInfo');
        (parts.userInfos ??= []).push({ key, value: value as string });
        break;
      }
      default:
        skipUnknown(sub, tag, META_FIELDS, 'EventMetaData');
    }
  }
}

function toMetaData(parts: MetaDataParts): EventMetaData {
  if (parts.createTime === undefined) throw missing('meta_data.create_time');
  if (parts.sendTime === undefined) throw missing('meta_data.send_time');
  const meta: { -readonly [K in keyof EventMetaData]: EventMetaData[K] } = {
    createTime: parts.createTime,
    sendTime: parts.sendTime,
    userTimes: parts.userTimes ?? NO_USER_TIMES,
    userInfos: parts.userInfos ?? NO_USER_INFOS,
  };
  if (parts.receiveTime !== undefined) meta.receiveTime = parts.receiveTime;
  if (parts.deliverTime !== undefined) meta.deliverTime = parts.deliverTime;
  return meta;
}

/**
 * Parses one serialised `rsb.protocol.Notification` (a frame body) and checks what the original
 * receivers check before they deliver anything. Throws only {@link RsbError}:
 *
 * - protobuf structure: `RSB_TRUNCATED`, `RSB_BAD_VARINT`, `RSB_BAD_WIRE_TYPE`,
 *   `RSB_WRONG_WIRE_TYPE` (a known field with another wire type), `RSB_NESTING_TOO_DEEP`;
 * - proto2 required fields: `RSB_MISSING_FIELD` (event_id and both its parts, create_time and
 *   send_time of a present meta_data, key and value/timestamp of each user info/time, the parts
 *   of each cause);
 * - RSB rules: `RSB_BAD_SENDER_ID` (not 16 bytes), `RSB_MISSING_SCOPE`, `RSB_INVALID_SCOPE`,
 *   `RSB_NOT_ASCII` (scope, method, wire schema, user-info keys and values, user-time keys),
 *   `RSB_BAD_TIMESTAMP` (beyond ±2^53 µs).
 *
 * Unknown fields are skipped. `data` is a view into `body`; sender ids are copied (or shared with
 * an earlier notification of the same stream when `memo` is given, see {@link NotificationMemo}).
 */
export function decodeNotification(body: Uint8Array, memo?: NotificationMemo): Notification {
  const r = new ProtobufReader(body, 0, body.length);
  let eventIdParts: EventIdParts | undefined;
  let metaParts: MetaDataParts | undefined;
  let causes: EventId[] | undefined;
  // Offsets of the last occurrence of each string field; -1 when absent (last one wins).
  let scopeStart = -1;
  let scopeEnd = -1;
  let methodStart = -1;
  let methodEnd = -1;
  let schemaStart = -1;
  let schemaEnd = -1;
  let data: Uint8Array = EMPTY;
  while (!r.done) {
    const tag = r.readTag();
    switch (tag) {
      case NOTIFICATION_SCOPE:
        scopeStart = r.readLengthDelimited('Notification.scope');
        scopeEnd = r.pos;
        break;
      case NOTIFICATION_WIRE_SCHEMA:
        schemaStart = r.readLengthDelimited('Notification.wire_schema');
        schemaEnd = r.pos;
        break;
      case NOTIFICATION_DATA: {
        const start = r.readLengthDelimited('Notification.data');
        data = body.subarray(start, r.pos);
        break;
      }
      case NOTIFICATION_CAUSES: {
        const parts: EventIdParts = { senderId: undefined, sequenceNumber: undefined };
        readEventIdInto(r, parts, memo);
        (causes ??= []).push(toEventId(parts, `causes[${causes?.length ?? 0}]`));
        break;
      }
      case NOTIFICATION_METHOD:
        methodStart = r.readLengthDelimited('Notification.method');
        methodEnd = r.pos;
        break;
      case NOTIFICATION_META_DATA:
        metaParts ??= {
          createTime: undefined,
          sendTime: undefined,
          receiveTime: undefined,
          deliverTime: undefined,
          userTimes: undefined,
          userInfos: undefined,
        };
        readMetaDataInto(r, metaParts);
        break;
      case NOTIFICATION_EVENT_ID:
        eventIdParts ??= { senderId: undefined, sequenceNumber: undefined };
        readEventIdInto(r, eventIdParts, memo);
        break;
      default:
        skipUnknown(r, tag, NOTIFICATION_FIELDS, 'Notification');
    }
  }
  if (eventIdParts === undefined) throw missing('event_id');
  const eventId = toEventId(eventIdParts, 'event_id');
  const metaData = metaParts === undefined ? undefined : toMetaData(metaParts);
  if (scopeStart < 0) throw new RsbError('RSB_MISSING_SCOPE', 'notification has no scope');
  let scope = memo?.scopes.find(body, scopeStart, scopeEnd);
  if (scope === undefined) {
    scope = Scope.parse(decodeAscii(body, scopeStart, scopeEnd, 'scope'));
    memo?.scopes.remember(body, scopeStart, scopeEnd, scope);
  }
  let wireSchema = schemaStart < 0 ? '' : memo?.schemas.find(body, schemaStart, schemaEnd);
  if (wireSchema === undefined) {
    wireSchema = decodeAscii(body, schemaStart, schemaEnd, 'wire schema');
    memo?.schemas.remember(body, schemaStart, schemaEnd, wireSchema);
  }
  const notification: { -readonly [K in keyof Notification]: Notification[K] } = {
    eventId,
    scope,
    wireSchema,
    data,
    causes: causes ?? NO_EVENT_IDS,
  };
  if (methodStart >= 0) notification.method = decodeAscii(body, methodStart, methodEnd, 'method');
  if (metaData !== undefined) notification.metaData = metaData;
  return notification;
}

/** Serialises an `rsb.protocol.EventId` on its own (the `.rsb.protocol.EventId` payload). */
export function encodeEventId(id: EventId): Uint8Array {
  const out = Buffer.allocUnsafe(eventIdBodySize(id));
  const w = new ProtobufWriter(out, 0);
  w.varint32(EVENT_ID_SENDER_ID);
  w.varint32(SENDER_ID_BYTES);
  w.raw(id.senderId);
  w.varint32(EVENT_ID_SEQUENCE_NUMBER);
  w.varint32(id.sequenceNumber);
  return out;
}

/**
 * Parses a standalone serialised `rsb.protocol.EventId`. Throws {@link RsbError}: protobuf
 * structure codes, `RSB_MISSING_FIELD`, `RSB_BAD_SENDER_ID`.
 */
export function decodeEventId(bytes: Uint8Array): EventId {
  const parts: EventIdParts = { senderId: undefined, sequenceNumber: undefined };
  readEventIdFields(new ProtobufReader(bytes, 0, bytes.length), parts, undefined);
  return toEventId(parts, 'EventId');
}
