import { ActorwireError } from '../errors.js';

/**
 * Stable codes of {@link MonitorError}:
 * - `MONITOR_BAD_ADDRESS`: a `--monitor` value that is not `[host:]port`;
 * - `MONITOR_LISTEN_FAILED`: the monitor's HTTP server could not bind (e.g. the port is taken);
 * - `MONITOR_CLOSED`: something was asked of a monitor that has been closed;
 * - `MONITOR_DUPLICATE_NAME`: two sources were given the same name.
 */
export type MonitorErrorCode = 'MONITOR_BAD_ADDRESS' | 'MONITOR_LISTEN_FAILED' | 'MONITOR_CLOSED' | 'MONITOR_DUPLICATE_NAME';

/**
 * An error of the live monitor (docs/MONITOR.md).
 *
 * @example
 * ```ts
 * try { parseMonitorAddress('nope'); }
 * catch (err) { if (err instanceof MonitorError && err.code === 'MONITOR_BAD_ADDRESS') { ... } }
 * ```
 */
export class MonitorError extends ActorwireError {
  declare readonly code: MonitorErrorCode;

  constructor(code: MonitorErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}
