import { describe, expect, it } from 'vitest';
import { createActor, initialTransition, transition, type SnapshotFrom, type StateValue } from 'xstate';
import {
  connectionMachine,
  type ConnectionEventType,
  type ConnectionMachineInput,
} from '../../../src/actors/connection/connection-machine.js';
import { ALL_MACHINE_INPUTS, CONNECTION_EVENTS } from '../../helpers/machine-inputs.js';

type Snapshot = SnapshotFrom<typeof connectionMachine>;

const EVENTS = CONNECTION_EVENTS;

/** The machine's inputs by the situation they describe. */
const VARIANTS = {
  /** A server of a protocol without handshake or bye (OBE, oneline). */
  plain: { startsConnected: true, speaksFirst: false, awaitsPeer: false, answers: false, closeOnPeerEnd: true, hasBye: false },
  /** The same, the owner deciding what a peer's EOF means (OBE, oneline servers). */
  ownerCloses: { startsConnected: true, speaksFirst: false, awaitsPeer: false, answers: false, closeOnPeerEnd: false, hasBye: false },
  /** RSB server: sends the four zero bytes first. */
  preambleSender: { startsConnected: true, speaksFirst: true, awaitsPeer: false, answers: false, closeOnPeerEnd: true, hasBye: false },
  /** RSB client, still connecting: waits for the four zero bytes. */
  preambleReceiver: { startsConnected: false, speaksFirst: false, awaitsPeer: true, answers: false, closeOnPeerEnd: true, hasBye: false },
  /** pymasep client: sends its hello, waits for the engine's; says BYE when leaving. */
  helloInitiator: { startsConnected: true, speaksFirst: true, awaitsPeer: true, answers: false, closeOnPeerEnd: true, hasBye: true },
  /** pymasep engine: waits for the hello, answers with its own. */
  helloResponder: { startsConnected: true, speaksFirst: false, awaitsPeer: true, answers: true, closeOnPeerEnd: true, hasBye: true },
} satisfies Record<string, ConnectionMachineInput>;
type Variant = keyof typeof VARIANTS;

const OPEN_FLOWING = { open: { receiving: 'flowing', sending: 'idle' } };

function at(variant: Variant, value: StateValue): Snapshot {
  return connectionMachine.resolveState({ value, context: VARIANTS[variant] });
}

/** The effects of a step as the connection sees them: names, with the end reason where one is given. */
function effectsOf(actions: ReadonlyArray<{ type: string; params?: unknown }>): string[] {
  return actions.map((a) => (a.type === 'endBecause' ? `endBecause:${(a.params as { reason: string }).reason}` : a.type));
}

function step(variant: Variant, from: StateValue, event: ConnectionEventType): { to: StateValue; status: string; effects: string[] } {
  const [next, actions] = transition(connectionMachine, at(variant, from), { type: event });
  return { to: next.value, status: next.status, effects: effectsOf(actions) };
}

describe('connectionMachine: its edges, as a table', () => {
  // [variant, from, event, to, effects in order]
  const EDGES: Array<[Variant, StateValue, ConnectionEventType, StateValue, string[]]> = [
    // connecting
    ['preambleReceiver', 'connecting', 'SOCKET_CONNECTED', { handshaking: 'awaitingPeer' }, ['awaitGreeting']],
    ['preambleReceiver', 'connecting', 'FAIL', 'failed', ['endBecause:error', 'finish']],
    ['preambleReceiver', 'connecting', 'CLOSE', 'closed', ['endBecause:local-close', 'finish']],
    ['preambleReceiver', 'connecting', 'DRAIN', 'closed', ['endBecause:local-close', 'finish']],
    ['preambleReceiver', 'connecting', 'SOCKET_CLOSED', 'closed', ['endBecause:peer-closed', 'finish']],
    // handshaking
    ['preambleReceiver', { handshaking: 'awaitingPeer' }, 'PEER_GREETING', OPEN_FLOWING, ['stopAwaitingGreeting', 'opened']],
    ['helloResponder', { handshaking: 'awaitingPeer' }, 'PEER_GREETING', OPEN_FLOWING, ['stopAwaitingGreeting', 'sendAnswer', 'opened']],
    ['helloInitiator', { handshaking: 'awaitingPeer' }, 'PEER_GREETING', OPEN_FLOWING, ['stopAwaitingGreeting', 'opened']],
    ['helloResponder', { handshaking: 'awaitingPeer' }, 'HANDSHAKE_TIMEOUT', 'failed', ['stopAwaitingGreeting', 'endBecause:error', 'finish']],
    ['helloResponder', { handshaking: 'awaitingPeer' }, 'FAIL', 'failed', ['stopAwaitingGreeting', 'endBecause:error', 'finish']],
    ['helloResponder', { handshaking: 'awaitingPeer' }, 'CLOSE', 'closed', ['stopAwaitingGreeting', 'endBecause:local-close', 'finish']],
    ['helloResponder', { handshaking: 'awaitingPeer' }, 'DRAIN', 'closed', ['stopAwaitingGreeting', 'endBecause:local-close', 'finish']],
    ['helloResponder', { handshaking: 'awaitingPeer' }, 'PEER_END', 'closed', ['stopAwaitingGreeting', 'endBecause:peer-closed', 'finish']],
    ['helloResponder', { handshaking: 'awaitingPeer' }, 'SOCKET_CLOSED', 'closed', ['stopAwaitingGreeting', 'endBecause:peer-closed', 'finish']],
    ['helloResponder', { handshaking: 'awaitingPeer' }, 'PAUSE', { handshaking: 'awaitingPeer' }, []],
    // open: receiving
    ['plain', OPEN_FLOWING, 'PAUSE', { open: { receiving: 'paused', sending: 'idle' } }, ['pauseInput']],
    ['plain', { open: { receiving: 'paused', sending: 'idle' } }, 'RESUME', OPEN_FLOWING, ['resumeInput']],
    ['plain', { open: { receiving: 'paused', sending: 'idle' } }, 'HOLD', { open: { receiving: 'paused', sending: 'idle' } }, []],
    ['plain', OPEN_FLOWING, 'HOLD', { open: { receiving: 'holding', sending: 'idle' } }, ['pauseInput']],
    ['plain', { open: { receiving: 'holding', sending: 'idle' } }, 'SUBSCRIBED', OPEN_FLOWING, ['resumeInput']],
    ['plain', { open: { receiving: 'holding', sending: 'idle' } }, 'PAUSE', { open: { receiving: 'paused', sending: 'idle' } }, ['resumeInput', 'pauseInput']],
    ['plain', OPEN_FLOWING, 'PEER_END', { closing: 'halfClosed' }, ['endInput', 'endBecause:peer-end', 'writeRemaining', 'halfClose']],
    ['helloResponder', OPEN_FLOWING, 'PEER_END', { closing: 'halfClosed' }, ['endInput', 'endBecause:peer-end', 'writeRemaining', 'sendBye', 'halfClose']],
    ['ownerCloses', OPEN_FLOWING, 'PEER_END', { open: { receiving: 'ended', sending: 'idle' } }, ['endInput']],
    ['ownerCloses', { open: { receiving: 'paused', sending: 'idle' } }, 'PEER_END', { open: { receiving: 'ended', sending: 'idle' } }, ['resumeInput', 'endInput']],
    ['ownerCloses', { open: { receiving: 'ended', sending: 'idle' } }, 'RESUME', { open: { receiving: 'ended', sending: 'idle' } }, []],
    // open: sending
    ['plain', OPEN_FLOWING, 'BACKPRESSURED', { open: { receiving: 'flowing', sending: 'backpressured' } }, []],
    ['plain', { open: { receiving: 'flowing', sending: 'backpressured' } }, 'SOCKET_DRAIN', { open: { receiving: 'flowing', sending: 'writing' } }, ['flushBacklog']],
    ['plain', { open: { receiving: 'flowing', sending: 'writing' } }, 'FLUSHED', OPEN_FLOWING, []],
    ['plain', { open: { receiving: 'flowing', sending: 'writing' } }, 'BACKPRESSURED', { open: { receiving: 'flowing', sending: 'backpressured' } }, []],
    ['plain', OPEN_FLOWING, 'SOCKET_DRAIN', OPEN_FLOWING, []],
    ['plain', OPEN_FLOWING, 'FLUSHED', OPEN_FLOWING, []],
    // open: the whole connection
    ['plain', OPEN_FLOWING, 'CLOSE', 'closed', ['endInput', 'endBecause:local-close', 'finish']],
    ['plain', OPEN_FLOWING, 'DRAIN', { closing: 'halfClosed' }, ['endInput', 'endBecause:drained', 'writeRemaining', 'halfClose']],
    ['helloInitiator', OPEN_FLOWING, 'DRAIN', { closing: 'halfClosed' }, ['endInput', 'endBecause:drained', 'writeRemaining', 'sendBye', 'halfClose']],
    ['helloInitiator', OPEN_FLOWING, 'PEER_BYE', { closing: 'halfClosed' }, ['endInput', 'endBecause:peer-bye', 'writeRemaining', 'sendBye', 'halfClose']],
    ['plain', OPEN_FLOWING, 'IDLE_TIMEOUT', { closing: 'halfClosed' }, ['endInput', 'endBecause:idle-timeout', 'writeRemaining', 'halfClose']],
    ['plain', OPEN_FLOWING, 'FAIL', 'failed', ['endInput', 'endBecause:error', 'finish']],
    ['plain', OPEN_FLOWING, 'SOCKET_CLOSED', 'closed', ['endInput', 'endBecause:peer-closed', 'finish']],
    ['plain', { open: { receiving: 'paused', sending: 'backpressured' } }, 'CLOSE', 'closed', ['resumeInput', 'endInput', 'endBecause:local-close', 'finish']],
    // closing
    ['plain', { closing: 'halfClosed' }, 'SOCKET_CLOSED', 'closed', ['finish']],
    ['plain', { closing: 'halfClosed' }, 'CLOSE_TIMEOUT', 'closed', ['finish']],
    ['plain', { closing: 'halfClosed' }, 'CLOSE', 'closed', ['finish']],
    ['plain', { closing: 'halfClosed' }, 'FAIL', 'closed', ['finish']],
    ['plain', { closing: 'halfClosed' }, 'DRAIN', { closing: 'halfClosed' }, []],
    ['plain', { closing: 'halfClosed' }, 'PEER_END', { closing: 'halfClosed' }, []],
    ['plain', { closing: 'halfClosed' }, 'IDLE_TIMEOUT', { closing: 'halfClosed' }, []],
  ];

  it.each(EDGES)('%s: %j --%s--> %j', (variant, from, event, to, effects) => {
    const result = step(variant, from, event);
    expect(result.to).toEqual(to);
    expect(result.effects).toEqual(effects);
  });

  it('final states take no event', () => {
    for (const final of ['closed', 'failed']) {
      for (const event of EVENTS) {
        const [next, actions] = transition(connectionMachine, at('plain', final), { type: event });
        expect(next.value).toBe(final);
        expect(next.status).toBe('done');
        expect(actions).toEqual([]);
      }
    }
  });

  // [variant, initial state, entry effects]
  const STARTS: Array<[Variant, StateValue, string[]]> = [
    ['plain', OPEN_FLOWING, ['opened']],
    ['preambleSender', OPEN_FLOWING, ['sendGreeting', 'opened']],
    ['preambleReceiver', 'connecting', []],
    ['helloInitiator', { handshaking: 'awaitingPeer' }, ['sendGreeting', 'awaitGreeting']],
    ['helloResponder', { handshaking: 'awaitingPeer' }, ['awaitGreeting']],
  ];

  it.each(STARTS)('%s starts in %j with %j', (variant, value, effects) => {
    const [snapshot, actions] = initialTransition(connectionMachine, VARIANTS[variant]);
    expect(snapshot.value).toEqual(value);
    expect(effectsOf(actions)).toEqual(effects);
  });
});

describe('connectionMachine: properties over every reachable state of every variant', () => {
  const STATUS_ORDER = ['connecting', 'handshaking', 'open', 'closing', 'closed', 'failed'];
  const statusOf = (value: StateValue): string => (typeof value === 'string' ? value : Object.keys(value)[0]);
  const inputs = ALL_MACHINE_INPUTS;

  /** Every state reachable from the start, with the effects of every edge out of it. */
  function explore(input: ConnectionMachineInput): Map<string, Snapshot> {
    const actor = createActor(connectionMachine, { input });
    const start = actor.getSnapshot();
    const seen = new Map<string, Snapshot>([[JSON.stringify(start.value), start]]);
    const queue = [start];
    while (queue.length > 0) {
      const snapshot = queue.shift()!;
      for (const event of EVENTS) {
        const [next] = transition(connectionMachine, snapshot, { type: event });
        const key = JSON.stringify(next.value);
        if (!seen.has(key)) {
          seen.set(key, next);
          queue.push(next);
        }
      }
    }
    return seen;
  }

  it('statuses only move forward, CLOSE and SOCKET_CLOSED always end it, FAIL never reopens it', () => {
    for (const input of inputs) {
      for (const snapshot of explore(input).values()) {
        if (snapshot.status === 'done') continue;
        const from = STATUS_ORDER.indexOf(statusOf(snapshot.value));
        for (const event of EVENTS) {
          const [next] = transition(connectionMachine, snapshot, { type: event });
          expect(STATUS_ORDER.indexOf(statusOf(next.value))).toBeGreaterThanOrEqual(from);
        }
        for (const event of ['CLOSE', 'SOCKET_CLOSED', 'FAIL'] as const) {
          const [next] = transition(connectionMachine, snapshot, { type: event });
          expect(next.status, `${JSON.stringify(snapshot.value)} --${event}-->`).toBe('done');
        }
      }
    }
  });

  it('the context is never written: the machine can be interned', () => {
    for (const input of inputs) {
      for (const snapshot of explore(input).values()) {
        for (const event of EVENTS) {
          const [next] = transition(connectionMachine, snapshot, { type: event });
          expect(next.context).toBe(snapshot.context);
        }
      }
    }
  });

  it('every edge that ends a connection records why, once', () => {
    for (const input of inputs) {
      for (const snapshot of explore(input).values()) {
        if (snapshot.status === 'done') continue;
        const inClosing = statusOf(snapshot.value) === 'closing';
        for (const event of EVENTS) {
          const [next, actions] = transition(connectionMachine, snapshot, { type: event });
          const reasons = actions.filter((a) => a.type === 'endBecause').length;
          const ends = next.status === 'done' || statusOf(next.value) === 'closing';
          // Closing already has its reason; anything else that ends records exactly one.
          expect(reasons).toBe(ends && !inClosing ? 1 : 0);
          expect(actions.filter((a) => a.type === 'finish').length).toBe(next.status === 'done' ? 1 : 0);
        }
      }
    }
  });

  it('a server without handshake reaches exactly the states the docs list', () => {
    const states = [...explore(VARIANTS.ownerCloses).keys()].sort();
    const receiving = ['flowing', 'paused', 'holding', 'ended'];
    const sending = ['idle', 'backpressured', 'writing'];
    const expected = [
      ...receiving.flatMap((r) => sending.map((s) => JSON.stringify({ open: { receiving: r, sending: s } }))),
      JSON.stringify({ closing: 'halfClosed' }),
      JSON.stringify('closed'),
      JSON.stringify('failed'),
    ].sort();
    expect(states).toEqual(expected);
  });
});
