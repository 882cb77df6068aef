import { describe, expect, it } from 'vitest';
import { CircularHeadList, Value, defaultObjectRegistry } from '../../../src/protocols/masep/index.js';
import { readXml } from '../../../src/protocols/masep/xml-reader.js';
import { writeXml } from '../../../src/protocols/masep/xml-writer.js';
import { expectCode } from './expect-code.js';

const context = { objects: defaultObjectRegistry };

describe('CircularHeadList', () => {
  it('writes data, then head_idx, and reads it back', () => {
    const list = new CircularHeadList([Value.str('State.player0'), Value.str('State.player1')], 1);
    const xml =
      '<CircularHeadList><data><list><item><str>State.player0</str></item><item><str>State.player1</str></item></list></data>' +
      '<head_idx>1</head_idx></CircularHeadList>';
    expect(writeXml(list.toXml())).toBe(xml);
    const back = CircularHeadList.fromXml(readXml(Buffer.from(xml)), context);
    expect(back).toStrictEqual(list);
    expect(back.current).toEqual(Value.str('State.player1'));
  });

  it('gives an empty list head -1', () => {
    const empty = new CircularHeadList([]);
    expect(empty.head).toBe(-1);
    expect(writeXml(empty.toXml())).toBe('<CircularHeadList><data><list /></data><head_idx>-1</head_idx></CircularHeadList>');
    expect(empty.current).toBeUndefined();
  });

  it('refuses a head outside the list', () => {
    expectCode(() => new CircularHeadList([Value.int(1)], 1), 'MASEP_UNENCODABLE');
    expectCode(() => new CircularHeadList([], 0), 'MASEP_UNENCODABLE');
  });
});
