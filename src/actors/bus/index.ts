/**
 * The RSB bus: a hub of notifications with local delivery through a scope tree, and its
 * transports (`inprocess`; `socket` as bus server or bus client; `nats`; the socket-NATS
 * bridge), shared per endpoint and reference-counted.
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
export type { NatsBusEvent } from './transports/nats-events.js';
export { NATS_BUS_DEFAULTS, type NatsBusOptions, type NatsBusTuning } from './transports/nats-options.js';
export { DEFAULT_SUBJECT_PREFIX, rpcSubject, scopeToSubject, subjectToScope, subscriptionSubjects } from '../../protocols/rsb/nats/nats-subject.js';
export { NatsBusTransport, type NatsTransportStats } from './transports/nats-transport.js';
export { NatsBridgeTransport, type NatsBridgeStats } from './transports/nats-bridge.js';
