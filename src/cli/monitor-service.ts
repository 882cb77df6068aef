import { InvalidArgumentError } from 'commander';
import { MonitorError } from '../monitor/errors.js';
import { parseMonitorAddress, type MonitorAddress } from '../monitor/monitor-address.js';
import { startMonitor } from '../monitor/running-monitor.js';
import type { RunningService } from './running-service.js';

/** Reads `--monitor [host:]port` for commander (docs/MONITOR.md). */
export function monitorArgument(value: string): MonitorAddress {
  try {
    return parseMonitorAddress(value);
  } catch (err) {
    if (err instanceof MonitorError) throw new InvalidArgumentError('give [host:]port, e.g. 127.0.0.1:4444 (port 0: a free one, printed).');
    throw err;
  }
}

/** The help text of `--monitor`. */
export const MONITOR_OPTION_HELP = 'serve the live monitor (page, /api/snapshot, /api/events, /metrics; docs/MONITOR.md) on [host:]port (port 0: a free one, printed)';

/**
 * Starts the monitor on `address` with every service that has something to show registered, as
 * one more CLI service: it prints `monitor listening on <host>:<port>` with the others and stops
 * with them.
 */
export async function startMonitorService(address: MonitorAddress, services: readonly RunningService[]): Promise<RunningService> {
  const running = await startMonitor(address);
  for (const service of services) service.watch?.(running.monitor);
  return {
    name: 'monitor',
    address: running.address,
    // It never stops by itself: the services decide.
    stopped: new Promise<void>(() => undefined),
    stop: () => running.close(),
  };
}
