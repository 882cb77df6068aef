/**
 * What the decoder fuzz campaign feeds, per protocol: valid frames to mutate, the tokens of the
 * format inside them, and how one input is taken in, the way a connection takes it in (a fresh
 * decoder, the bytes in chunks, then the end of the stream), down to the typed messages a server
 * acts on. Anything thrown that is not one of actorwire's named errors escaped a decoder or codec:
 * that is a crash.
 */
import { parseEngineCommand } from '../src/obe/engine-commands.js';
import { type ObeEngineCommandName } from '../src/protocols/obe/index.js';
import {
  MessageType,
  actionMessage,
  createMasepProtocol,
  encodeMasepFrame,
  readAction,
  readDefine,
  readObservation,
  readRegister,
  Action,
  Value,
} from '../src/protocols/masep/index.js';
import { encodeObeMessage, obeProtocol, parseObeRequest, type PythonJson } from '../src/protocols/obe/index.js';
import { encodeLine, onelineServerProtocol } from '../src/protocols/oneline/index.js';
import { EventId, Scope, createRsbProtocol, encodeNotificationFrame, nowMicros } from '../src/protocols/rsb/index.js';
import { SPEC_EXAMPLES, INTERFACE_ID } from '../test/protocols/masep/spec-examples.js';
import type { FrameDecoder } from '../src/protocols/framing/types.js';
import type { Mutator } from './mutator.js';

/** One protocol's decoder under fuzz. */
export interface FuzzTarget {
  readonly name: string;
  /** Valid inputs: whole streams of one or more frames. */
  readonly seeds: readonly Uint8Array[];
  /** Byte strings that matter to the payload format, inserted by the mutator. */
  readonly tokens: readonly Uint8Array[];
  /** Takes one input as a connection would; throws only named errors. */
  feed(input: Uint8Array, random: Mutator): void;
}

const ascii = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));
const tokensOf = (...texts: string[]): Uint8Array[] => texts.map(ascii);

/**
 * Pushes `input` into `decoder` in one to four chunks cut at random, ends the stream, and returns
 * the messages. Errors of the decoder itself propagate; the caller then acts on the messages
 * outside the decoder's sink, as a connection's subscriber does.
 */
function push<T>(decoder: FrameDecoder<T>, input: Uint8Array, random: Mutator): T[] {
  const out: T[] = [];
  const sink = (message: T): void => void out.push(message);
  let at = 0;
  const chunks = 1 + random.below(4);
  for (let i = 1; i < chunks && at < input.length; i++) {
    const cut = at + random.below(input.length - at + 1);
    decoder.push(input.subarray(at, cut), sink);
    at = cut;
  }
  decoder.push(input.subarray(at), sink);
  decoder.end();
  return out;
}

const OBE_COMMANDS: PythonJson[] = [
  { command: 'ready' },
  { command: 'newdat', x: [2.5], y: 0.98, s: 0.005 },
  { command: 'goodset', pickiness: 6 },
  { command: 'getmean' },
  { command: 'newrun', lolim: 2, hilim: 3, steps: 200 },
  { command: 'newrun', spec: { model: 'lorentzian-dip', settings: [{ linspace: [2, 3, 200] }], prior: [{ dist: 'uniform', low: 2, high: 3 }], particles: 1000 } },
];

const obe: FuzzTarget = {
  name: 'obe',
  seeds: [...OBE_COMMANDS.map((c) => encodeObeMessage(c)), Buffer.concat(OBE_COMMANDS.slice(0, 3).map((c) => encodeObeMessage(c)))],
  tokens: tokensOf('{', '}', '[', ']', '"', ',', ':', '-', '1e308', 'NaN', '-Infinity', '\\u00', '0000000000', '9999999999', '[[[[[[[[', '"command"'),
  feed(input, random) {
    const decoder = obeProtocol({ keepInts: true, maxBodyBytes: 1 << 20 }).createDecoder();
    for (const frame of push(decoder, input, random)) {
      if (frame.kind !== 'json') continue;
      const request = parseObeRequest(frame.value);
      if (request.command === 'ready' || request.command === 'done') continue;
      parseEngineCommand(request.command as ObeEngineCommandName | 'newrun', request.message);
    }
  },
};

const SENDER = EventId.fromUuid('d8fbfef4-4eb0-4c89-9716-c425ded3c527', 0).senderId;
const rsbFrame = (scope: string, text: string, seq: number): Uint8Array => {
  const now = nowMicros();
  return encodeNotificationFrame({
    eventId: new EventId(SENDER, seq),
    scope: Scope.parse(scope),
    wireSchema: 'utf-8-string',
    data: Buffer.from(text, 'utf8'),
    causes: [new EventId(SENDER, seq + 100)],
    metaData: { createTime: now, sendTime: now, userInfos: [{ key: 'k', value: 'v' }], userTimes: [{ key: 't', timestamp: now }] },
  });
};

const rsb: FuzzTarget = {
  name: 'rsb',
  seeds: [rsbFrame('/demo/a/', 'hello', 1), rsbFrame('/', '', 2), Buffer.concat([rsbFrame('/x/', 'one', 3), rsbFrame('/x/y/', 'two', 4)])],
  tokens: [Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f), Uint8Array.of(0x80, 0x80, 0x80), Uint8Array.of(0x0a, 0xff, 0x01), Uint8Array.of(0x12, 0x00), ascii('/a b/'), Uint8Array.of(0, 0, 0, 0)],
  feed(input, random) {
    const decoder = createRsbProtocol({ maxFrameBytes: 1 << 20 }).createDecoder();
    push(decoder, input, random);
  },
};

const masepHello = encodeMasepFrame({ kind: 'hello', ident: INTERFACE_ID });
const masepMessages = [
  ...SPEC_EXAMPLES.map((e) => encodeMasepFrame({ kind: 'payload', payload: ascii(e.payload) })),
  encodeMasepFrame({ kind: 'message', message: actionMessage(INTERFACE_ID, new Action(1, { direction: Value.str('right'), n: Value.int(3), f: Value.float(0.5) })) }),
];

const masep: FuzzTarget = {
  name: 'masep',
  seeds: [Buffer.concat([masepHello, ...masepMessages]), ...masepMessages.map((m) => Buffer.concat([masepHello, m]))],
  tokens: tokensOf('<', '>', '</', '/>', '"', '&lt;', '&#x0;', '<!DOCTYPE a>', '<dict>', '<item key="a">', '<Message msg_type="action" src_sub_app="x">', 'BYE', "<class 'os.system'>"),
  feed(input, random) {
    const decoder = createMasepProtocol().createDecoder();
    for (const frame of push(decoder, input, random)) {
      if (frame.kind !== 'message') continue;
      const message = frame.message;
      // What an engine or interface reads next, lazily decoded parts included.
      switch (message.msgType) {
        case MessageType.ACTION:
          readAction(message);
          break;
        case MessageType.DEFINE:
          readDefine(message);
          break;
        case MessageType.REGISTER:
          readRegister(message);
          break;
        case MessageType.OBSERVATION:
          readObservation(message).observation.toJSON();
          break;
      }
    }
  },
};

const oneline: FuzzTarget = {
  name: 'oneline',
  seeds: [Buffer.concat(['ping', 'cmd01', 'add 1 2', 'disconnect'].map(encodeLine)), encodeLine('shutdown')],
  tokens: [Uint8Array.of(0x0a), Uint8Array.of(0x0d), Uint8Array.of(0xc3, 0x28), Uint8Array.of(0xff), Uint8Array.of(0)],
  feed(input, random) {
    const decoder = onelineServerProtocol({ maxLineBytes: 4096 }).createDecoder();
    push(decoder, input, random);
  },
};

/** Every protocol's decoder. */
export const FUZZ_TARGETS: readonly FuzzTarget[] = [obe, rsb, masep, oneline];
