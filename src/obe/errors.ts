import { ActorwireError } from '../errors.js';

/**
 * Stable codes of the OBE service (engine actor, server, client, run specs). Errors of the numeric
 * core keep their own codes (`ZERO_WEIGHTS`, `SHAPE_MISMATCH`, ...; see `core/errors.ts`).
 */
export type ObeServiceErrorCode =
  /** A run spec (config file or `newrun` message) that does not validate. */
  | 'INVALID_RUN_SPEC'
  /** An engine command before any run exists (no `newrun` yet on a server started without a run). */
  | 'NO_RUN'
  /** A command argument that is missing or of the wrong type or shape. */
  | 'BAD_ARGUMENT'
  /** The engine's worker thread died; the actor restarts it on the next command. */
  | 'ENGINE_CRASHED'
  /** The engine actor was stopped. */
  | 'ENGINE_STOPPED'
  /** Too many commands waiting for the engine. */
  | 'ENGINE_BUSY'
  /** A run that would take more memory than the server's budget (`maxRunBytes`). */
  | 'RUN_TOO_LARGE'
  /** A reply that would be larger than the server's budget (`maxReplyBytes`); ask for less. */
  | 'REPLY_TOO_LARGE'
  /** A reply that is not what the command should return (client side). */
  | 'BAD_REPLY'
  /** The server answered with an error reply (client side); see {@link ObeCommandError.remoteCode}. */
  | 'COMMAND_FAILED';

/** Base class of the errors of the OBE service. */
export class ObeServiceError extends ActorwireError {
  declare readonly code: ObeServiceErrorCode;

  constructor(code: ObeServiceErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}

/** A run spec that does not validate; the message names the offending field. Code: `INVALID_RUN_SPEC`. */
export class RunSpecError extends ObeServiceError {
  constructor(message: string, options?: ErrorOptions) {
    super('INVALID_RUN_SPEC', message, options);
  }
}

/** An engine command with no run to apply it to. Code: `NO_RUN`. */
export class NoRunError extends ObeServiceError {
  constructor(message = 'no run: send newrun first', options?: ErrorOptions) {
    super('NO_RUN', message, options);
  }
}

/** A run refused because it would exceed the server's memory budget. Code: `RUN_TOO_LARGE`. */
export class RunTooLargeError extends ObeServiceError {
  constructor(message: string, options?: ErrorOptions) {
    super('RUN_TOO_LARGE', message, options);
  }
}

/** A reply refused because it would exceed the server's reply budget. Code: `REPLY_TOO_LARGE`. */
export class ReplyTooLargeError extends ObeServiceError {
  constructor(message: string, options?: ErrorOptions) {
    super('REPLY_TOO_LARGE', message, options);
  }
}

/** A command argument that is missing or malformed (`newdat` without `s`, ...). Code: `BAD_ARGUMENT`. */
export class BadArgumentError extends ObeServiceError {
  constructor(message: string, options?: ErrorOptions) {
    super('BAD_ARGUMENT', message, options);
  }
}

/** The worker thread of an engine exited or threw outside a command. Code: `ENGINE_CRASHED`. */
export class EngineCrashedError extends ObeServiceError {
  constructor(message: string, options?: ErrorOptions) {
    super('ENGINE_CRASHED', message, options);
  }
}

/** A command sent to an engine actor that has been stopped. Code: `ENGINE_STOPPED`. */
export class EngineStoppedError extends ObeServiceError {
  constructor(message = 'the engine is stopped', options?: ErrorOptions) {
    super('ENGINE_STOPPED', message, options);
  }
}

/** The engine's mailbox is full. Code: `ENGINE_BUSY`. */
export class EngineBusyError extends ObeServiceError {
  constructor(message: string, options?: ErrorOptions) {
    super('ENGINE_BUSY', message, options);
  }
}

/** A reply that does not have the shape the command returns. Code: `BAD_REPLY`. */
export class ObeReplyError extends ObeServiceError {
  constructor(message: string, options?: ErrorOptions) {
    super('BAD_REPLY', message, options);
  }
}

/**
 * The server answered a command with `{"error": ..., "command": ...}`. Code: `COMMAND_FAILED`;
 * the server's own code (e.g. `NO_RUN`, `UNKNOWN_COMMAND`), when it sent one, is in {@link remoteCode}.
 */
export class ObeCommandError extends ObeServiceError {
  /** The command as sent. */
  readonly command: string;
  /** The server's error code, when the reply carried one. */
  readonly remoteCode: string | undefined;

  constructor(command: string, message: string, remoteCode?: string, options?: ErrorOptions) {
    super('COMMAND_FAILED', `${command}: ${message}`, options);
    this.command = command;
    this.remoteCode = remoteCode;
  }
}
