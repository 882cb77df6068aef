import {
  Agent,
  Belief,
  Characteristic,
  CircularHeadList,
  GameObject,
  ObjectState,
  State,
  Value,
  type MasepDict,
  type MasepValue,
} from '../../protocols/masep/index.js';
import type { Coordination, GameView } from './game-view.js';

/** The controller class pymasep writes for agents driven by a remote interface (a name only). */
export const EXTERNAL_CONTROLLER = 'pymasep.engine.external_controller.ExternalController';

/** Name of the engine's bookkeeping object in every State. */
export const SYSTEM_OBJECT = 'system';

/**
 * The content of an empty belief: the GraphML text of an empty undirected graph, as networkx
 * writes it with its line breaks removed. pymasep's engine gives every agent a `<Belief>`, and
 * an Actor sees the other agents' beliefs emptied; actorwire's games keep no beliefs, so every
 * agent carries this one (docs/ARCHITECTURE.md, "pymasep: what the engine writes").
 */
export const EMPTY_BELIEF_GRAPHML =
  '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' +
  ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">' +
  '  <graph edgedefault="undirected" /></graphml>';

/** Everything {@link buildObservationState} needs besides the game's view. */
export interface ObservationFrame {
  readonly view: GameView;
  /** Agent names in turn order. */
  readonly players: readonly string[];
  /** Interface id controlling each agent. */
  readonly control: ReadonlyMap<string, string>;
  /** Index in `players` of the agent whose turn it is (turn mode). */
  readonly head: number;
  /**
   * The game's coordination. Not written: a pymasep State does not carry it (the game maps its
   * `GamePhase` to a coordination), so interfaces learn it from the game they know.
   */
  readonly coordination?: Coordination;
  readonly envStep: number;
  readonly isFinal: boolean;
}

function characteristics(values: Readonly<Record<string, MasepValue>>): Characteristic[] {
  return Object.entries(values).map(([name, value]) => new Characteristic({ name, state: 'run', value }));
}

// One shared empty belief: objects are immutable once built, and every agent's is the same.
const EMPTY_BELIEF = new Belief({ state: 'run', content: EMPTY_BELIEF_GRAPHML });

/**
 * The pymasep `State` the engine sends, written as pymasep's engine writes one: a `system` object
 * with `AgentOrder` (a CircularHeadList of `State.<agent>`) and `GamePhase` (`play`), then the
 * game's objects, then one `Agent` per player (controller ExternalController, `control` =
 * interface id) with its characteristics and an empty `<Belief>`.
 */
export function buildObservationState(frame: ObservationFrame): State {
  const order = new CircularHeadList(
    frame.players.map((p) => Value.str(`State.${p}`)),
    frame.players.length === 0 ? -1 : frame.head,
  );
  const system = new GameObject({
    name: SYSTEM_OBJECT,
    state: 'run',
    objectState: new ObjectState({
      state: 'run',
      characteristics: [
        new Characteristic({ name: 'AgentOrder', state: 'run', value: Value.object(order) }),
        new Characteristic({ name: 'GamePhase', state: 'run', value: Value.str('play') }),
      ],
    }),
  });
  const agents = frame.players.map(
    (player) =>
      new Agent({
        name: player,
        state: 'run',
        controller: EXTERNAL_CONTROLLER,
        control: frame.control.get(player),
        objectState: new ObjectState({ state: 'run', characteristics: characteristics(frame.view.agents[player] ?? {}) }),
        belief: EMPTY_BELIEF,
      }),
  );
  return new State({
    state: 'run',
    isFinal: frame.isFinal,
    envStep: frame.envStep,
    objects: [system, ...(frame.view.objects ?? []), ...agents],
  });
}

/**
 * The `additional_information` the engine sends with each observation, with the keys pymasep's
 * engine writes: `state_changed` (True) and `reward` (each agent's reward of the last step as a
 * float, keyed by its full name `State.<agent>`; 0.0 for an agent without one).
 */
export function observationInfo(players: readonly string[], rewards: Readonly<Record<string, number>>): MasepDict {
  const reward = new Map<string, MasepValue>(players.map((p) => [`State.${p}`, Value.float(rewards[p] ?? 0)]));
  return new Map<string, MasepValue>([
    ['state_changed', Value.bool(true)],
    ['reward', Value.dict(reward)],
  ]);
}

/**
 * A reading of an observed `State` for agents and observers: whose turn it is, which agent an
 * interface controls, characteristic values.
 */
export class ObservationView {
  constructor(readonly state: State) {}

  /** The agent name at the head of `AgentOrder`, if any. */
  get turn(): string | undefined {
    const order = this.value(SYSTEM_OBJECT, 'AgentOrder');
    if (order?.type !== 'object' || !(order.object instanceof CircularHeadList)) return undefined;
    const head = order.object.current;
    if (head?.type !== 'str') return undefined;
    const prefix = `${this.state.name}.`;
    return head.value.startsWith(prefix) ? head.value.slice(prefix.length) : head.value;
  }

  /** The agents of the state. */
  get agents(): Agent[] {
    return this.state.objects.filter((o): o is Agent => o instanceof Agent);
  }

  /** The agent whose `control` is `interfaceId`, if any. */
  agentControlledBy(interfaceId: string): Agent | undefined {
    return this.agents.find((a) => a.control === interfaceId);
  }

  /**
   * Whether `agent` is to act on this observation: never once the state is final; in a `turn`
   * game only when it heads `AgentOrder`; otherwise (a `simultaneous` game, or a game whose
   * coordination is not known) on every step, as pymasep's interface does, the engine deciding
   * which actions count.
   */
  shouldAct(agent: string, coordination?: Coordination): boolean {
    if (this.state.isFinal) return false;
    return coordination !== 'turn' || this.turn === agent;
  }

  /** The value of characteristic `characteristic` of object `object`, if any. */
  value(object: string, characteristic: string): MasepValue | undefined {
    return this.state.get(object)?.objectState.get(characteristic)?.value ?? undefined;
  }

  /** A numeric characteristic (int or float) as a number; `undefined` otherwise. */
  number(object: string, characteristic: string): number | undefined {
    const value = this.value(object, characteristic);
    if (value?.type === 'int') return Number(value.value);
    if (value?.type === 'float') return value.value;
    return undefined;
  }
}
