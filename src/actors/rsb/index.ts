/**
 * RSB participants on the actorwire bus: Informer, Listener, Reader, LocalServer and
 * RemoteServer, their filters and events, configuration as the originals read it, and the bus
 * itself. Wire-level pieces (scopes, event ids, converters) are re-exported from the protocol
 * layer for convenience.
 * @packageDocumentation
 */
export {
  DEFAULT_RSB_NATS_OPTIONS,
  DEFAULT_RSB_SOCKET_OPTIONS,
  parseRsbConfigFile,
  readRsbConfigFiles,
  resolveRsbNatsOptions,
  resolveRsbSocketOptions,
  rsbConfigFileLocations,
  rsbConfigFromEnvironment,
  type RsbConfigFile,
  type RsbConfigFileLocationOptions,
  type RsbConfigFileReader,
  type RsbConfigSources,
  type RsbConfigValues,
  type RsbNatsConfigSources,
  type RsbNatsOptions,
  type RsbServerMode,
  type RsbSocketOptions,
} from './config.js';
export { NoRespondersError, ParticipantClosedError, RemoteCallError, RsbConfigError } from './errors.js';
export type { RsbEvent, RsbEventHeader } from './event.js';
export { causeFilter, methodFilter, originFilter, scopeFilter, type EventFilter } from './filters.js';
export { Informer, type OutgoingEvent, type PublishOptions } from './informer.js';
export { Listener, type EventHandler, type ListenerOptions } from './listener.js';
export { LocalServer, type MethodHandler } from './local-server.js';
export { Participant } from './participant.js';
export { resolveBusEndpoint, type ParticipantOptions } from './participant-options.js';
export { Reader, type ReaderOptions, type ReaderOverflow } from './reader.js';
export { RemoteServer, type CallOptions, type RemoteServerOptions } from './remote-server.js';
export { REPLY_METHOD, REQUEST_METHOD, RPC_ERROR_KEY, methodScope } from './rpc-constants.js';
export * from '../bus/index.js';
export * from './tools/index.js';
export {
  ConverterRegistry,
  EventId,
  RawPayload,
  RsbError,
  Scope,
  TypedValue,
  asciiString,
  bytesValue,
  float32,
  float64,
  int32,
  int64,
  protobufConverter,
  uint32,
  uint64,
  utf8String,
  type Converter,
  type RsbValue,
} from '../../protocols/rsb/index.js';
