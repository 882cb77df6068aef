import { Action } from './action.js';
import { MasepError } from './errors.js';
import { MessageType, type Message, type MessageTypeName } from './message.js';
import { State } from './state.js';
import { Value, type MasepDict, type MasepValue } from './value.js';

/** The roles an interface registers with (`ConnectedSubAppInfo.ROLE_ACTOR` / `ROLE_OBSERVER`). */
export const SubAppRole = { ACTOR: 'Actor', OBSERVER: 'Observer' } as const;

/** A registered role: `Actor`, `Observer`, or another string (treated like an observer). */
export type SubAppRoleName = (typeof SubAppRole)[keyof typeof SubAppRole] | (string & {});

/** The params of a REGISTER. */
export interface RegisterParams {
  /** The interface's sub-app id; must equal its hello ident to be served over TCP. */
  readonly id: string;
  readonly role: SubAppRoleName;
  /** The interface's local queue index: 0 in a remote interface process. */
  readonly queueId: number;
}

/** The params of an OBSERVATION. */
export interface ObservationParams {
  readonly observation: State;
  /** E.g. `state_changed` (bool), `reward` (dict of agent full name to number), `log`. */
  readonly additionalInformation: MasepDict;
}

function message(msgType: MessageTypeName, srcSubApp: string, params: Record<string, MasepValue> | null): Message {
  return { msgType, srcSubApp, params: params && new Map(Object.entries(params)) };
}

/** DEFINE: which game the engine should run, as a class path (an allow-list key, never imported). */
export function defineMessage(srcSubApp: string, gameClassPath: string): Message {
  return message(MessageType.DEFINE, srcSubApp, { game: Value.classRef(gameClassPath) });
}

/** REGISTER with `id` (default `srcSubApp`), `queue_id` (default 0) and `role`, in pymasep's order. */
export function registerMessage(
  srcSubApp: string,
  role: SubAppRoleName,
  options: { readonly id?: string; readonly queueId?: number } = {},
): Message {
  return message(MessageType.REGISTER, srcSubApp, {
    id: Value.str(options.id ?? srcSubApp),
    queue_id: Value.int(options.queueId ?? 0),
    role: Value.str(role),
  });
}

/** OBSERVATION: a State and the environment's additional information. */
export function observationMessage(
  srcSubApp: string,
  observation: State,
  additionalInformation: MasepDict = new Map(),
): Message {
  return message(MessageType.OBSERVATION, srcSubApp, {
    observation: Value.object(observation),
    additional_information: Value.dict(additionalInformation),
  });
}

/** ACTION: one action of the interface's agent. */
export function actionMessage(srcSubApp: string, action: Action): Message {
  return message(MessageType.ACTION, srcSubApp, { action: Value.object(action) });
}

/** QUIT (no params): ends the current episode. */
export function quitMessage(srcSubApp: string): Message {
  return message(MessageType.QUIT, srcSubApp, null);
}

/** END_GAME (`end`, no params): sent by the engine after the last episode. */
export function endMessage(srcSubApp: string): Message {
  return message(MessageType.END_GAME, srcSubApp, null);
}

function badParams(msg: Message, problem: string): MasepError {
  return new MasepError('MASEP_BAD_PARAMS', `${msg.msgType.slice(0, 40)} message: ${problem}`);
}

function param(msg: Message, expectedType: MessageTypeName, key: string): MasepValue {
  if (msg.msgType !== expectedType) {
    throw new MasepError('MASEP_BAD_ENVELOPE', `expected a ${expectedType} message, got ${msg.msgType.slice(0, 40)}`);
  }
  const value = msg.params?.get(key);
  if (value === undefined) throw badParams(msg, `missing ${key}`);
  return value;
}

function objectParam<T>(msg: Message, type: MessageTypeName, key: string, expected: abstract new (...a: never[]) => T): T {
  const value = param(msg, type, key);
  if (value.type !== 'object' || !(value.object instanceof expected)) throw badParams(msg, `${key} is not a ${expected.name}`);
  return value.object;
}

/** The game class path of a DEFINE; `MASEP_BAD_PARAMS` when `game` is missing or not a class. */
export function readDefine(msg: Message): string {
  const game = param(msg, MessageType.DEFINE, 'game');
  if (game.type !== 'class') throw badParams(msg, 'game is not a class reference');
  return game.path;
}

/**
 * The params of a REGISTER: `id` and `role` must be strings, `queue_id` an int when present
 * (default 0). Throws `MASEP_BAD_PARAMS` otherwise (pymasep crashes with `KeyError`).
 */
export function readRegister(msg: Message): RegisterParams {
  const id = param(msg, MessageType.REGISTER, 'id');
  const role = param(msg, MessageType.REGISTER, 'role');
  const queueId = msg.params?.get('queue_id') ?? Value.int(0);
  if (id.type !== 'str' || id.value === '') throw badParams(msg, 'id is not a non-empty str');
  if (role.type !== 'str') throw badParams(msg, 'role is not a str');
  if (queueId.type !== 'int' || typeof queueId.value !== 'number') throw badParams(msg, 'queue_id is not an int');
  return { id: id.value, role: role.value, queueId: queueId.value };
}

/** The params of an OBSERVATION; `MASEP_BAD_PARAMS` unless `observation` is a State. */
export function readObservation(msg: Message): ObservationParams {
  const observation = objectParam(msg, MessageType.OBSERVATION, 'observation', State);
  const info = msg.params?.get('additional_information');
  if (info !== undefined && info.type !== 'dict') throw badParams(msg, 'additional_information is not a dict');
  return { observation, additionalInformation: info?.entries ?? new Map() };
}

/** The action of an ACTION; `MASEP_BAD_PARAMS` unless `action` is an Action. */
export function readAction(msg: Message): Action {
  return objectParam(msg, MessageType.ACTION, 'action', Action);
}
