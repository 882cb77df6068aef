import { describe, expect, it } from 'vitest';
import {
  MasepDecodeCache,
  MasepFrameDecoder,
  decodeMessage,
  encodeMasepFrame,
  readObservation,
  type MasepFrame,
} from '../../../src/protocols/masep/index.js';
import { expectCode } from './expect-code.js';
import { ENGINE_ID, OBSERVATION_EXAMPLE, ascii } from './spec-examples.js';

const payload = ascii(OBSERVATION_EXAMPLE.payload);

describe('MasepDecodeCache', () => {
  it('decodes equal payloads once and hands out the same message', () => {
    const cache = new MasepDecodeCache();
    const first = decodeMessage(payload, undefined, { lazy: true, cache });
    const second = decodeMessage(Uint8Array.from(payload), undefined, { lazy: true, cache });
    expect(second).toBe(first);
    expect(decodeMessage(payload, undefined, { lazy: true })).not.toBe(first);
  });

  it('parses an unchanged deferred part of a new payload once', () => {
    const cache = new MasepDecodeCache();
    const other = ascii(OBSERVATION_EXAMPLE.payload.replace('env_step="4"', 'env_step="5"'));
    const a = readObservation(decodeMessage(payload, undefined, { lazy: true, cache })).observation;
    const b = readObservation(decodeMessage(other, undefined, { lazy: true, cache })).observation;
    expect(b).not.toBe(a);
    expect(b.envStep).toBe(5);
    const system = (s: typeof a) => s.get('system')!.objectState.characteristics;
    // Same parsed content, decoded into objects equal to the first ones.
    expect(system(b)).toEqual(system(a));
  });

  it('forgets the oldest entries at its bound and never remembers failures', () => {
    const cache = new MasepDecodeCache(1);
    const quit = (n: number) => ascii(`<Message msg_type="quit" src_sub_app="${ENGINE_ID.slice(0, 35)}${n}" />`);
    const first = decodeMessage(quit(1), undefined, { cache });
    decodeMessage(quit(2), undefined, { cache });
    expect(decodeMessage(quit(1), undefined, { cache })).not.toBe(first);
    const bad = ascii('<Message msg_type="quit" />');
    expectCode(() => decodeMessage(bad, undefined, { cache }), 'MASEP_BAD_ENVELOPE');
    expectCode(() => decodeMessage(bad, undefined, { cache }), 'MASEP_BAD_ENVELOPE');
  });

  it('compares whole payloads: one differing byte of the same length is another message', () => {
    const cache = new MasepDecodeCache();
    const a = ascii(OBSERVATION_EXAMPLE.payload);
    const b = ascii(OBSERVATION_EXAMPLE.payload.replace('env_step="4"', 'env_step="5"'));
    expect(b.length).toBe(a.length);
    const first = readObservation(decodeMessage(a, undefined, { lazy: true, cache })).observation;
    const second = readObservation(decodeMessage(b, undefined, { lazy: true, cache })).observation;
    expect([first.envStep, second.envStep]).toEqual([4, 5]);
  });

  it('keeps its own copy of a payload: a buffer reused for the next message gives no stale result', () => {
    const cache = new MasepDecodeCache();
    const buffer = Buffer.from(OBSERVATION_EXAMPLE.payload, 'latin1');
    const first = readObservation(decodeMessage(buffer, undefined, { lazy: true, cache })).observation;
    buffer.write('env_step="6"', OBSERVATION_EXAMPLE.payload.indexOf('env_step="4"'), 'latin1');
    const second = readObservation(decodeMessage(buffer, undefined, { lazy: true, cache })).observation;
    expect([first.envStep, second.envStep]).toEqual([4, 6]);
  });

  it('forgets payloads oldest first and still finds the newer ones', () => {
    const cache = new MasepDecodeCache(2);
    const quit = (n: number) => ascii(`<Message msg_type="quit" src_sub_app="${ENGINE_ID.slice(0, 35)}${n}" />`);
    const [one, two, three] = [1, 2, 3].map((n) => decodeMessage(quit(n), undefined, { cache }));
    expect(decodeMessage(quit(2), undefined, { cache })).toBe(two);
    expect(decodeMessage(quit(3), undefined, { cache })).toBe(three);
    expect(decodeMessage(quit(1), undefined, { cache })).not.toBe(one);
  });

  it('parses an unchanged info dict of a new observation once, and a changed one again', () => {
    const cache = new MasepDecodeCache();
    const info = (payload: string) =>
      readObservation(decodeMessage(ascii(payload), undefined, { lazy: true, cache })).additionalInformation;
    const reward = (dict: ReturnType<typeof info>) => {
      const value = dict.get('reward');
      return value?.type === 'dict' ? value.entries.get('State.player0') : undefined;
    };
    const first = info(OBSERVATION_EXAMPLE.payload);
    const same = info(OBSERVATION_EXAMPLE.payload.replace('env_step="4"', 'env_step="5"'));
    const changed = info(OBSERVATION_EXAMPLE.payload.replace('<float>1.0</float>', '<float>2.5</float>'));
    expect(same).toEqual(first);
    expect(reward(first)).toEqual({ type: 'float', value: 1 });
    expect(reward(changed)).toEqual({ type: 'float', value: 2.5 });
    expect(info(OBSERVATION_EXAMPLE.payload)).toEqual(first);
  });

  it('is shared by frame decoders given the same cache', () => {
    const cache = new MasepDecodeCache();
    const stream = Buffer.concat([
      encodeMasepFrame({ kind: 'hello', ident: ENGINE_ID }),
      encodeMasepFrame({ kind: 'payload', payload }),
    ]);
    const messages = [new MasepFrameDecoder({ lazy: true, cache }), new MasepFrameDecoder({ lazy: true, cache })].map((decoder) => {
      const frames: MasepFrame[] = [];
      decoder.push(stream, (f) => frames.push(f));
      return frames[1];
    });
    expect(messages[0].kind).toBe('message');
    expect(messages[1]).toEqual(messages[0]);
    if (messages[0].kind === 'message' && messages[1].kind === 'message') expect(messages[1].message).toBe(messages[0].message);
  });
});
