/**
 * The RSB bus: a hub of notifications with local delivery through a scope tree, and its
 * transports (`inprocess`; `socket` as bus server or bus client), shared per endpoint and
 * reference-counted.
 * @packageDocumentation
 */
export { Bus, type BusEnd, type BusSink, type BusStats, type BusStatus } from './bus.js';
export { acquireBus, type BusEndpoint, type BusLease, type BusServerMode } from './bus-registry.js';
export { SOCKET_BUS_DEFAULTS, type SocketBusTuning } from './bus-options.js';
export { FramedNotification, createBusProtocol, type BusOutgoing } from './bus-protocol.js';
export type { BusRole, BusTransport, BusTransportHooks, BusTransportStats } from './bus-transport.js';
export { BusError, type BusErrorCode } from './errors.js';
export { InProcessTransport } from './inprocess-transport.js';
export type { SlowPeerPolicy } from './peer-link.js';
export { SocketBusClient, type SocketBusClientOptions } from './socket-bus-client.js';
export { SocketBusServer, type SocketBusServerOptions } from './socket-bus-server.js';
