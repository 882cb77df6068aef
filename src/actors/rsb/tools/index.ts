/**
 * The RSB tools as library code: the logger (styles, filters, per-scope statistics), the payload
 * syntax of `rsb send` (protobuf text for registered types included), and bus recordings
 * (writer, reader, player, summary). The `actorwire rsb` commands are thin over these;
 * docs/RSB.md and docs/RSB-RECORDING.md describe them.
 * @packageDocumentation
 */
export { BusTap, outermostScopes, type BusTapOptions, type TappedNotification } from './bus-tap.js';
export { RsbToolError, type RsbToolErrorCode } from './errors.js';
export { eventJson, jsonValue, toJsonText } from './event-json.js';
export { EventLogger, type EventLoggerOptions } from './event-logger.js';
export {
  LOGGER_STYLES,
  eventFormatter,
  formatCompact,
  formatDetailed,
  formatJson,
  formatPayload,
  payloadText,
  type EventFormatter,
  type LoggedEvent,
  type LoggerStyle,
} from './event-styles.js';
export { FILTER_KINDS, parseFilterSpec } from './filter-spec.js';
export { PAYLOAD_TYPES, parsePayload, parseTypedPayload, type PayloadSources, type PayloadType } from './payload-syntax.js';
export { ProtobufPayload, ProtobufTextError, ProtobufTextTypes, isProtobufTypeName, type ProtobufTypeName } from './protobuf-text.js';
export {
  FILE_HEADER_BYTES,
  MAX_RECORD_BODY_BYTES,
  RECORDING_MAGIC,
  RECORDING_VERSION,
  RECORD_HEADER_BYTES,
  RecordingDecoder,
  type RecordedNotification,
  type RecordingEnd,
} from './recording-format.js';
export { renderRecordingSummary, summariseRecording, type RecordingCount, type RecordingSummary } from './recording-info.js';
export { RecordingPlayer, type PlayOptions, type PlayResult } from './recording-player.js';
export { readRecording } from './recording-reader.js';
export { RecordingWriter, type AppendStart, type RecordingWriterOptions } from './recording-writer.js';
export { ScopeStatistics, renderScopeTree, renderStatistics, type ScopeRow, type StatisticsWindow } from './scope-statistics.js';
