import { describe, expect, it } from 'vitest';
import { assign, createActor, setup } from 'xstate';
import { connectionMachine, type ConnectionMachineInput } from '../../../src/actors/connection/connection-machine.js';
import { InternedMachine } from '../../../src/actors/connection/interned-machine.js';
import { connectionLifecycle, startLifecycle } from '../../../src/actors/connection/lifecycle.js';
import { CONNECTION_EVENTS, machineInputOf } from '../../helpers/machine-inputs.js';

const toggle = setup({
  types: { context: {} as { loud: boolean }, input: {} as { loud: boolean }, events: {} as { type: 'FLIP' } | { type: 'STOP' } },
  guards: { loud: ({ context }) => context.loud },
  actions: { say: (_, _params: { word: string }) => undefined, hum: () => undefined },
}).createMachine({
  context: ({ input }) => input,
  initial: 'off',
  states: {
    off: { entry: 'hum', on: { FLIP: [{ guard: 'loud', target: 'on', actions: { type: 'say', params: { word: 'ON!' } } }, { target: 'on' }], STOP: 'done' } },
    on: { on: { FLIP: 'off', STOP: 'done' } },
    done: { type: 'final' },
  },
});

describe('InternedMachine', () => {
  it('computes each step once and hands out the same states and effects afterwards', () => {
    const interned = new InternedMachine(toggle, (s) => ({ on: s.matches('on') }));
    const start = interned.start({ loud: true }, 'loud');
    expect(start.to.facts).toEqual({ on: false });
    expect(start.effects).toEqual([{ type: 'hum', params: undefined }]);
    const flip = interned.step(start.to, 'FLIP')!;
    expect(flip.to.facts).toEqual({ on: true });
    expect(flip.effects).toEqual([{ type: 'say', params: { word: 'ON!' } }]);
    expect(interned.step(start.to, 'FLIP')).toBe(flip);
    const back = interned.step(flip.to, 'FLIP')!;
    expect(back.to).toBe(start.to);
    expect(back.effects.map((e) => e.type)).toEqual(['hum']);
    expect(interned.start({ loud: true }, 'loud')).toBe(start);
  });

  it("keeps variants apart: the guards see each variant's input", () => {
    const interned = new InternedMachine(toggle, (s) => s.value);
    const quiet = interned.start({ loud: false }, 'quiet');
    const loud = interned.start({ loud: true }, 'loud');
    expect(quiet.to).not.toBe(loud.to);
    expect(interned.step(quiet.to, 'FLIP')!.effects).toEqual([]);
    expect(interned.step(loud.to, 'FLIP')!.effects.map((e) => e.type)).toEqual(['say']);
  });

  it('takes no event once done', () => {
    const interned = new InternedMachine(toggle, (s) => s.value);
    const done = interned.step(interned.start({ loud: false }, 'quiet').to, 'STOP')!.to;
    expect(done.done).toBe(true);
    expect(interned.step(done, 'FLIP')).toBeUndefined();
  });

  it('refuses a machine that writes its context (its steps would depend on more than the state)', () => {
    const counting = setup({ types: { context: {} as { n: number }, input: {} as { n: number }, events: {} as { type: 'TICK' } } }).createMachine({
      context: ({ input }) => input,
      on: { TICK: { actions: assign({ n: ({ context }) => context.n + 1 }) } },
    });
    const interned = new InternedMachine(counting, (s) => s.context.n);
    const start = interned.start({ n: 0 }, 'only');
    expect(() => interned.step(start.to, 'TICK')).toThrow(/must not assign to its context/);
  });
});

describe('the interned connection lifecycle', () => {
  const EVENTS = CONNECTION_EVENTS;

  /** A small deterministic generator, so that a failure names its seed. */
  function random(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }

  it('walks exactly the states a live XState actor walks, for random event sequences of every variant', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const next = random(seed);
      const input = machineInputOf(Math.floor(next() * 64));
      const actor = createActor(connectionMachine, { input });
      actor.start();
      let state = startLifecycle(input).to;
      expect(state.snapshot.value, `seed ${seed}`).toEqual(actor.getSnapshot().value);
      for (let i = 0; i < 12; i++) {
        const event = EVENTS[Math.floor(next() * EVENTS.length)];
        // A finished actor takes no events (and says so on stderr): the interned one must ignore them too.
        if (actor.getSnapshot().status === 'active') actor.send({ type: event });
        state = connectionLifecycle.step(state, event)?.to ?? state;
        expect(state.snapshot.value, `seed ${seed}, event ${i} ${event}`).toEqual(actor.getSnapshot().value);
        expect(state.facts.status).toBe(typeof state.snapshot.value === 'string' ? state.snapshot.value : Object.keys(state.snapshot.value)[0]);
      }
      actor.stop();
    }
  });

  it('derives the data-path facts from the state', () => {
    const input: ConnectionMachineInput = { startsConnected: true, speaksFirst: false, awaitsPeer: false, answers: false, closeOnPeerEnd: false, hasBye: false };
    const open = startLifecycle(input).to;
    expect(open.facts).toMatchObject({ status: 'open', acceptsSends: true, mayWrite: true, delivers: true, inputOpen: true, holding: false });
    const pushedBack = connectionLifecycle.step(open, 'BACKPRESSURED')!.to;
    expect(pushedBack.facts).toMatchObject({ mayWrite: false, acceptsSends: true });
    const writing = connectionLifecycle.step(pushedBack, 'SOCKET_DRAIN')!.to;
    expect(writing.facts).toMatchObject({ mayWrite: true, flushing: true });
    const ended = connectionLifecycle.step(open, 'PEER_END')!.to;
    expect(ended.facts).toMatchObject({ status: 'open', delivers: false, inputOpen: false, acceptsSends: true });
    const holding = connectionLifecycle.step(open, 'HOLD')!.to;
    expect(holding.facts).toMatchObject({ holding: true, delivers: true });
    const closing = connectionLifecycle.step(open, 'DRAIN')!.to;
    expect(closing.facts).toMatchObject({ status: 'closing', acceptsSends: false, mayWrite: false, inputOpen: false });
  });
});
