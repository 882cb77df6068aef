import type { MonitorAddress } from '../monitor/monitor-address.js';
import { MonitorError } from '../monitor/errors.js';
import { startMonitorService } from './monitor-service.js';
import { announce, type RunningService } from './running-service.js';

export type { RunningService } from './running-service.js';

/** Where the monitor goes (`--monitor`), and whether the services run on without it when it cannot start. */
export interface MonitorPlan {
  readonly address: MonitorAddress;
  /** True for a default the user did not ask for: a warning instead of an error. */
  readonly optional: boolean;
}

/**
 * Announces every service, then serves until SIGINT/SIGTERM or until the first service stops by
 * itself; resolves when all are stopped. Signal handlers go in before the announcement, so a
 * script that signals as soon as it reads the line cannot kill the process unhandled. With a
 * monitor address the monitor watches the services and is announced last.
 */
export async function runUntilStopped(started: RunningService[], monitor?: MonitorAddress | MonitorPlan | false): Promise<void> {
  const services = [...started];
  if (monitor) {
    const plan = 'optional' in monitor ? monitor : { address: monitor, optional: false };
    try {
      services.push(await startMonitorService(plan.address, started));
    } catch (err) {
      if (plan.optional && err instanceof MonitorError) {
        process.stderr.write(`actorwire: no monitor (${err.message}); give --monitor <[host:]port> or --no-monitor\n`);
      } else {
        await Promise.all(started.map((s) => s.stop()));
        throw err;
      }
    }
  }
  let stopping: Promise<unknown> | undefined;
  const stopAll = (): Promise<unknown> => (stopping ??= Promise.all(services.map((s) => s.stop())));
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);
  for (const service of services) announce(service);
  await Promise.race(services.map((s) => s.stopped));
  await stopAll();
  // The handlers stay until the process exits: a first signal that arrives while a service that
  // stopped by itself winds down must not turn its clean exit into a kill. A second one still kills.
}
