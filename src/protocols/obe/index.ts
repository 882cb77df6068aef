/**
 * OBE (optbayesexpt) wire protocol: 10-digit decimal length header + JSON written and read as
 * Python's `json` module does (spec §4).
 * @packageDocumentation
 */
export { PythonInt, isJsonObject, jsonNumber, type PythonJson, type PythonJsonObject } from './python-json-value.js';
export { pythonFloatRepr, pythonJsonDumps, pythonJsonString } from './python-json-encode.js';
export { MAX_JSON_DEPTH, pythonJsonLoads, PythonJsonSyntaxError, type PythonJsonLoadsOptions } from './python-json-parse.js';
export { ObeMessageError, type ObeMessageProblem } from './errors.js';
export {
  DEFAULT_MAX_BODY_BYTES,
  decodeObeBody,
  ObeFrameDecoder,
  type ObeBrokenFrame,
  type ObeFrame,
  type ObeFrameDecoderOptions,
  type ObeJsonFrame,
} from './framing.js';
export {
  describeJson,
  matchObeCommand,
  OBE_COMMANDS,
  OBE_EXACT_ONLY_COMMANDS,
  parseObeRequest,
  sentCommandOf,
  type ObeCommandName,
  type ObeEngineCommandName,
  type ObeRequest,
} from './commands.js';
export { isObeErrorReply, type ObeCommandArgs, type ObeCommandReplies, type ObeErrorReply, type ObeOk } from './messages.js';
export { EncodedJsonBody, EncodedObeFrame, encodeObeBody, encodeObeMessage, obeProtocol, type ObeOutbound, type ObeProtocolOptions } from './protocol.js';
