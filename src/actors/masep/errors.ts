import { ActorwireError } from '../../errors.js';

/**
 * Stable codes of {@link MasepActorError}:
 * - `MASEP_UNKNOWN_GAME`: a game name that the game registry does not hold;
 * - `MASEP_BAD_GAME`: a game definition that cannot run (player counts);
 * - `MASEP_NO_ENGINE`: discovery found no engine;
 * - `MASEP_BAD_POLICY`: a policy module that exports no function, or a policy result that is no action.
 *
 * Problems caused by a peer (bad messages, refusals) are never thrown: the engine drops or
 * refuses and reports them as `MasepEngineEvent`s.
 */
export type MasepActorErrorCode = 'MASEP_UNKNOWN_GAME' | 'MASEP_BAD_GAME' | 'MASEP_NO_ENGINE' | 'MASEP_BAD_POLICY';

/** Raised by the masep engine, interfaces and discovery. */
export class MasepActorError extends ActorwireError {
  declare readonly code: MasepActorErrorCode;

  constructor(code: MasepActorErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}
