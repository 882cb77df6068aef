import { ActorwireError } from '../errors.js';

/**
 * A command line that cannot be run as written. The CLI prints its message on one line with a
 * hint at the command's help (`see: actorwire obe send --help`) and exits 2.
 */
export class UsageError extends ActorwireError {
  constructor(message: string) {
    super('USAGE', message);
  }
}
