import { ActorwireError } from '../errors.js';

/** A command line that cannot be run as written; the CLI prints it with the usage and exits 2. */
export class UsageError extends ActorwireError {
  constructor(message: string) {
    super('USAGE', message);
  }
}
