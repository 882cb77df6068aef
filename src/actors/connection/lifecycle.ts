import type { SnapshotFrom } from 'xstate';
import { connectionMachine, type ConnectionMachineInput } from './connection-machine.js';
import { InternedMachine, type InternedState, type InternedStep } from './interned-machine.js';

/** The coarse state of a connection (the top-level state of its machine). */
export type ConnectionStatus = 'connecting' | 'handshaking' | 'open' | 'closing' | 'closed' | 'failed';

/** What a connection reads from its machine's state on its data path, derived once per state. */
export interface LifecycleFacts {
  readonly status: ConnectionStatus;
  /** `send()` is accepted (frames wait in the queue until the handshake is done). */
  readonly acceptsSends: boolean;
  /** Queued frames may be written now: open, and the socket is not pushing back. */
  readonly mayWrite: boolean;
  /** Decoded messages go to `messages$`. */
  readonly delivers: boolean;
  /** Input is still expected: `messages$` has not ended. */
  readonly inputOpen: boolean;
  /** The peer's greeting is awaited (handshaking.awaitingPeer). */
  readonly awaitsGreeting: boolean;
  /** The backlog is being written after a `drain` (open.sending.writing). */
  readonly flushing: boolean;
  /** The socket is held unread because nobody listens yet (open.receiving.holding). */
  readonly holding: boolean;
}

type Snapshot = SnapshotFrom<typeof connectionMachine>;

function factsOf(snapshot: Snapshot): LifecycleFacts {
  const value = snapshot.value;
  const status = (typeof value === 'string' ? value : Object.keys(value)[0]) as ConnectionStatus;
  const open = status === 'open';
  const receivingEnded = snapshot.matches({ open: { receiving: 'ended' } });
  return Object.freeze({
    status,
    acceptsSends: status === 'connecting' || status === 'handshaking' || open,
    mayWrite: open && !snapshot.matches({ open: { sending: 'backpressured' } }),
    delivers: open && !receivingEnded,
    inputOpen: status === 'connecting' || status === 'handshaking' || (open && !receivingEnded),
    awaitsGreeting: snapshot.matches({ handshaking: 'awaitingPeer' }),
    flushing: snapshot.matches({ open: { sending: 'writing' } }),
    holding: snapshot.matches({ open: { receiving: 'holding' } }),
  });
}

/** One state of a connection's machine, shared by every connection in it. */
export type LifecycleState = InternedState<typeof connectionMachine, LifecycleFacts>;

/** One transition of a connection's machine. */
export type LifecycleStep = InternedStep<typeof connectionMachine, LifecycleFacts>;

/**
 * The connection machine, interned: every connection of the process walks the same shared states
 * (docs/ARCHITECTURE.md, "What a connection costs"). Bounded: at most 64 variants of a machine
 * with a few dozen states.
 */
export const connectionLifecycle = new InternedMachine(connectionMachine, factsOf);

/** The initial step of a connection with `input`. */
export function startLifecycle(input: ConnectionMachineInput): LifecycleStep {
  const key =
    (input.startsConnected ? 1 : 0) |
    (input.speaksFirst ? 2 : 0) |
    (input.awaitsPeer ? 4 : 0) |
    (input.answers ? 8 : 0) |
    (input.closeOnPeerEnd ? 16 : 0) |
    (input.hasBye ? 32 : 0);
  return connectionLifecycle.start(input, String(key));
}
