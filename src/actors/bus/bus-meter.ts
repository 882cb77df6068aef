import type { Scope } from '../../protocols/rsb/index.js';

/**
 * What a bus tells a meter about each notification that passes through it (published in this
 * process or received from a peer), when one is attached (the monitor's, docs/MONITOR.md). Called
 * on the hot path: an implementation must only bump counters, never allocate per call.
 */
export interface BusMeter {
  /**
   * @param scope the notification's scope
   * @param bytes its encoded size, without the length prefix
   * @param createTime its meta-data's create time, µs since the epoch (0 when it has none)
   */
  record(scope: Scope, bytes: number, createTime: number): void;
}
