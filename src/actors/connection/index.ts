/**
 * The connection machine and the connection it drives.
 * @packageDocumentation
 */
export { Connection, type ConnectionEnd } from './connection.js';
export type { ConnectionStats } from './connection-stats.js';
export type { ConnectionStatus, LifecycleFacts } from './lifecycle.js';
export { ConnectionTemplate, type StatusObserver } from './connection-template.js';
export {
  connectionMachine,
  type ConnectionEffect,
  type ConnectionEvent,
  type ConnectionEventType,
  type ConnectionMachineInput,
  type EndReason,
} from './connection-machine.js';
export { CONNECTION_DEFAULTS, resolveConnectionOptions, type ConnectionOptions } from './options.js';
export type { OverflowPolicy } from './send-queue.js';
export { systemClock, type Clock, type ClockTimer } from '../clock.js';
