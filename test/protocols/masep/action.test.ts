import { describe, expect, it } from 'vitest';
import {
  Action,
  ActionType,
  State,
  Value,
  decodeValue,
  defaultObjectRegistry,
} from '../../../src/protocols/masep/index.js';
import { readXml } from '../../../src/protocols/masep/xml-reader.js';
import { writeXml } from '../../../src/protocols/masep/xml-writer.js';
import { expectCode } from './expect-code.js';

const context = { objects: defaultObjectRegistry };
const decodeAction = (xml: string): Action => Action.fromXml(readXml(Buffer.from(xml, 'utf8')), context);

describe('Action', () => {
  it('writes parameters in insertion order, with nested actions and objects', () => {
    const action = new Action(7, {
      inner: Value.object(new Action(ActionType.NONE)),
      world: Value.object(new State({ state: 'run' })),
      nothing: Value.none(),
    });
    const xml =
      '<Action type="7"><ActionParameter name="inner"><Action type="0" /></ActionParameter>' +
      '<ActionParameter name="world"><State name="State" state="run" is_final="False" env_step="0" /></ActionParameter>' +
      '<ActionParameter name="nothing"><NoneType>None</NoneType></ActionParameter></Action>';
    expect(writeXml(action.toXml())).toBe(xml);
    expect(decodeAction(xml)).toStrictEqual(action);
  });

  it('reads an unregistered object parameter as inert XML', () => {
    const action = decodeAction('<Action type="3"><ActionParameter name="p"><os.system>rm</os.system></ActionParameter></Action>');
    expect(action.parameters.get('p')?.type).toBe('xml');
  });

  it('reads the type with Python int() rules', () => {
    expect(decodeAction('<Action type=" 1_0 " />').type).toBe(10);
  });

  it.each([
    ['a missing type', '<Action />'],
    ['a non-int type', '<Action type="up" />'],
    ['a type beyond safe integers', '<Action type="99999999999999999999" />'],
    ['a parameter without name', '<Action type="1"><ActionParameter><int>1</int></ActionParameter></Action>'],
    ['a parameter without value', '<Action type="1"><ActionParameter name="p" /></Action>'],
  ])('rejects %s', (_, xml) => {
    expectCode(() => decodeAction(xml), 'MASEP_BAD_OBJECT');
  });

  it('refuses a type that is not a safe integer', () => {
    expectCode(() => new Action(1.5), 'MASEP_UNENCODABLE');
  });

  it('reads a decoded nested action as an Action', () => {
    const value = decodeValue(readXml(Buffer.from('<Action type="1" />')), context);
    expect(value.type === 'object' && value.object).toBeInstanceOf(Action);
  });
});
