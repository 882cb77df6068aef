import { ActorwireError } from '../../../errors.js';

/**
 * Codes of {@link RsbToolError}:
 * - `RSB_BAD_PAYLOAD`: a payload literal (`rsb send`) that no syntax of docs/RSB.md reads;
 * - `RSB_BAD_FILTER`: a filter spec (`--filter`) that is not `kind=value` or `kind!=value`;
 * - `RECORDING_BAD_HEADER`: a file that is not an actorwire bus recording (docs/RSB-RECORDING.md);
 * - `RECORDING_BAD_RECORD`: a complete record whose checksum or notification does not hold up.
 */
export type RsbToolErrorCode = 'RSB_BAD_PAYLOAD' | 'RSB_BAD_FILTER' | 'RECORDING_BAD_HEADER' | 'RECORDING_BAD_RECORD';

/** An error of the RSB tools (logger, send, record, play, info), with a stable code. */
export class RsbToolError extends ActorwireError {
  declare readonly code: RsbToolErrorCode;

  constructor(code: RsbToolErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}
