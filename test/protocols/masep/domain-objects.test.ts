import { describe, expect, it } from 'vitest';
import {
  Action,
  Agent,
  Belief,
  Characteristic,
  Container,
  GameObject,
  Intention,
  ObjectState,
  State,
  Value,
  createObjectRegistry,
  decodeValue,
  defaultObjectRegistry,
  objectDecoders,
  type DecodeContext,
  type MasepObject,
} from '../../../src/protocols/masep/index.js';
import { readXml } from '../../../src/protocols/masep/xml-reader.js';
import { writeXml } from '../../../src/protocols/masep/xml-writer.js';
import { expectCode } from './expect-code.js';

const defaults: DecodeContext = { objects: defaultObjectRegistry };

function decodeObject(xml: string, context: DecodeContext = defaults): MasepObject {
  const value = decodeValue(readXml(Buffer.from(xml, 'utf8')), context);
  if (value.type !== 'object') throw new Error(`expected an object, got ${value.type}`);
  return value.object;
}

function richState(): State {
  const coin = new GameObject({
    name: 'coin',
    nature: 'item',
    state: 'init',
    initializer: 'coin_init',
    objectState: new ObjectState({ characteristics: [new Characteristic({ name: 'Value', state: 'run', value: null, valueType: 'int' })] }),
  });
  const player = new Agent({
    name: 'player1',
    state: 'run',
    initializer: 'ignored_when_running',
    controller: 'mygame.controllers.Random',
    objectState: new ObjectState({
      state: 'run',
      characteristics: [
        new Characteristic({ name: 'Pos', state: 'run', value: Value.tuple(Value.int(1), Value.int(-2)) }),
        new Characteristic({ name: 'Speed', state: 'run', value: Value.float(0.5) }),
      ],
    }),
    containers: [new Container({ name: 'bag', state: 'run', objects: [coin] })],
    intention: new Intention({ state: 'run', actions: [new Action(2000, { target: Value.str('coin') })] }),
    belief: new Belief({ state: 'run', content: '<graphml />' }),
  });
  return new State({ state: 'run', isFinal: true, envStep: 12, objects: [player] });
}

describe('domain objects: writing (spec §2.4)', () => {
  it('writes base attributes in order, initializer only while not running', () => {
    expect(writeXml(richState().toXml())).toBe(
      '<State name="State" state="run" is_final="True" env_step="12">' +
        '<Agent name="player1" state="run" controller="mygame.controllers.Random">' +
        '<ObjectState name="state" state="run">' +
        '<Characteristic name="Pos" state="run"><tuple><item><int>1</int></item><item><int>-2</int></item></tuple></Characteristic>' +
        '<Characteristic name="Speed" state="run"><float>0.5</float></Characteristic></ObjectState>' +
        '<Container name="bag" state="run"><Object name="coin" nature="item" state="init" initializer="coin_init">' +
        '<ObjectState name="state" state="init"><Characteristic name="Value" state="run"><int /></Characteristic></ObjectState>' +
        '</Object></Container>' +
        '<Intention name="intention" state="run"><Action type="2000"><ActionParameter name="target"><str>coin</str></ActionParameter></Action></Intention>' +
        '<Belief name="belief" state="run"><content>&lt;graphml /&gt;</content></Belief></Agent></State>',
    );
  });

  it('writes a missing state as init and an empty belief as <content />', () => {
    expect(writeXml(new Belief().toXml())).toBe('<Belief name="belief" state="init"><content /></Belief>');
  });
});

describe('domain objects: reading', () => {
  it('reads a written state back to equal objects and the same bytes', () => {
    const xml = writeXml(richState().toXml());
    const back = decodeObject(xml);
    expect(back).toBeInstanceOf(State);
    expect(writeXml(back.toXml())).toBe(xml);
    const agent = (back as State).get('player1') as Agent;
    expect(agent).toBeInstanceOf(Agent);
    expect(agent.objectState.get('Speed')?.value).toEqual(Value.float(0.5));
    expect(agent.containers[0].objects[0].objectState.get('Value')).toMatchObject({ value: null, valueType: 'int' });
    expect((back as State).fullName(agent)).toBe('State.player1');
  });

  it('reads template but never writes it, and defaults a missing state to init', () => {
    const object = decodeObject('<Object name="o" template="tpl"><ObjectState name="state" /></Object>') as GameObject;
    expect(object.template).toBe('tpl');
    expect(object.state).toBe('init');
    expect(writeXml(object.toXml())).toBe('<Object name="o" state="init"><ObjectState name="state" state="init" /></Object>');
  });

  it('builds game-specific tags only when registered, keeping the tag', () => {
    const xml = '<State name="State" state="run" is_final="False" env_step="0"><mygame.Piece name="p" state="run"><ObjectState name="state" state="run" /></mygame.Piece></State>';
    expectCode(() => decodeObject(xml), 'MASEP_UNKNOWN_NAME');
    const registry = createObjectRegistry().register('mygame.Piece', objectDecoders.object);
    const state = decodeObject(xml, { objects: registry }) as State;
    expect(state.objects[0]).toBeInstanceOf(GameObject);
    expect(state.objects[0].tag).toBe('mygame.Piece');
    expect(writeXml(state.toXml())).toBe(xml);
  });

  it('keeps the default registry frozen', () => {
    expect(() => defaultObjectRegistry.register('x.Y', objectDecoders.object)).toThrow(TypeError);
    expect(defaultObjectRegistry.clone().register('x.Y', objectDecoders.object).has('x.Y')).toBe(true);
  });

  it.each([
    ['an object without name', '<Object state="run"><ObjectState name="state" /></Object>'],
    ['an object without ObjectState', '<Object name="o" state="run" />'],
    ['an agent without controller', '<Agent name="a" state="run"><ObjectState name="state" /></Agent>'],
    ['a state with a bad is_final', '<State name="State" is_final="yes" />'],
    ['a state with a bad env_step', '<State name="State" env_step="4.5" />'],
    ['a state holding a characteristic', '<State name="State"><Characteristic name="c"><int>1</int></Characteristic></State>'],
    ['a characteristic without value', '<Characteristic name="c" />'],
    ['a circular head list without data', '<CircularHeadList><head_idx>0</head_idx></CircularHeadList>'],
    ['a circular head list with head out of range', '<CircularHeadList><data><list><item><int>1</int></item></list></data><head_idx>1</head_idx></CircularHeadList>'],
  ])('rejects %s', (_, xml) => {
    expectCode(() => decodeObject(xml), 'MASEP_BAD_OBJECT');
  });
});
