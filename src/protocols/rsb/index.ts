/**
 * The RSB socket transport's protocol layer: the notification codec, the `Protocol` value
 * (handshake and uint32 LE framing), scopes and the scope tree, event ids, and converters.
 * Pure: no sockets, no timers.
 * @packageDocumentation
 */
export { RsbError, type RsbErrorCode } from './errors.js';
export { EventId, deriveEventUuid } from './event-id.js';
export { randomUuidBytes, uuidToBytes, uuidToString, uuidV5 } from './uuid.js';
export { Scope } from './scope.js';
export { dateToMicros, microsToDate, nowMicros } from './timestamps.js';
export { ScopeTree } from './scope-tree.js';
export type { EventMetaData, Notification, UserInfo, UserTime } from './notification.js';
export {
  decodeEventId,
  decodeNotification,
  encodeEventId,
  encodeNotification,
  encodeNotificationFrame,
  encodeNotificationInto,
  notificationSize,
} from './notification-codec.js';
export {
  DEFAULT_MAX_FRAME_BYTES,
  EncodedNotification,
  RSB_HANDSHAKE,
  RsbFrameDecoder,
  assertRsbHandshake,
  createRsbProtocol,
  encodeRsbFrame,
  rsbProtocol,
  type RsbIncoming,
  type RsbNotificationFrame,
  type RsbOutgoing,
  type RsbProtocolOptions,
} from './protocol.js';
export type { Converter } from './converters/converter.js';
export { ConverterRegistry, type EncodedPayload, type RsbValue } from './converters/converter-registry.js';
export {
  FUNDAMENTAL_CONVERTERS,
  PYTHON_DEFAULT_WIRE_SCHEMAS,
  anyBytesConverter,
  asciiStringConverter,
  boolConverter,
  bytesConverter,
  doubleConverter,
  eventIdConverter,
  floatConverter,
  int32Converter,
  int64Converter,
  scopeConverter,
  uint32Converter,
  uint64Converter,
  utf8StringConverter,
  voidConverter,
} from './converters/fundamental-converters.js';
export { protobufConverter } from './converters/protobuf-converter.js';
export {
  RawPayload,
  TypedValue,
  asciiString,
  bytesValue,
  float32,
  float64,
  int32,
  int64,
  uint32,
  uint64,
  utf8String,
} from './converters/typed-value.js';
export { DEFAULT_SUBJECT_PREFIX, rpcSubject, scopeToSubject, subjectToScope, subscriptionSubjects } from './nats/nats-subject.js';
export { forEachNotificationBody, NATS_MESSAGE_BATCH_BYTES, NatsMessageBatch, NatsMessageFormatError, type NatsMessage } from './nats/nats-message.js';
