import { ActorwireError } from '../errors.js';

/** A handshake that failed or did not finish in time. Codes: `HANDSHAKE_TIMEOUT`, `HANDSHAKE_FAILED`. */
export class HandshakeError extends ActorwireError {}

/** An operation that did not complete in time. Code: `TIMEOUT` unless a more specific one is given. */
export class TimeoutError extends ActorwireError {
  constructor(message: string, code = 'TIMEOUT', options?: ErrorOptions) {
    super(code, message, options);
  }
}

/** An operation on a connection, server or client that is closed or closing. Code: `CLOSED`. */
export class ClosedError extends ActorwireError {
  constructor(message = 'the connection is closed', options?: ErrorOptions) {
    super('CLOSED', message, options);
  }
}

/**
 * A send refused because the bounded send queue is full. Code: `QUEUE_FULL`, or
 * `SLOW_CONSUMER` when the queue policy disconnected the peer.
 */
export class QueueFullError extends ActorwireError {}

/** A dial that failed after all retries. Code: `CONNECT_FAILED`. */
export class ConnectError extends ActorwireError {
  constructor(message: string, options?: ErrorOptions) {
    super('CONNECT_FAILED', message, options);
  }
}

/** A socket-level failure (reset, broken pipe). Code: `SOCKET_ERROR`. */
export class SocketError extends ActorwireError {
  constructor(message: string, options?: ErrorOptions) {
    super('SOCKET_ERROR', message, options);
  }
}
