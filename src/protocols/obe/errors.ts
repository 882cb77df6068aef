import { ProtocolError } from '../errors.js';

/**
 * Codes of OBE message problems. A problem with one message is answered with an error reply and
 * the connection goes on; only framing problems (`BAD_HEADER`, `FRAME_TOO_LARGE`) end it.
 */
export type ObeMessageProblem =
  /** The body is not valid UTF-8. */
  | 'INVALID_UTF8'
  /** The body is not JSON (as `json.loads` reads it). */
  | 'INVALID_JSON'
  /** The JSON is not an object. */
  | 'NOT_AN_OBJECT'
  /** The object has no `command` key. */
  | 'MISSING_COMMAND'
  /** `command` is neither a string nor a list of strings. */
  | 'BAD_COMMAND'
  /** The command matches no known command, not even as a substring. */
  | 'UNKNOWN_COMMAND'
  /** A command argument is missing or has the wrong type or shape. */
  | 'BAD_ARGUMENT';

/** A request that the OBE protocol cannot turn into a command. Codes: {@link ObeMessageProblem}. */
export class ObeMessageError extends ProtocolError {
  declare readonly code: ObeMessageProblem;

  constructor(code: ObeMessageProblem, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}
