import { setup } from 'xstate';

/** Why a connection ended; `error` carries the failure in `ConnectionEnd`. */
export type EndReason =
  | 'local-close'
  | 'drained'
  | 'peer-bye'
  | 'peer-end'
  | 'peer-closed'
  | 'idle-timeout'
  | 'error';

/**
 * The edges a connection tells its machine about. Events carry no data: what an edge needs
 * (the error of a failure, the bytes of a greeting) stays with the connection, so that the
 * machine's answer to an edge depends only on its state (see `interned-machine.ts`).
 */
export type ConnectionEventType =
  /** A dialled socket connected. */
  | 'SOCKET_CONNECTED'
  /** The peer's greeting arrived and was valid. */
  | 'PEER_GREETING'
  | 'HANDSHAKE_TIMEOUT'
  | 'CLOSE_TIMEOUT'
  /** Protocol, socket or handshake failure; the connection holds the error. */
  | 'FAIL'
  /** The consumer asked to stop reading. */
  | 'PAUSE'
  | 'RESUME'
  /** Messages arrived before anyone subscribed and the early buffer is full. */
  | 'HOLD'
  /** Someone subscribed to the messages: the early buffer was released. */
  | 'SUBSCRIBED'
  /** The peer half-closed its side. */
  | 'PEER_END'
  /** The peer sent the protocol's bye. */
  | 'PEER_BYE'
  /** The send backlog was written and the socket took it all. */
  | 'FLUSHED'
  /** The socket's buffer is full (`write` returned false). */
  | 'BACKPRESSURED'
  /** The socket's buffer emptied (`drain`). */
  | 'SOCKET_DRAIN'
  /** `close()`: end at once. */
  | 'CLOSE'
  /** `drain()`: flush, bye, half-close. */
  | 'DRAIN'
  | 'IDLE_TIMEOUT'
  | 'SOCKET_CLOSED';

/** An event of {@link connectionMachine}. */
export interface ConnectionEvent {
  readonly type: ConnectionEventType;
}

/**
 * The static facts a machine is started with. They choose the path through the machine (its
 * guards read only these), and they are the same for every connection of one server, so the
 * machine's transitions can be computed once and shared.
 */
export interface ConnectionMachineInput {
  /** The socket was connected before the machine started (an accepted socket). */
  readonly startsConnected: boolean;
  /** We send a greeting first (RSB server's zero bytes, a hello initiator). */
  readonly speaksFirst: boolean;
  /** We wait for the peer's greeting and validate it. */
  readonly awaitsPeer: boolean;
  /** Once the peer's greeting is valid we answer with our own (a hello responder). */
  readonly answers: boolean;
  /** Close (after flushing) when the peer half-closes, rather than leave that to the owner. */
  readonly closeOnPeerEnd: boolean;
  /** The protocol has a bye message to send when closing in an orderly way. */
  readonly hasBye: boolean;
}

/**
 * What the machine asks the connection to do, by name. The connection carries them out
 * (`connection.ts`); the machine never touches the socket, a timer or frame data itself.
 */
export type ConnectionEffect =
  | 'sendGreeting'
  | 'sendAnswer'
  | 'awaitGreeting'
  | 'stopAwaitingGreeting'
  | 'opened'
  | 'pauseInput'
  | 'resumeInput'
  | 'endInput'
  | 'flushBacklog'
  | 'writeRemaining'
  | 'sendBye'
  | 'halfClose'
  | 'endBecause'
  | 'finish';

// Effects are carried out by the connection from the action list XState returns; these do nothing.
const byConnection = (): void => undefined;

const endBecause = (reason: EndReason) => ({ type: 'endBecause' as const, params: { reason } });

/**
 * The lifecycle of one connection (docs/ARCHITECTURE.md, "The connection machine"):
 *
 * ```
 * connecting → handshaking → open (receiving ∥ sending) → closing → closed
 *                  │            └──────────────────────────────────→ failed
 *                  └── starting → greeting → awaitingPeer → answering
 * ```
 *
 * Every top-level state except `closing` can also end in `closed` (close(), the socket closed)
 * or `failed` (a protocol, socket or handshake error).
 *
 * - `handshaking` walks the protocol's handshake as data: whether we speak first, wait for the
 *   peer's greeting, and answer it (none of them for protocols without a handshake).
 * - `open.receiving`: `flowing`, `paused` (the consumer asked), `holding` (nobody listens yet and
 *   the early buffer is full), `ended` (the peer half-closed and the owner closes later).
 * - `open.sending`: `idle` (frames go out once per tick without involving the machine),
 *   `backpressured` (the socket's buffer is full), `writing` (the backlog is being written).
 * - `closing`: `flushing` what is queued, `sayingBye` (protocols with a bye), `halfClosed` (our
 *   FIN is out, waiting for the peer's close or the close timer).
 *
 * The reason a connection ended is recorded by the `endBecause` effect on the edge that decides
 * it; a failure while closing ends the connection without changing that reason.
 */
export const connectionMachine = setup({
  types: {
    context: {} as ConnectionMachineInput,
    events: {} as ConnectionEvent,
    input: {} as ConnectionMachineInput,
  },
  guards: {
    startsConnected: ({ context }) => context.startsConnected,
    noHandshake: ({ context }) => !context.speaksFirst && !context.awaitsPeer,
    speaksFirst: ({ context }) => context.speaksFirst,
    awaitsPeer: ({ context }) => context.awaitsPeer,
    answers: ({ context }) => context.answers,
    hasBye: ({ context }) => context.hasBye,
    closeOnPeerEnd: ({ context }) => context.closeOnPeerEnd,
  },
  actions: {
    sendGreeting: byConnection,
    sendAnswer: byConnection,
    awaitGreeting: byConnection,
    stopAwaitingGreeting: byConnection,
    opened: byConnection,
    pauseInput: byConnection,
    resumeInput: byConnection,
    endInput: byConnection,
    flushBacklog: byConnection,
    writeRemaining: byConnection,
    sendBye: byConnection,
    halfClose: byConnection,
    endBecause: (_, _params: { reason: EndReason }) => undefined,
    finish: byConnection,
  },
}).createMachine({
  id: 'connection',
  context: ({ input }) => input,
  initial: 'connecting',
  states: {
    connecting: {
      always: { guard: 'startsConnected', target: 'handshaking' },
      on: {
        SOCKET_CONNECTED: 'handshaking',
        FAIL: { target: 'failed', actions: endBecause('error') },
        CLOSE: { target: 'closed', actions: endBecause('local-close') },
        DRAIN: { target: 'closed', actions: endBecause('local-close') },
        SOCKET_CLOSED: { target: 'closed', actions: endBecause('peer-closed') },
      },
    },
    handshaking: {
      initial: 'starting',
      states: {
        starting: {
          always: [
            { guard: 'noHandshake', target: '#connection.open' },
            { guard: 'speaksFirst', target: 'greeting' },
            { target: 'awaitingPeer' },
          ],
        },
        greeting: {
          entry: 'sendGreeting',
          always: [{ guard: 'awaitsPeer', target: 'awaitingPeer' }, { target: '#connection.open' }],
        },
        awaitingPeer: {
          entry: 'awaitGreeting',
          exit: 'stopAwaitingGreeting',
          on: {
            PEER_GREETING: [{ guard: 'answers', target: 'answering' }, { target: '#connection.open' }],
            HANDSHAKE_TIMEOUT: { target: '#connection.failed', actions: endBecause('error') },
          },
        },
        answering: {
          entry: 'sendAnswer',
          always: '#connection.open',
        },
      },
      on: {
        FAIL: { target: 'failed', actions: endBecause('error') },
        CLOSE: { target: 'closed', actions: endBecause('local-close') },
        DRAIN: { target: 'closed', actions: endBecause('local-close') },
        PEER_END: { target: 'closed', actions: endBecause('peer-closed') },
        SOCKET_CLOSED: { target: 'closed', actions: endBecause('peer-closed') },
      },
    },
    open: {
      type: 'parallel',
      entry: 'opened',
      states: {
        receiving: {
          initial: 'flowing',
          // Input is delivered only while open: leaving `open` ends `messages$`.
          exit: 'endInput',
          states: {
            flowing: { on: { PAUSE: 'paused', HOLD: 'holding' } },
            paused: {
              entry: 'pauseInput',
              exit: 'resumeInput',
              on: { RESUME: 'flowing' },
            },
            holding: {
              entry: 'pauseInput',
              exit: 'resumeInput',
              on: { SUBSCRIBED: 'flowing', PAUSE: 'paused' },
            },
            ended: { entry: 'endInput' },
          },
          on: {
            PEER_END: [
              { guard: 'closeOnPeerEnd', target: '#connection.closing', actions: endBecause('peer-end') },
              { target: '.ended' },
            ],
          },
        },
        sending: {
          initial: 'idle',
          states: {
            idle: { on: { BACKPRESSURED: 'backpressured' } },
            backpressured: { on: { SOCKET_DRAIN: 'writing' } },
            writing: {
              entry: 'flushBacklog',
              on: { FLUSHED: 'idle', BACKPRESSURED: 'backpressured' },
            },
          },
        },
      },
      on: {
        CLOSE: { target: 'closed', actions: endBecause('local-close') },
        DRAIN: { target: 'closing', actions: endBecause('drained') },
        PEER_BYE: { target: 'closing', actions: endBecause('peer-bye') },
        IDLE_TIMEOUT: { target: 'closing', actions: endBecause('idle-timeout') },
        FAIL: { target: 'failed', actions: endBecause('error') },
        SOCKET_CLOSED: { target: 'closed', actions: endBecause('peer-closed') },
      },
    },
    closing: {
      initial: 'flushing',
      states: {
        // Sends are refused from here on; what was queued still goes out, then the bye.
        flushing: {
          entry: 'writeRemaining',
          always: [{ guard: 'hasBye', target: 'sayingBye' }, { target: 'halfClosed' }],
        },
        sayingBye: { entry: 'sendBye', always: 'halfClosed' },
        // Our FIN is out; input is read and discarded until the peer closes or the close timer fires.
        halfClosed: { entry: 'halfClose' },
      },
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
