import { describe, expect, it } from 'vitest';
import { Value, decodeMessage, readObservation, valueToJson } from '../../../src/protocols/masep/index.js';
import { readXml } from '../../../src/protocols/masep/xml-reader.js';
import { ENGINE_ID, INTERFACE_ID, OBSERVATION_EXAMPLE, ascii } from './spec-examples.js';

describe('valueToJson', () => {
  it('maps plain values, keeping what JSON cannot hold readable', () => {
    const value = Value.dict({
      i: Value.int(3),
      big: Value.int(2n ** 64n),
      f: Value.float(1),
      nan: Value.float(NaN),
      inf: Value.float(-Infinity),
      none: Value.none(),
      t: Value.tuple(Value.bool(false), Value.str('')),
      c: Value.classRef('a.B'),
      x: Value.xml(readXml(Buffer.from('<a.B k="v" />'))),
    });
    expect(valueToJson(value)).toEqual({
      i: 3,
      big: '18446744073709551616',
      f: 1,
      nan: 'nan',
      inf: '-inf',
      none: null,
      t: [false, ''],
      c: { $class: 'a.B' },
      x: { $xml: '<a.B k="v" />' },
    });
  });

  it('keeps a "__proto__" key as an ordinary key', () => {
    const json = valueToJson(Value.dict(new Map([['__proto__', Value.int(1)]]))) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['__proto__']);
    expect(JSON.stringify(json)).toBe('{"__proto__":1}');
  });

  it('gives an observation a readable JSON form', () => {
    const message = decodeMessage(ascii(OBSERVATION_EXAMPLE.payload));
    expect(message.srcSubApp).toBe(ENGINE_ID);
    const { observation, additionalInformation } = readObservation(message);
    const json = JSON.parse(JSON.stringify(observation)) as { objects: Array<Record<string, unknown>> };
    expect(json).toMatchObject({ kind: 'State', name: 'State', state: 'run', isFinal: false, envStep: 4 });
    expect(json.objects[0]).toEqual({
      kind: 'Object',
      name: 'system',
      state: 'run',
      characteristics: { AgentOrder: { kind: 'CircularHeadList', items: ['State.player0'], head: 0 }, GamePhase: 'play' },
      containers: [],
    });
    expect(json.objects[1]).toMatchObject({
      kind: 'Agent',
      name: 'player0',
      controller: 'pymasep.engine.external_controller.ExternalController',
      control: INTERFACE_ID,
      characteristics: { Score: 3 },
    });
    expect(valueToJson(Value.dict(additionalInformation))).toEqual({ state_changed: true, reward: { 'State.player0': 1 } });
  });
});
