import { describe, expect, it } from 'vitest';
import {
  Action,
  Value,
  decodeMessage,
  encodeMessage,
  encodeMessageText,
  type Message,
  type MasepValue,
} from '../../../src/protocols/masep/index.js';
import { expectCode } from './expect-code.js';
import {
  ACTION_EXAMPLE,
  DEFINE_EXAMPLE,
  END_EXAMPLE,
  ENGINE_ID,
  INTERFACE_ID,
  QUIT_EXAMPLE,
  REGISTER_EXAMPLE,
  SPEC_EXAMPLES,
  ascii,
} from './spec-examples.js';

const decodeText = (text: string): Message => decodeMessage(Buffer.from(text, 'utf8'));

describe('Message codec: spec §2.3 examples', () => {
  it.each(SPEC_EXAMPLES)('$name has the length and header the spec states', (example) => {
    const bytes = ascii(example.payload);
    expect(bytes.length).toBe(example.length);
    expect([bytes.length & 0xff, bytes.length >> 8]).toEqual(example.header);
  });

  it.each(SPEC_EXAMPLES)('$name decodes and encodes back to the same bytes', (example) => {
    const decoded = decodeMessage(ascii(example.payload));
    expect(Buffer.from(encodeMessage(decoded)).toString('latin1')).toBe(example.payload);
  });

  const typed: Array<[string, Message, string]> = [
    [
      'DEFINE',
      { msgType: 'define', srcSubApp: INTERFACE_ID, params: new Map<string, MasepValue>([['game', Value.classRef('mygames.tictactoe.TicTacToe')]]) },
      DEFINE_EXAMPLE.payload,
    ],
    [
      'REGISTER',
      {
        msgType: 'register',
        srcSubApp: INTERFACE_ID,
        params: new Map<string, MasepValue>([
          ['id', Value.str(INTERFACE_ID)],
          ['queue_id', Value.int(0)],
          ['role', Value.str('Actor')],
        ]),
      },
      REGISTER_EXAMPLE.payload,
    ],
    [
      'ACTION',
      {
        msgType: 'action',
        srcSubApp: INTERFACE_ID,
        params: new Map<string, MasepValue>([['action', Value.object(new Action(5, { direction: Value.str('up'), count: Value.int(2) }))]]),
      },
      ACTION_EXAMPLE.payload,
    ],
    ['END_GAME', { msgType: 'end', srcSubApp: ENGINE_ID, params: null }, END_EXAMPLE.payload],
    ['QUIT', { msgType: 'quit', srcSubApp: INTERFACE_ID, params: null }, QUIT_EXAMPLE.payload],
  ];

  it.each(typed)('%s: the typed message encodes to the exact payload and decodes back to itself', (_, message, payload) => {
    expect(encodeMessageText(message)).toBe(payload);
    expect(decodeMessage(ascii(payload))).toStrictEqual(message);
  });
});

describe('Message codec: envelope rules', () => {
  it('writes empty params like no params, and reads <dict /> as empty params', () => {
    const empty: Message = { msgType: 'quit', srcSubApp: 'a', params: new Map() };
    expect(encodeMessageText(empty)).toBe('<Message msg_type="quit" src_sub_app="a" />');
    expect(decodeText('<Message msg_type="quit" src_sub_app="a"><dict /></Message>').params).toEqual(new Map());
  });

  it('writes non-ASCII as decimal references and reads them back', () => {
    const message: Message = { msgType: 'x', srcSubApp: 'é', params: new Map<string, MasepValue>([['k', Value.str('é😀')]]) };
    const text = encodeMessageText(message);
    expect(text).toBe('<Message msg_type="x" src_sub_app="&#233;"><dict><item key="k"><str>&#233;&#128512;</str></item></dict></Message>');
    expect(decodeText(text)).toStrictEqual(message);
  });

  it('escapes attribute values as CPython 3.11 does and reads them back', () => {
    const key = '\t\r\n"<&é';
    const message: Message = { msgType: 'x', srcSubApp: 's', params: new Map<string, MasepValue>([[key, Value.int(1)]]) };
    const text = encodeMessageText(message);
    expect(text).toContain('key="&#09;&#13;&#10;&quot;&lt;&amp;&#233;"');
    expect(decodeText(text)).toStrictEqual(message);
  });

  it('accepts a declaration, indentation and raw UTF-8 as Python does', () => {
    const pretty = `<?xml version="1.0" encoding="UTF-8"?>
<Message msg_type="register" src_sub_app="é">
  <dict>
    <item key="role"><str>Actor</str></item>
  </dict>
</Message>`;
    expect(decodeText(pretty)).toStrictEqual({
      msgType: 'register',
      srcSubApp: 'é',
      params: new Map<string, MasepValue>([['role', Value.str('Actor')]]),
    });
  });

  it('keeps unknown msg_type values for the application to drop', () => {
    expect(decodeText('<Message msg_type="hello-world" src_sub_app="a" />').msgType).toBe('hello-world');
  });

  it('lets the last params child win, as Python does', () => {
    const message = decodeText(
      '<Message msg_type="x" src_sub_app="a"><dict><item key="a"><int>1</int></item></dict><dict><item key="b"><int>2</int></item></dict></Message>',
    );
    expect(message.params).toEqual(new Map<string, MasepValue>([['b', Value.int(2)]]));
  });
});

describe('Message codec: bad input', () => {
  it.each([
    ['missing msg_type', '<Message src_sub_app="a" />', 'MASEP_BAD_ENVELOPE'],
    ['missing src_sub_app', '<Message msg_type="quit" />', 'MASEP_BAD_ENVELOPE'],
    ['another root', '<Msg msg_type="quit" src_sub_app="a" />', 'MASEP_BAD_ENVELOPE'],
    ['params that are a list', '<Message msg_type="x" src_sub_app="a"><list /></Message>', 'MASEP_BAD_PARAMS'],
    ['params that are a str', '<Message msg_type="x" src_sub_app="a"><str>x</str></Message>', 'MASEP_BAD_PARAMS'],
    ['params that are an object', '<Message msg_type="x" src_sub_app="a"><Action type="1" /></Message>', 'MASEP_BAD_PARAMS'],
    ['a bad int', '<Message msg_type="x" src_sub_app="a"><dict><item key="k"><int>1x</int></item></dict></Message>', 'MASEP_BAD_VALUE'],
    ['an item without a value', '<Message msg_type="x" src_sub_app="a"><dict><item key="k" /></dict></Message>', 'MASEP_BAD_VALUE'],
    ['a dict item without key', '<Message msg_type="x" src_sub_app="a"><dict><item><int>1</int></item></dict></Message>', 'MASEP_BAD_VALUE'],
    ['an Action type that is not an int', '<Message msg_type="action" src_sub_app="a"><dict><item key="action"><Action type="up" /></item></dict></Message>', 'MASEP_BAD_OBJECT'],
    ['unclosed tags', '<Message msg_type="x" src_sub_app="a"><dict>', 'MALFORMED_MESSAGE'],
    ['mismatched tags', '<Message msg_type="x" src_sub_app="a"><dict></list></Message>', 'MALFORMED_MESSAGE'],
    ['two roots', '<Message msg_type="x" src_sub_app="a" /><Message msg_type="x" src_sub_app="a" />', 'MALFORMED_MESSAGE'],
    ['not XML', 'BYE?', 'MALFORMED_MESSAGE'],
    ['an empty payload', '', 'MALFORMED_MESSAGE'],
    ['an undefined entity', '<Message msg_type="&xxe;" src_sub_app="a" />', 'MALFORMED_MESSAGE'],
    ['an internal entity (billion laughs)', '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><Message msg_type="&lol2;" src_sub_app="a" />', 'MASEP_XML_DOCTYPE'],
    ['an external entity', '<!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Message msg_type="&xxe;" src_sub_app="a" />', 'MASEP_XML_DOCTYPE'],
    ['a bare DOCTYPE', '<!DOCTYPE Message><Message msg_type="x" src_sub_app="a" />', 'MASEP_XML_DOCTYPE'],
  ])('rejects %s', (_, text, code) => {
    expectCode(() => decodeText(text), code);
  });

  it('rejects invalid UTF-8', () => {
    expectCode(() => decodeMessage(Uint8Array.of(0x3c, 0x4d, 0xff, 0x3e)), 'MALFORMED_MESSAGE');
  });

  it('never resolves a class reference: it stays a name', () => {
    const message = decodeText(DEFINE_EXAMPLE.payload);
    expect(message.params?.get('game')).toEqual({ type: 'class', path: 'mygames.tictactoe.TicTacToe', tag: 'type' });
  });
});
