import { ActorwireError } from '../../errors.js';

/**
 * Stable codes of {@link BusError}:
 * - `BUS_CLOSED`: the bus was released or lost its connection (e.g. the bus server went away);
 * - `BUS_UNAVAILABLE`: no bus could be created on the endpoint (bind and connect both failed);
 * - `BUS_CONFLICT`: a bus for the endpoint exists in this process with incompatible options.
 */
export type BusErrorCode = 'BUS_CLOSED' | 'BUS_UNAVAILABLE' | 'BUS_CONFLICT';

/**
 * Raised by the bus and its transports.
 *
 * @example
 * ```ts
 * try { await informer.publish('x'); }
 * catch (err) { if (err instanceof BusError && err.code === 'BUS_CLOSED') reconnect(); }
 * ```
 */
export class BusError extends ActorwireError {
  declare readonly code: BusErrorCode;

  constructor(code: BusErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}
