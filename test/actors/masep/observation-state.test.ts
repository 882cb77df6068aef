import { describe, expect, it } from 'vitest';
import { ObservationView, buildObservationState, EXTERNAL_CONTROLLER } from '../../../src/actors/masep/index.js';
import { Value, decodeMessage, encodeMessage, observationMessage, readObservation, Agent } from '../../../src/protocols/masep/index.js';

describe('buildObservationState / ObservationView', () => {
  it('survives the wire: turn, control, coordination and characteristics read back', () => {
    const state = buildObservationState({
      view: { agents: { player0: { X: Value.int(3) }, player1: { X: Value.int(-1) } } },
      players: ['player0', 'player1'],
      control: new Map([['player0', 'id-0'], ['player1', 'id-1']]),
      head: 1,
      coordination: 'turn',
      envStep: 5,
      isFinal: false,
    });
    const decoded = readObservation(decodeMessage(encodeMessage(observationMessage('engine', state)))).observation;
    const view = new ObservationView(decoded);
    expect(view.turn).toBe('player1');
    expect(view.coordination).toBe('turn');
    expect(view.agentControlledBy('id-0')?.name).toBe('player0');
    expect(view.number('player1', 'X')).toBe(-1);
    expect(view.shouldAct('player1')).toBe(true);
    expect(view.shouldAct('player0')).toBe(false);
    expect(decoded.objects.filter((o) => o instanceof Agent).map((a) => (a as Agent).controller)).toEqual([EXTERNAL_CONTROLLER, EXTERNAL_CONTROLLER]);
  });

  it('lets every agent act in simultaneous mode, and nobody once final', () => {
    const frame = { view: { agents: {} }, players: ['player0'], control: new Map(), head: 0, envStep: 0 } as const;
    expect(new ObservationView(buildObservationState({ ...frame, coordination: 'simultaneous', isFinal: false })).shouldAct('player9')).toBe(true);
    expect(new ObservationView(buildObservationState({ ...frame, coordination: 'simultaneous', isFinal: true })).shouldAct('player0')).toBe(false);
  });
});
