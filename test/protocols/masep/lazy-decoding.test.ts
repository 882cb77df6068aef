import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Agent,
  Characteristic,
  GameObject,
  ObjectState,
  State,
  Value,
  decodeMessage,
  encodeMessage,
  observationMessage,
  readObservation,
  type Message,
  type XmlElement,
} from '../../../src/protocols/masep/index.js';
import { isDeferredElement, readXml } from '../../../src/protocols/masep/xml-reader.js';
import { masepValue } from './arbitraries.js';
import { expectCode } from './expect-code.js';
import { ENGINE_ID, INTERFACE_ID, OBSERVATION_EXAMPLE, ascii } from './spec-examples.js';

const lazy = (payload: Uint8Array): Message => decodeMessage(payload, undefined, { lazy: true });
const text = (xml: string): Uint8Array => Buffer.from(xml, 'utf8');

/** An element's fields, read through (which parses deferred contents). */
function plain(element: XmlElement): unknown {
  return { tag: element.tag, attributes: element.attributes, text: element.text, children: element.children.map(plain), tail: element.tail };
}

/** An observation whose agent holds `xml` as its ObjectState content. */
function observationWith(objectStateContent: string): Uint8Array {
  return text(
    `<Message msg_type="observation" src_sub_app="${ENGINE_ID}"><dict><item key="observation">` +
      `<State name="State" state="run" is_final="False" env_step="7">` +
      `<Agent name="player0" state="run" controller="c" control="${INTERFACE_ID}">` +
      `<ObjectState name="state" state="run">${objectStateContent}</ObjectState></Agent>` +
      `</State></item></dict></Message>`,
  );
}

describe('readXml with deferred tags', () => {
  it('reads attributes at once and the content when first read', () => {
    const root = readXml(text('<r><a k="v">x<b>y</b></a>t</r>'), { defer: new Set(['a']) });
    const a = root.children[0];
    expect(isDeferredElement(a)).toBe(true);
    expect(a.attributes).toEqual([['k', 'v']]);
    expect(a.tail).toBe('t');
    expect(a.text).toBe('x');
    expect(isDeferredElement(a)).toBe(false);
    expect(a.children.map((c) => [c.tag, c.text])).toEqual([['b', 'y']]);
  });

  it('gives the same tree as an eager read once everything is read', () => {
    const payload = ascii(OBSERVATION_EXAMPLE.payload);
    const deferred = readXml(payload, { defer: new Set(['Object', 'Agent', 'ObjectState', 'Belief']) });
    expect(plain(deferred)).toEqual(plain(readXml(payload)));
  });

  it('still rejects a document whose deferred part is not well-formed, at once', () => {
    expectCode(() => readXml(text('<r><a><b></a></r>'), { defer: new Set(['a']) }), 'MALFORMED_MESSAGE');
    expectCode(() => lazy(observationWith('<Characteristic name="x" state="run"><int>1</int>')), 'MALFORMED_MESSAGE');
    expectCode(() => lazy(observationWith('&undefined;')), 'MALFORMED_MESSAGE');
  });
});

describe('decodeMessage with lazy', () => {
  it('decodes the spec OBSERVATION example to what an eager decode gives, and back to the same bytes', () => {
    const payload = ascii(OBSERVATION_EXAMPLE.payload);
    const deferred = lazy(payload);
    expect(Buffer.from(encodeMessage(deferred)).toString('latin1')).toBe(OBSERVATION_EXAMPLE.payload);
    expect(readObservation(deferred).observation.toJSON()).toEqual(readObservation(decodeMessage(payload)).observation.toJSON());
  });

  it('reports a bad value inside an object when it is read, not when the message is decoded', () => {
    const payload = observationWith('<Characteristic name="Score" state="run"><int>three</int></Characteristic>');
    expectCode(() => decodeMessage(payload), 'MASEP_BAD_VALUE');
    const state = readObservation(lazy(payload)).observation;
    const agent = state.objects[0] as Agent;
    expect([agent.name, agent.control, state.envStep]).toEqual(['player0', INTERFACE_ID, 7]);
    expectCode(() => agent.objectState.characteristics, 'MASEP_BAD_VALUE');
  });

  it('decodes the dicts inside params at once, through their deferred content, with the eager result and errors', () => {
    const payload = ascii(OBSERVATION_EXAMPLE.payload);
    const eager = readObservation(decodeMessage(payload)).additionalInformation;
    expect(readObservation(lazy(payload)).additionalInformation).toEqual(eager);
    const bad = ascii(OBSERVATION_EXAMPLE.payload.replace('<float>1.0</float>', '<float>x</float>'));
    expectCode(() => lazy(bad), 'MASEP_BAD_VALUE');
    const root = readXml(payload, { defer: new Set(), deferNested: new Set(['dict']) });
    // The params dict (a child of the root) is read at once; the info dict inside it is deferred.
    expect(isDeferredElement(root.children[0])).toBe(false);
    const infoDict = root.children[0].children[1].children[0];
    expect(infoDict.tag).toBe('dict');
    expect(isDeferredElement(infoDict)).toBe(true);
    expect(plain(root)).toEqual(plain(readXml(payload)));
  });

  it('reports a missing ObjectState when the object state is read', () => {
    const payload = text(
      `<Message msg_type="observation" src_sub_app="${ENGINE_ID}"><dict><item key="observation">` +
        `<State name="State" state="run"><Object name="o" state="run" /></State></item></dict></Message>`,
    );
    expectCode(() => decodeMessage(payload), 'MASEP_BAD_OBJECT');
    const object = readObservation(lazy(payload)).observation.objects[0];
    expectCode(() => object.objectState, 'MASEP_BAD_OBJECT');
  });

  it('decodes any characteristic value to what an eager decode gives (property)', () => {
    fc.assert(
      fc.property(fc.array(masepValue, { minLength: 1, maxLength: 3 }), (values) => {
        const characteristics = values.map((value, i) => new Characteristic({ name: `c${i}`, state: 'run', value }));
        const state = new State({
          state: 'run',
          objects: [
            new GameObject({ name: 'o', state: 'run', objectState: new ObjectState({ state: 'run', characteristics }) }),
            new Agent({ name: 'p', state: 'run', controller: 'c', objectState: new ObjectState({ characteristics }) }),
          ],
        });
        const payload = encodeMessage(observationMessage(ENGINE_ID, state, new Map([['reward', Value.float(1)]])));
        const eager = readObservation(decodeMessage(payload)).observation.toJSON();
        expect(readObservation(lazy(payload)).observation.toJSON()).toEqual(eager);
        expect(encodeMessage(lazy(payload))).toEqual(payload);
      }),
      { seed: 21, numRuns: 150 },
    );
  });
});
