import { assign, setup } from 'xstate';
import { HandshakeError } from '../errors.js';

/** Why a connection ended; `error` carries the failure in {@link ConnectionEnd}. */
export type EndReason =
  | 'local-close'
  | 'drained'
  | 'peer-bye'
  | 'peer-end'
  | 'peer-closed'
  | 'idle-timeout'
  | 'error';

/**
 * The side effects the machine asks for. The connection implements them on its socket; the
 * machine owns only the lifecycle and never sees frame data.
 */
export interface ConnectionEffects {
  /**
   * Sends our preamble or hello and arms the handshake timer (it reports `HANDSHAKE_TIMEOUT`).
   * Only entered for protocols that have a handshake.
   */
  startHandshake(): void;
  /** Entered `open`: start idle supervision, release frames queued during the handshake. */
  opened(): void;
  pauseInput(): void;
  resumeInput(): void;
  /** Writes the backlog queued while backpressured; reports `FLUSHED` or `BACKPRESSURED`. */
  flush(): void;
  /**
   * Orderly shutdown: write what is queued, then the bye if `sendBye`, then half-close, and arm the
   * close timer (it reports `CLOSE_TIMEOUT`).
   */
  beginClosing(sendBye: boolean): void;
  /** Releases the socket and timers and settles `closed`. */
  finish(reason: EndReason, error: Error | undefined): void;
}

/** Events the connection feeds the machine: only edges, never per-frame data. */
export type ConnectionEvent =
  | { type: 'SOCKET_CONNECTED' }
  | { type: 'HANDSHAKE_TIMEOUT' }
  | { type: 'CLOSE_TIMEOUT' }
  | { type: 'HANDSHAKE_DONE' }
  | { type: 'FAIL'; error: Error }
  | { type: 'PAUSE' }
  | { type: 'RESUME' }
  | { type: 'PEER_END' }
  | { type: 'PEER_BYE' }
  | { type: 'FLUSHED' }
  | { type: 'BACKPRESSURED' }
  | { type: 'SOCKET_DRAIN' }
  | { type: 'CLOSE' }
  | { type: 'DRAIN' }
  | { type: 'IDLE_TIMEOUT' }
  | { type: 'SOCKET_CLOSED' };

/** Input of {@link connectionMachine}. */
export interface ConnectionMachineInput {
  effects: ConnectionEffects;
  /** For the message of a handshake timeout. */
  handshakeTimeoutMs: number;
  /** The socket was connected before the machine started (an accepted socket). */
  startsConnected: boolean;
  /** The protocol has a handshake; without one the machine goes straight on to `open`. */
  hasHandshake: boolean;
  /** Close (after flushing) when the peer half-closes, rather than leave that to the owner. */
  closeOnPeerEnd: boolean;
  /** Whether the protocol has a bye message to send when closing in an orderly way. */
  hasBye: boolean;
}

interface ConnectionContext extends ConnectionMachineInput {
  reason: EndReason;
  error: Error | undefined;
}

/**
 * The lifecycle of one connection (DESIGN §3):
 * `connecting → handshaking → open (receiving ∥ sending) → closing → closed`, or `failed`.
 */
export const connectionMachine = setup({
  types: {
    context: {} as ConnectionContext,
    events: {} as ConnectionEvent,
    input: {} as ConnectionMachineInput,
  },
  // The two timers are plain timers owned by the effects, not `after` transitions: a connection
  // lives through them on every lifecycle, and XState's scheduler made them a large share of the
  // cost of a short (connection-per-command) connection.
  guards: {
    closeOnPeerEnd: ({ context }) => context.closeOnPeerEnd,
    startsConnected: ({ context }) => context.startsConnected,
    noHandshake: ({ context }) => !context.hasHandshake,
  },
  actions: {
    startHandshake: ({ context }) => {
      if (context.hasHandshake) context.effects.startHandshake();
    },
    opened: ({ context }) => context.effects.opened(),
    pauseInput: ({ context }) => context.effects.pauseInput(),
    resumeInput: ({ context }) => context.effects.resumeInput(),
    flush: ({ context }) => context.effects.flush(),
    beginClosing: ({ context }) => context.effects.beginClosing(context.hasBye),
    finish: ({ context }) => context.effects.finish(context.reason, context.error),
    recordFailure: assign({
      reason: 'error' as const,
      error: ({ event }) => (event.type === 'FAIL' ? event.error : undefined),
    }),
    recordHandshakeTimeout: assign({
      reason: 'error' as const,
      error: ({ context }) =>
        new HandshakeError('HANDSHAKE_TIMEOUT', `no handshake within ${context.handshakeTimeoutMs} ms`),
    }),
    recordPeerClosed: assign({ reason: 'peer-closed' as const }),
    recordLocalClose: assign({ reason: 'local-close' as const }),
  },
}).createMachine({
  id: 'connection',
  context: ({ input }) => ({ ...input, reason: 'local-close', error: undefined }),
  initial: 'connecting',
  states: {
    connecting: {
      always: { guard: 'startsConnected', target: 'handshaking' },
      on: {
        SOCKET_CONNECTED: 'handshaking',
        FAIL: { target: 'failed', actions: 'recordFailure' },
        CLOSE: { target: 'closed', actions: 'recordLocalClose' },
        SOCKET_CLOSED: { target: 'closed', actions: 'recordPeerClosed' },
      },
    },
    handshaking: {
      always: { guard: 'noHandshake', target: 'open' },
      entry: 'startHandshake',
      on: {
        HANDSHAKE_TIMEOUT: { target: 'failed', actions: 'recordHandshakeTimeout' },
        HANDSHAKE_DONE: 'open',
        FAIL: { target: 'failed', actions: 'recordFailure' },
        CLOSE: { target: 'closed', actions: 'recordLocalClose' },
        DRAIN: { target: 'closed', actions: 'recordLocalClose' },
        PEER_END: { target: 'closed', actions: 'recordPeerClosed' },
        SOCKET_CLOSED: { target: 'closed', actions: 'recordPeerClosed' },
      },
    },
    open: {
      type: 'parallel',
      entry: 'opened',
      states: {
        receiving: {
          initial: 'flowing',
          states: {
            flowing: { on: { PAUSE: 'paused' } },
            paused: {
              entry: 'pauseInput',
              exit: 'resumeInput',
              on: { RESUME: 'flowing' },
            },
            ended: {},
          },
          on: {
            PEER_END: [
              {
                guard: 'closeOnPeerEnd',
                target: '#connection.closing',
                actions: assign({ reason: 'peer-end' as const }),
              },
              { target: '.ended' },
            ],
          },
        },
        // Frames go out once per tick while `idle` without involving the machine (an event costs
        // microseconds, a frame must not); only the slow path of a full socket buffer is modelled.
        sending: {
          initial: 'idle',
          states: {
            idle: { on: { BACKPRESSURED: 'backpressured' } },
            backpressured: { on: { SOCKET_DRAIN: 'writing' } },
            writing: {
              entry: 'flush',
              on: { FLUSHED: 'idle', BACKPRESSURED: 'backpressured' },
            },
          },
        },
      },
      on: {
        CLOSE: { target: 'closed', actions: 'recordLocalClose' },
        DRAIN: { target: 'closing', actions: assign({ reason: 'drained' as const }) },
        PEER_BYE: {
          target: 'closing',
          actions: assign({ reason: 'peer-bye' as const }),
        },
        IDLE_TIMEOUT: { target: 'closing', actions: assign({ reason: 'idle-timeout' as const }) },
        FAIL: { target: 'failed', actions: 'recordFailure' },
        SOCKET_CLOSED: { target: 'closed', actions: 'recordPeerClosed' },
      },
    },
    closing: {
      entry: 'beginClosing',
      on: {
        CLOSE_TIMEOUT: 'closed',
        SOCKET_CLOSED: 'closed',
        CLOSE: 'closed',
        // Errors while closing (a reset after our FIN) end the connection without changing why.
        FAIL: 'closed',
      },
    },
    closed: { type: 'final', entry: 'finish' },
    failed: { type: 'final', entry: 'finish' },
  },
});
