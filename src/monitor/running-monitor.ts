import type { ListenAddress } from '../actors/server.js';
import type { MonitorAddress } from './monitor-address.js';
import { MonitorHttp } from './monitor-http.js';
import { Monitor, type MonitorOptions } from './monitor.js';

/** A monitor serving its page and API (see {@link startMonitor}). */
export interface RunningMonitor {
  readonly monitor: Monitor;
  /** Where its HTTP server listens. */
  readonly address: ListenAddress;
  /** Stops serving and sampling. */
  close(): Promise<void>;
}

/**
 * Starts a {@link Monitor} and its HTTP server on `address` (port 0: a free port). Add the
 * sources to `monitor` afterwards.
 *
 * @example
 * ```ts
 * const running = await startMonitor({ host: '127.0.0.1', port: 0 });
 * running.monitor.addOneline(server);
 * console.log(`monitor listening on ${running.address.host}:${running.address.port}`);
 * ```
 * @throws {@link MonitorError} `MONITOR_LISTEN_FAILED`
 */
export async function startMonitor(address: MonitorAddress, options: MonitorOptions = {}): Promise<RunningMonitor> {
  const monitor = new Monitor(options);
  let http: MonitorHttp;
  try {
    http = await MonitorHttp.listen(monitor, address);
  } catch (err) {
    monitor.close();
    throw err;
  }
  return {
    monitor,
    address: http.address,
    close: async () => {
      monitor.close();
      await http.close();
    },
  };
}
