import {
  Agent,
  Characteristic,
  CircularHeadList,
  GameObject,
  ObjectState,
  State,
  Value,
  type MasepValue,
} from '../../protocols/masep/index.js';
import type { Coordination, GameView } from './game.js';

/** The controller class pymasep writes for agents driven by a remote interface (a name only). */
export const EXTERNAL_CONTROLLER = 'pymasep.engine.external_controller.ExternalController';

/** Name of the engine's bookkeeping object in every State. */
export const SYSTEM_OBJECT = 'system';

/** Everything {@link buildObservationState} needs besides the game's view. */
export interface ObservationFrame {
  readonly view: GameView;
  /** Agent names in turn order. */
  readonly players: readonly string[];
  /** Interface id controlling each agent. */
  readonly control: ReadonlyMap<string, string>;
  /** Index in `players` of the agent whose turn it is (turn mode). */
  readonly head: number;
  readonly coordination: Coordination;
  readonly envStep: number;
  readonly isFinal: boolean;
}

function characteristics(values: Readonly<Record<string, MasepValue>>): Characteristic[] {
  return Object.entries(values).map(([name, value]) => new Characteristic({ name, state: 'run', value }));
}

/**
 * The pymasep `State` the engine sends: a `system` object with `AgentOrder` (a
 * CircularHeadList of `State.<agent>`), `GamePhase` (`play`) and `Coordination`, then the game's
 * objects, then one `Agent` per player (controller ExternalController, `control` = interface id).
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
        new Characteristic({ name: 'Coordination', state: 'run', value: Value.str(frame.coordination) }),
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
 * A reading of an observed `State` for agents and observers: whose turn it is, which agent an
 * interface controls, characteristic values.
 */
export class ObservationView {
  constructor(readonly state: State) {}

  /** `turn` or `simultaneous` (from the system object; `turn` when absent, as in pymasep). */
  get coordination(): Coordination {
    const value = this.value(SYSTEM_OBJECT, 'Coordination');
    return value?.type === 'str' && value.value === 'simultaneous' ? 'simultaneous' : 'turn';
  }

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

  /** Whether `agent` is expected to act on this observation. */
  shouldAct(agent: string): boolean {
    if (this.state.isFinal) return false;
    return this.coordination === 'simultaneous' || this.turn === agent;
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
