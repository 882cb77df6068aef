import { describe, expect, it } from 'vitest';
import { AgentView, GenericObservation, ObservationView } from '../../../src/actors/masep/index.js';
import {
  Action,
  Agent,
  Belief,
  Characteristic,
  CircularHeadList,
  Container,
  GameObject,
  Intention,
  ObjectState,
  State,
  Value,
  decodeMessage,
  encodeMessage,
  observationMessage,
  readObservation,
  type MasepValue,
} from '../../../src/protocols/masep/index.js';
import { EMPTY_GRAPHML, INTERFACE_ID, OBSERVATION_EXAMPLE, ascii } from '../../protocols/masep/spec-examples.js';

function generic(payload: Uint8Array, interfaceId?: string): GenericObservation {
  const { observation, additionalInformation } = readObservation(decodeMessage(payload));
  return new GenericObservation(new ObservationView(observation), additionalInformation, 0, interfaceId);
}

const run = 'run';
const characteristic = (name: string, value: MasepValue | null, valueType?: string) => new Characteristic({ name, state: run, value, valueType });

describe('GenericObservation', () => {
  it("reads the spec's OBSERVATION example: its agent, turn, phase, belief and reward", () => {
    const view = generic(ascii(OBSERVATION_EXAMPLE.payload), INTERFACE_ID);
    expect([view.step, view.isFinal, view.phase, view.turn, view.order]).toEqual([4, false, 'play', 'player0', ['player0']]);
    expect(view.objects.map((o) => o.name)).toEqual(['system']);
    expect(view.me?.name).toBe('player0');
    expect(view.me?.fullName).toBe('State.player0');
    expect(view.myTurn).toBe(true);
    expect(view.me?.number('Score')).toBe(3);
    expect(view.me?.characteristics.get('Score')).toMatchObject({ valueType: 'int', value: Value.int(3), plain: 3 });
    expect(view.me?.belief).toBe(EMPTY_GRAPHML);
    expect(view.me?.controller).toBe('pymasep.engine.external_controller.ExternalController');
    expect(view.reward).toBe(1);
    expect(view.rewards).toEqual({ player0: 1 });
    expect(view.info.get('state_changed')).toEqual(Value.bool(true));
    expect(generic(ascii(OBSERVATION_EXAMPLE.payload)).me).toBeUndefined();
  });

  it('reads objects of a game it has no class for: lists, typed None, containers, intentions', () => {
    const board = new GameObject({
      name: 'board',
      nature: 'grid',
      state: run,
      objectState: new ObjectState({
        state: run,
        characteristics: [characteristic('Cells', Value.list(Value.str('X'), Value.str(''), Value.str('O'))), characteristic('Winner', null, 'str')],
      }),
      containers: [new Container({ name: 'bag', state: run, objects: [new GameObject({ name: 'token', state: run, objectState: new ObjectState({ state: run, characteristics: [characteristic('Value', Value.int(7))] }) })] })],
    });
    const player = new Agent({
      name: 'player1',
      state: run,
      controller: 'mygames.Bot',
      control: 'someone',
      objectState: new ObjectState({ state: run, characteristics: [characteristic('Mark', Value.str('O'))] }),
      intention: new Intention({ state: run, actions: [new Action(1, { row: Value.int(2), col: Value.int(0) })] }),
      belief: new Belief({ state: run, content: '<graphml/>' }),
    });
    const order = new CircularHeadList([Value.str('State.player1')], 0);
    const system = new GameObject({ name: 'system', state: run, objectState: new ObjectState({ state: run, characteristics: [characteristic('AgentOrder', Value.object(order))] }) });
    const state = new State({ state: run, envStep: 2, isFinal: true, objects: [system, board, player] });
    const info = new Map([['reward', Value.dict({ 'State.player1': Value.float(-1) })]]);
    const view = generic(encodeMessage(observationMessage('engine', state, info)), 'someone');

    const decodedBoard = view.object('board')!;
    expect(decodedBoard.nature).toBe('grid');
    expect(decodedBoard.plain('Cells')).toEqual(['X', '', 'O']);
    expect(decodedBoard.value('Winner')).toBeNull();
    expect(decodedBoard.characteristics.get('Winner')).toMatchObject({ valueType: 'str', value: null, plain: null });
    expect(decodedBoard.value('Missing')).toBeUndefined();
    expect(decodedBoard.containers.map((c) => [c.name, c.objects.map((o) => o.number('Value'))])).toEqual([['bag', [7]]]);
    const me = view.me!;
    expect(me).toBeInstanceOf(AgentView);
    expect(me.intentions.map((a) => [a.type, a.parameters.get('row')])).toEqual([[1, Value.int(2)]]);
    expect(me.belief).toBe('<graphml/>');
    expect(me.string('Mark')).toBe('O');
    expect(view.turn).toBe('player1');
    expect(view.myTurn).toBe(false); // the state is final
    expect(view.reward).toBe(-1);
    expect(view.phase).toBeUndefined();
    expect(view.toJSON()).toMatchObject({ step: 2, final: true, me: 'player1', objects: [{ name: 'system' }, { name: 'board', characteristics: { Cells: ['X', '', 'O'], Winner: null } }] });
  });
});
