/**
 * pymasep communication (MASEP): frames, hello/bye, the `Message` XML codec, the typed value
 * codec, the domain objects and the discovery datagrams. Pure: no sockets, no timers.
 *
 * Error codes (all on {@link MasepError}, a `ProtocolError`): fatal for a connection
 * `EMPTY_FRAME`, `BAD_HANDSHAKE`; per message `MALFORMED_MESSAGE`, `MASEP_XML_DOCTYPE`,
 * `MASEP_BAD_ENVELOPE`, `MASEP_BAD_PARAMS`, `MASEP_BAD_VALUE`, `MASEP_BAD_OBJECT`,
 * `MASEP_UNKNOWN_NAME`; when sending `FRAME_TOO_LARGE`, `MASEP_UNENCODABLE`, `MASEP_BAD_IDENT`;
 * discovery `MASEP_BAD_DISCOVERY`.
 * @packageDocumentation
 */
export { MasepError, type MasepErrorCode } from './errors.js';
export { BYE_FRAME, BYE_PAYLOAD, MAX_PAYLOAD_BYTES, isByePayload } from './frames.js';
export { MAX_IDENT_BYTES, createSubAppId, validateIdent } from './ident.js';
export {
  MasepFrameDecoder,
  createMasepProtocol,
  encodeMasepFrame,
  masepBye,
  masepHandshake,
  masepProtocol,
  type MasepFrame,
  type MasepOutgoing,
  type MasepProtocolOptions,
} from './protocol.js';
export { MessageType, type Message, type MessageTypeName } from './message.js';
export { decodeMessage, encodeMessage, encodeMessageText, type DecodeMessageOptions } from './message-codec.js';
export {
  SubAppRole,
  actionMessage,
  defineMessage,
  endMessage,
  observationMessage,
  quitMessage,
  readAction,
  readDefine,
  readObservation,
  readRegister,
  registerMessage,
  type ObservationParams,
  type RegisterParams,
  type SubAppRoleName,
} from './standard-messages.js';
export {
  Value,
  pythonTypeName,
  type BoolValue,
  type ClassValue,
  type DictValue,
  type FloatValue,
  type IntValue,
  type MasepDict,
  type MasepObject,
  type MasepValue,
  type NoneValue,
  type ObjectValue,
  type SequenceValue,
  type StrValue,
  type XmlValue,
} from './value.js';
export {
  decodeDictEntries,
  decodeValue,
  encodeValue,
  type DecodeContext,
  type ObjectDecoder,
  type ObjectRegistry,
} from './value-codec.js';
export type { JsonValue } from './json-value.js';
export { dictToJson, valueToJson } from './value-json.js';
export { parsePythonFloat, parsePythonInt, pythonFloatRepr } from './python-number.js';
export { AllowList } from './allow-list.js';
export { createObjectRegistry, defaultObjectRegistry, objectDecoders } from './object-registry.js';
export { BaseObject, type BaseObjectFields, type LifecycleState } from './base-object.js';
export { Characteristic, type CharacteristicFields } from './characteristic.js';
export { ObjectState, type ObjectStateFields } from './object-state.js';
export { Container, GameObject, type ContainerFields, type GameObjectChildren, type GameObjectFields, type GameObjectParts } from './game-object.js';
export { Agent, type AgentFields, type AgentMind } from './agent.js';
export { Intention, type IntentionFields } from './intention.js';
export { Belief, type BeliefFields } from './belief.js';
export { Action, ActionType } from './action.js';
export { State, type StateFields } from './state.js';
export { CircularHeadList } from './circular-head-list.js';
// What a decoder of a game's own object class (an ObjectDecoder) reads and writes; the XML reader,
// writer and well-formedness check underneath stay internal.
export { getAttribute, xmlElement, type XmlElement } from './xml-element.js';
export { MasepDecodeCache, type CachedContent } from './decode-cache.js';
export { DeferredPart, type MaybeDeferred } from './deferred-part.js';
export { MAX_XML_DEPTH } from './xml-reader.js';
export {
  DISCOVERY_GROUP,
  DISCOVERY_PORT,
  DISCOVERY_QUERY,
  DISCOVERY_QUERY_TEXT,
  MAX_DISCOVERY_DATAGRAM,
  decodeDiscoveryReply,
  encodeDiscoveryReply,
  isDiscoveryQuery,
  isIPv4Address,
  resolveDiscoveredAddress,
  type DiscoveredAddress,
} from './discovery.js';
