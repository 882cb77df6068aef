import { MonitorError } from './errors.js';

/** Where the monitor's HTTP server listens. */
export interface MonitorAddress {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
}

/** Where `actorwire serve` puts the monitor unless told otherwise. */
export const DEFAULT_MONITOR_ADDRESS: MonitorAddress = Object.freeze({ host: '127.0.0.1', port: 4444 });

/**
 * Reads a `--monitor` value: `port`, `host:port` or `[ipv6]:port`; the host defaults to
 * 127.0.0.1, and port 0 picks a free port.
 *
 * @example
 * ```ts
 * parseMonitorAddress('4444');            // { host: '127.0.0.1', port: 4444 }
 * parseMonitorAddress('127.0.0.1:0');     // { host: '127.0.0.1', port: 0 }
 * ```
 * @throws {@link MonitorError} `MONITOR_BAD_ADDRESS`
 */
export function parseMonitorAddress(text: string): MonitorAddress {
  const value = text.trim();
  let host = DEFAULT_MONITOR_ADDRESS.host;
  let portText = value;
  const bracketed = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(value);
  if (bracketed) {
    host = bracketed[1];
    portText = bracketed[2];
  } else if (value.includes(':')) {
    const colon = value.lastIndexOf(':');
    host = value.slice(0, colon);
    portText = value.slice(colon + 1);
    if (host === '' || host.includes(':')) throw bad(text);
  }
  if (!/^\d+$/.test(portText)) throw bad(text);
  const port = Number(portText);
  if (port > 65535) throw bad(text);
  return { host, port };
}

function bad(text: string): MonitorError {
  return new MonitorError('MONITOR_BAD_ADDRESS', `the monitor address must be [host:]port (port 0-65535, 0 for a free one), got '${text}'`);
}
