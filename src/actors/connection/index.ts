/**
 * The connection machine and the connection it drives.
 * @packageDocumentation
 */
export {
  Connection,
  type ConnectionEnd,
  type ConnectionStats,
  type ConnectionStatus,
} from './connection.js';
export { connectionMachine, type ConnectionEvent, type EndReason } from './connection-machine.js';
export { CONNECTION_DEFAULTS, resolveConnectionOptions, type ConnectionOptions } from './options.js';
export type { OverflowPolicy } from './send-queue.js';
