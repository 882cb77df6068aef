import { describe, expect, it } from 'vitest';
import {
  Action,
  Agent,
  Belief,
  Characteristic,
  CircularHeadList,
  GameObject,
  ObjectState,
  State,
  SubAppRole,
  Value,
  actionMessage,
  decodeMessage,
  defineMessage,
  encodeMessageText,
  endMessage,
  observationMessage,
  quitMessage,
  readAction,
  readDefine,
  readObservation,
  readRegister,
  registerMessage,
  type Message,
  type MasepValue,
} from '../../../src/protocols/masep/index.js';
import { expectCode } from './expect-code.js';
import {
  ACTION_EXAMPLE,
  DEFINE_EXAMPLE,
  EMPTY_GRAPHML,
  END_EXAMPLE,
  ENGINE_ID,
  INTERFACE_ID,
  OBSERVATION_EXAMPLE,
  QUIT_EXAMPLE,
  REGISTER_EXAMPLE,
  ascii,
} from './spec-examples.js';

/** The State of the spec's OBSERVATION example, built with the typed classes. */
function exampleState(): State {
  const run = 'run';
  const system = new GameObject({
    name: 'system',
    state: run,
    objectState: new ObjectState({
      state: run,
      characteristics: [
        new Characteristic({
          name: 'AgentOrder',
          state: run,
          value: Value.object(new CircularHeadList([Value.str('State.player0')], 0)),
        }),
        new Characteristic({ name: 'GamePhase', state: run, value: Value.str('play') }),
      ],
    }),
  });
  const player = new Agent({
    name: 'player0',
    state: run,
    controller: 'pymasep.engine.external_controller.ExternalController',
    control: INTERFACE_ID,
    objectState: new ObjectState({
      state: run,
      characteristics: [new Characteristic({ name: 'Score', state: run, value: Value.int(3) })],
    }),
    belief: new Belief({ state: run, content: EMPTY_GRAPHML }),
  });
  return new State({ state: run, isFinal: false, envStep: 4, objects: [system, player] });
}

const exampleInfo = new Map<string, MasepValue>([
  ['state_changed', Value.bool(true)],
  ['reward', Value.dict({ 'State.player0': Value.float(1) })],
]);

describe('standard messages: builders reproduce the spec bytes', () => {
  it.each<[string, Message, string]>([
    ['DEFINE', defineMessage(INTERFACE_ID, 'mygames.tictactoe.TicTacToe'), DEFINE_EXAMPLE.payload],
    ['REGISTER', registerMessage(INTERFACE_ID, SubAppRole.ACTOR), REGISTER_EXAMPLE.payload],
    [
      'ACTION',
      actionMessage(INTERFACE_ID, new Action(5, { direction: Value.str('up'), count: Value.int(2) })),
      ACTION_EXAMPLE.payload,
    ],
    ['END_GAME', endMessage(ENGINE_ID), END_EXAMPLE.payload],
    ['QUIT', quitMessage(INTERFACE_ID), QUIT_EXAMPLE.payload],
    ['OBSERVATION', observationMessage(ENGINE_ID, exampleState(), exampleInfo), OBSERVATION_EXAMPLE.payload],
  ])('%s', (_, message, payload) => {
    expect(encodeMessageText(message)).toBe(payload);
  });
});

describe('standard messages: readers', () => {
  it('read the spec examples back into typed params', () => {
    expect(readDefine(decodeMessage(ascii(DEFINE_EXAMPLE.payload)))).toBe('mygames.tictactoe.TicTacToe');
    expect(readRegister(decodeMessage(ascii(REGISTER_EXAMPLE.payload)))).toEqual({
      id: INTERFACE_ID,
      role: 'Actor',
      queueId: 0,
    });
    const action = readAction(decodeMessage(ascii(ACTION_EXAMPLE.payload)));
    expect(action.type).toBe(5);
    expect(action.parameters.get('direction')).toEqual(Value.str('up'));
    const { observation, additionalInformation } = readObservation(decodeMessage(ascii(OBSERVATION_EXAMPLE.payload)));
    expect(observation).toStrictEqual(exampleState());
    expect(additionalInformation).toEqual(exampleInfo);
    expect(observation.get('player0')).toBeInstanceOf(Agent);
  });

  it.each<[string, Message, (m: Message) => unknown, string]>([
    ['REGISTER without id', { msgType: 'register', srcSubApp: 'a', params: new Map<string, MasepValue>([['role', Value.str('Actor')]]) }, readRegister, 'MASEP_BAD_PARAMS'],
    ['REGISTER without role', { msgType: 'register', srcSubApp: 'a', params: new Map<string, MasepValue>([['id', Value.str('a')]]) }, readRegister, 'MASEP_BAD_PARAMS'],
    ['REGISTER without params', { msgType: 'register', srcSubApp: 'a', params: null }, readRegister, 'MASEP_BAD_PARAMS'],
    ['REGISTER with an int id', { msgType: 'register', srcSubApp: 'a', params: new Map<string, MasepValue>([['id', Value.int(1)], ['role', Value.str('Actor')]]) }, readRegister, 'MASEP_BAD_PARAMS'],
    ['REGISTER with a float queue_id', { msgType: 'register', srcSubApp: 'a', params: new Map<string, MasepValue>([['id', Value.str('a')], ['role', Value.str('Actor')], ['queue_id', Value.float(0)]]) }, readRegister, 'MASEP_BAD_PARAMS'],
    ['DEFINE with a str game', { msgType: 'define', srcSubApp: 'a', params: new Map<string, MasepValue>([['game', Value.str('x.Y')]]) }, readDefine, 'MASEP_BAD_PARAMS'],
    ['ACTION with a str action', { msgType: 'action', srcSubApp: 'a', params: new Map<string, MasepValue>([['action', Value.str('up')]]) }, readAction, 'MASEP_BAD_PARAMS'],
    ['OBSERVATION without a State', { msgType: 'observation', srcSubApp: 'a', params: new Map<string, MasepValue>([['observation', Value.none()]]) }, readObservation, 'MASEP_BAD_PARAMS'],
    ['a reader for another type', quitMessage('a'), readRegister, 'MASEP_BAD_ENVELOPE'],
  ])('reject %s', (_, message, read, code) => {
    expectCode(() => read(message), code);
  });
});
