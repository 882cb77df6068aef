import { describe, expect, it } from 'vitest';
import { ObservationView, buildObservationState, observationInfo, EXTERNAL_CONTROLLER, EMPTY_BELIEF_GRAPHML } from '../../../src/actors/masep/index.js';
import { Value, decodeMessage, encodeMessage, observationMessage, readObservation, Agent } from '../../../src/protocols/masep/index.js';
import { EMPTY_GRAPHML, ENGINE_ID, INTERFACE_ID, OBSERVATION_EXAMPLE } from '../../protocols/masep/spec-examples.js';

describe('buildObservationState / observationInfo', () => {
  it("writes the spec's OBSERVATION example byte for byte, Belief included", () => {
    const state = buildObservationState({
      view: { agents: { player0: { Score: Value.int(3) } } },
      players: ['player0'],
      control: new Map([['player0', INTERFACE_ID]]),
      head: 0,
      envStep: 4,
      isFinal: false,
    });
    const payload = encodeMessage(observationMessage(ENGINE_ID, state, observationInfo(['player0'], { player0: 1 })));
    expect(Buffer.from(payload).toString('latin1')).toBe(OBSERVATION_EXAMPLE.payload);
    expect(payload.length).toBe(OBSERVATION_EXAMPLE.length);
    expect(EMPTY_BELIEF_GRAPHML).toBe(EMPTY_GRAPHML);
  });

  it('gives every agent an empty Belief, the system object only AgentOrder and GamePhase, and the info only pymasep keys', () => {
    const state = buildObservationState({
      view: { agents: {} },
      players: ['player0', 'player1'],
      control: new Map(),
      head: 1,
      coordination: 'simultaneous',
      envStep: 0,
      isFinal: false,
    });
    const agents = state.objects.filter((o): o is Agent => o instanceof Agent);
    expect(agents.map((a) => a.belief?.content)).toEqual([EMPTY_GRAPHML, EMPTY_GRAPHML]);
    expect(state.get('system')!.objectState.characteristics.map((c) => c.name)).toEqual(['AgentOrder', 'GamePhase']);
    expect([...observationInfo(['player0', 'player1'], {}).keys()]).toEqual(['state_changed', 'reward']);
  });
});

describe('ObservationView', () => {
  it('survives the wire: turn, control and characteristics read back', () => {
    const state = buildObservationState({
      view: { agents: { player0: { X: Value.int(3) }, player1: { X: Value.int(-1) } } },
      players: ['player0', 'player1'],
      control: new Map([['player0', 'id-0'], ['player1', 'id-1']]),
      head: 1,
      envStep: 5,
      isFinal: false,
    });
    const decoded = readObservation(decodeMessage(encodeMessage(observationMessage('engine', state)))).observation;
    const view = new ObservationView(decoded);
    expect(view.turn).toBe('player1');
    expect(view.agentControlledBy('id-0')?.name).toBe('player0');
    expect(view.number('player1', 'X')).toBe(-1);
    expect(view.shouldAct('player1', 'turn')).toBe(true);
    expect(view.shouldAct('player0', 'turn')).toBe(false);
    expect(decoded.objects.filter((o) => o instanceof Agent).map((a) => (a as Agent).controller)).toEqual([EXTERNAL_CONTROLLER, EXTERNAL_CONTROLLER]);
  });

  it('lets every agent act in a simultaneous game or one of unknown coordination, and nobody once final', () => {
    const frame = { view: { agents: {} }, players: ['player0'], control: new Map(), head: 0, envStep: 0 } as const;
    const running = new ObservationView(buildObservationState({ ...frame, isFinal: false }));
    expect(running.shouldAct('player9', 'simultaneous')).toBe(true);
    expect(running.shouldAct('player9')).toBe(true);
    expect(new ObservationView(buildObservationState({ ...frame, isFinal: true })).shouldAct('player0', 'simultaneous')).toBe(false);
  });
});
