import { CommandRegistry } from './command-registry.js';

/**
 * The handlers of the original's sample server: `cmd01` is acknowledged with `ack`, every other
 * line gets `nak - unknown cmd` (invalid lines included, as the sample ignores the flag).
 * `actorwire oneline serve` uses them when no `--handlers` module is given.
 */
export function sampleHandlers(): CommandRegistry {
  return new CommandRegistry().register('cmd01', () => 'ack').setFallback(() => 'nak - unknown cmd');
}
