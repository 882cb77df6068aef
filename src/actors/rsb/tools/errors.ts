import { ActorwireError } from '../../../errors.js';

/**
 * Codes of {@link RsbToolError}:
 * - `RSB_BAD_PAYLOAD`: a payload literal (`rsb send`) that no syntax of docs/RSB.md reads;
 * - `RSB_BAD_PROTOBUF_TEXT`: protobuf text that is not a message of its type (a `ProtobufTextError`, with the position);
 * - `RSB_UNKNOWN_PROTOBUF_TYPE`: a protobuf type (`pb:.p.M:…`, `--type .p.M`) that is not registered;
 * - `RSB_BAD_PROTOBUF_PAYLOAD`: a payload whose wire schema is a registered protobuf type that does not decode as it;
 * - `RSB_BAD_DESCRIPTOR_SET`: a `--descriptor-set` file that is not a loadable `google.protobuf.FileDescriptorSet`;
 * - `RSB_BAD_FILTER`: a filter spec (`--filter`) that is not `kind=value` or `kind!=value`;
 * - `RECORDING_BAD_HEADER`: a file that is not an actorwire bus recording (docs/RSB-RECORDING.md);
 * - `RECORDING_BAD_RECORD`: a complete record whose checksum or notification does not hold up.
 */
export type RsbToolErrorCode =
  | 'RSB_BAD_PAYLOAD'
  | 'RSB_BAD_PROTOBUF_TEXT'
  | 'RSB_UNKNOWN_PROTOBUF_TYPE'
  | 'RSB_BAD_PROTOBUF_PAYLOAD'
  | 'RSB_BAD_DESCRIPTOR_SET'
  | 'RSB_BAD_FILTER'
  | 'RECORDING_BAD_HEADER'
  | 'RECORDING_BAD_RECORD';

/** An error of the RSB tools (logger, send, record, play, info), with a stable code. */
export class RsbToolError extends ActorwireError {
  declare readonly code: RsbToolErrorCode;

  constructor(code: RsbToolErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}
