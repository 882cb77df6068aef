import { ActorwireError } from '../../errors.js';

/**
 * Raised for an `rsb.conf` line or an option value the originals would not accept either
 * (code `RSB_BAD_CONFIG`). The message names the source (file path or environment variable).
 */
export class RsbConfigError extends ActorwireError {
  constructor(message: string, options?: ErrorOptions) {
    super('RSB_BAD_CONFIG', message, options);
  }
}

/**
 * The remote method of an RPC call failed: its reply carried the user info `rsb:error?`
 * (code `RSB_REMOTE_ERROR`). The message is the reply's text, as the server wrote it.
 */
export class RemoteCallError extends ActorwireError {
  constructor(
    /** The method's scope, e.g. `/demo/rpc/echo/`. */
    readonly methodScope: string,
    message: string,
  ) {
    super('RSB_REMOTE_ERROR', message);
  }
}

/**
 * Nobody serves the called method: the transport knows it at once (NATS no-responders), so the
 * call fails fast instead of waiting for its timeout (code `RSB_NO_RESPONDERS`). Transports that
 * cannot tell (socket, in-process) time out as in the originals.
 */
export class NoRespondersError extends ActorwireError {
  constructor(
    /** The method's scope, e.g. `/demo/rpc/echo/`. */
    readonly methodScope: string,
  ) {
    super('RSB_NO_RESPONDERS', `no server answers ${methodScope}`);
  }
}

/** A participant used after `close()` (code `RSB_PARTICIPANT_CLOSED`). */
export class ParticipantClosedError extends ActorwireError {
  constructor(message: string) {
    super('RSB_PARTICIPANT_CLOSED', message);
  }
}
