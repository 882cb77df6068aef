/**
 * actorwire: an actor runtime for Node.js speaking the OBE, RSB socket, pymasep and socket-oneline
 * wire protocols. This entry point holds the core (errors, logging, framing, connections, servers,
 * clients); each protocol has two of its own: `actorwire/<protocol>` for its actors and clients,
 * `actorwire/<protocol>/protocol` for its pure wire layer (docs/ARCHITECTURE.md, "Entry points").
 * @packageDocumentation
 */
export { ActorwireError } from './errors.js';
export { createLogger, setLogLevel, setLogRateLimit, setLogSink, LOG_MAX_LINE_CHARS, LOG_MAX_VALUE_CHARS, type LogFields, type Logger, type LogLevel, type LogRateLimit } from './logger.js';
export { ProtocolError, type ProtocolErrorCode } from './protocols/errors.js';
export * from './protocols/framing/index.js';
export { rejectedFrame, type Decoded, type RejectedFrame } from './protocols/decoded.js';
export type { ByeSpec, HandshakeSpec, HelloHandshake, PreambleHandshake, Protocol, Role } from './protocols/protocol.js';
export * from './actors/connection/index.js';
export { ClosedError, ConnectError, HandshakeError, QueueFullError, SocketError, TimeoutError } from './actors/errors.js';
export { Server, refuseWithFin, type AdmissionOverflow, type ListenAddress, type ServerOptions, type ServerStats } from './actors/server.js';
export { dial, type DialOptions } from './actors/client.js';
export { Backoff, backoffDelay, type BackoffOptions } from './actors/backoff.js';
