/**
 * actorwire/monitor: the live monitor of a process's servers, buses and engines: a page,
 * `/api/snapshot`, `/api/events` (Server-Sent Events) and `/metrics` (Prometheus). See
 * docs/MONITOR.md.
 * @packageDocumentation
 */
export { Monitor, MIN_INTERVAL_MS, type MonitorOptions, type SnapshotQuery } from './monitor.js';
export { MonitorHttp } from './monitor-http.js';
export { startMonitor, type RunningMonitor } from './running-monitor.js';
export { DEFAULT_MONITOR_ADDRESS, parseMonitorAddress, type MonitorAddress } from './monitor-address.js';
export { MonitorError, type MonitorErrorCode } from './errors.js';
export { METRIC_NAMES, MonitorMetrics, type MetricName } from './metrics.js';
export { ScopeMeter, ScopeCounters, DEFAULT_MAX_SCOPES } from './scope-meter.js';
export type { WatchedConnection, WatchedServer } from './server-probe.js';
export type * from './snapshot.js';
