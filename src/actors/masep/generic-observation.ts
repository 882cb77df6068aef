import {
  Agent,
  CircularHeadList,
  valueToJson,
  dictToJson,
  type Action,
  type GameObject,
  type JsonValue,
  type LifecycleState,
  type MasepDict,
  type MasepValue,
} from '../../protocols/masep/index.js';
import { SYSTEM_OBJECT, type ObservationView } from './observation-state.js';

/** One characteristic of an object: its name, its typed value and the same as plain JSON. */
export interface CharacteristicView {
  readonly name: string;
  /** The Python type name it was written with (`int`, `str`, `list`, `CircularHeadList`, ...). */
  readonly valueType: string;
  /** The typed value; null for a None written as an empty typed element (`<str />`). */
  readonly value: MasepValue | null;
  /** The value as plain JSON (see `valueToJson`): numbers, strings, arrays, objects, null. */
  readonly plain: JsonValue;
}

/** A named group of objects an object holds (`<Container>`). */
export interface ContainerView {
  readonly name: string;
  readonly objects: readonly ObjectView[];
}

function numberOf(value: MasepValue | null | undefined): number | undefined {
  if (value?.type === 'int') return Number(value.value);
  if (value?.type === 'float') return value.value;
  return undefined;
}

/**
 * An object of an observed state, whatever its game: its attributes and its characteristics
 * (the children of its `<ObjectState>`), typed and as plain values. Read lazily: nothing is
 * decoded or converted until asked for.
 */
export class ObjectView {
  private characteristicsCache: ReadonlyMap<string, CharacteristicView> | undefined;

  /** @param stateName the state's name, the prefix of full names (`State`). */
  constructor(
    /** The decoded object this view reads. */
    readonly object: GameObject,
    private readonly stateName: string,
  ) {}

  /** Its name in the state, e.g. `board` or `player0`. */
  get name(): string {
    return this.object.name;
  }

  /** Its full name as pymasep spells it (rewards and AgentOrder use it), e.g. `State.player0`. */
  get fullName(): string {
    return `${this.stateName}.${this.object.name}`;
  }

  /** Its element tag: `Object`, `Agent`, or a game's own class. */
  get tag(): string {
    return this.object.tag;
  }

  /** Its `nature` attribute, when the game sets one. */
  get nature(): string | undefined {
    return this.object.nature;
  }

  /** Its lifecycle state, `run` once initialised. */
  get state(): LifecycleState {
    return this.object.state;
  }

  /** The characteristics by name, in document order. */
  get characteristics(): ReadonlyMap<string, CharacteristicView> {
    if (this.characteristicsCache) return this.characteristicsCache;
    const out = new Map<string, CharacteristicView>();
    for (const c of this.object.objectState.characteristics) {
      const value = c.value;
      out.set(c.name, {
        name: c.name,
        valueType: c.valueType,
        value,
        get plain() {
          return value === null ? null : valueToJson(value);
        },
      });
    }
    return (this.characteristicsCache = out);
  }

  /** The containers and the objects they hold. */
  get containers(): readonly ContainerView[] {
    return this.object.containers.map((c) => ({ name: c.name, objects: c.objects.map((o) => viewOf(o, this.stateName)) }));
  }

  /** The typed value of characteristic `name`: undefined when there is none, null for a typed None. */
  value(name: string): MasepValue | null | undefined {
    return this.object.objectState.get(name)?.value;
  }

  /** Characteristic `name` as plain JSON; undefined when there is none. */
  plain(name: string): JsonValue | undefined {
    const value = this.value(name);
    return value === undefined ? undefined : value === null ? null : valueToJson(value);
  }

  /** An int or float characteristic as a number; undefined otherwise. */
  number(name: string): number | undefined {
    return numberOf(this.value(name));
  }

  /** A str characteristic; undefined otherwise. */
  string(name: string): string | undefined {
    const value = this.value(name);
    return value?.type === 'str' ? value.value : undefined;
  }

  /** A bool characteristic; undefined otherwise. */
  boolean(name: string): boolean | undefined {
    const value = this.value(name);
    return value?.type === 'bool' ? value.value : undefined;
  }

  /** Plain JSON: name, tag, nature, state and the characteristics as `{name: value}`. */
  toJSON(): JsonValue {
    const json: { [key: string]: JsonValue } = { name: this.name, tag: this.tag, state: this.state };
    if (this.nature !== undefined) json.nature = this.nature;
    json.characteristics = this.object.objectState.characteristicsJson();
    return json;
  }
}

/** An agent of an observed state: an object plus its controller, intentions and belief. */
export class AgentView extends ObjectView {
  declare readonly object: Agent;

  /** The controller class name (a name only, never loaded). */
  get controller(): string {
    return this.object.controller;
  }

  /** The sub-app id of the interface in charge of it, if any. */
  get control(): string | undefined {
    return this.object.control;
  }

  /** The actions it intends (its `<Intention>`), empty when it has none. */
  get intentions(): readonly Action[] {
    return this.object.intention?.actions ?? [];
  }

  /** Its belief graph as the GraphML text pymasep sends (an empty graph for others' beliefs). */
  get belief(): string | undefined {
    return this.object.belief?.content;
  }

  override toJSON(): JsonValue {
    const json: { [key: string]: JsonValue } = { ...(super.toJSON() as { [key: string]: JsonValue }), controller: this.controller };
    if (this.control !== undefined) json.control = this.control;
    return json;
  }
}

function viewOf(object: GameObject, stateName: string): ObjectView {
  return object instanceof Agent ? new AgentView(object, stateName) : new ObjectView(object, stateName);
}

/**
 * A typed view of one observation of any pymasep game, including games actorwire has no class
 * for: the state's objects and agents with their characteristics, the agent an interface
 * controls, whose turn it is, intentions, beliefs as text, `additional_information` and rewards.
 * Built games read it too (the resource grid's `readGrid`).
 *
 * @example
 * ```ts
 * // a tic-tac-toe agent: mark the first free cell of the board on its turn
 * const policy: Policy = ({ generic }) => {
 *   if (!generic.myTurn) return null;
 *   const cells = generic.object('board')?.plain('Cells') as string[];
 *   const free = cells.indexOf('');
 *   return toAction({ type: 1, params: { row: Math.floor(free / 3), col: free % 3 } });
 * };
 * ```
 */
export class GenericObservation {
  private objectsCache: { objects: ObjectView[]; agents: AgentView[] } | undefined;

  /**
   * @param view the observed state
   * @param info its `additional_information`
   * @param episode the episode as the interface counts it
   * @param interfaceId the observing interface's id, to find its own agent
   */
  constructor(
    readonly view: ObservationView,
    readonly info: MasepDict,
    readonly episode: number,
    readonly interfaceId?: string,
  ) {}

  /** The environment step (`env_step`). */
  get step(): number {
    return this.view.state.envStep;
  }

  /** Whether the episode is over (`is_final`). */
  get isFinal(): boolean {
    return this.view.state.isFinal;
  }

  /** The system object's `GamePhase`, if it has one. */
  get phase(): string | undefined {
    const value = this.view.value(SYSTEM_OBJECT, 'GamePhase');
    return value?.type === 'str' ? value.value : undefined;
  }

  /** The agent names of `AgentOrder`, in order. */
  get order(): string[] {
    const order = this.view.value(SYSTEM_OBJECT, 'AgentOrder');
    if (order?.type !== 'object' || !(order.object instanceof CircularHeadList)) return [];
    const prefix = `${this.view.state.name}.`;
    return order.object.items.flatMap((item) =>
      item.type === 'str' ? [item.value.startsWith(prefix) ? item.value.slice(prefix.length) : item.value] : [],
    );
  }

  /** The agent heading `AgentOrder`: whose turn it is in a turn-based game. */
  get turn(): string | undefined {
    return this.view.turn;
  }

  /** Every object that is not an agent (the `system` object included), in document order. */
  get objects(): readonly ObjectView[] {
    return this.split().objects;
  }

  /** Every agent, in document order. */
  get agents(): readonly AgentView[] {
    return this.split().agents;
  }

  /** The agent this interface controls (its `control` is the interface id), if any. */
  get me(): AgentView | undefined {
    return this.interfaceId === undefined ? undefined : this.agents.find((a) => a.control === this.interfaceId);
  }

  /** Whether this interface's agent heads `AgentOrder` and the episode goes on. */
  get myTurn(): boolean {
    const me = this.me;
    return me !== undefined && !this.isFinal && this.turn === me.name;
  }

  /** The object (or agent) called `name`, if any. */
  object(name: string): ObjectView | undefined {
    return this.objects.find((o) => o.name === name) ?? this.agent(name);
  }

  /** The agent called `name`, if any. */
  agent(name: string): AgentView | undefined {
    return this.agents.find((a) => a.name === name);
  }

  /** The rewards of the last step by agent name (pymasep keys them by full name; the prefix is removed). */
  get rewards(): Readonly<Record<string, number>> {
    const reward = this.info.get('reward');
    const out: Record<string, number> = {};
    if (reward?.type !== 'dict') return out;
    const prefix = `${this.view.state.name}.`;
    for (const [key, value] of reward.entries) {
      const n = numberOf(value);
      if (n !== undefined) out[key.startsWith(prefix) ? key.slice(prefix.length) : key] = n;
    }
    return out;
  }

  /** This interface's agent's reward of the last step; undefined when it has none. */
  get reward(): number | undefined {
    const me = this.me;
    const entry = me === undefined ? undefined : this.info.get('reward');
    // Only our own entry is converted, not the whole dict.
    return entry?.type === 'dict' ? numberOf(entry.entries.get(me!.fullName)) : undefined;
  }

  /** Plain JSON of the whole observation. */
  toJSON(): JsonValue {
    return {
      episode: this.episode,
      step: this.step,
      final: this.isFinal,
      turn: this.turn ?? null,
      me: this.me?.name ?? null,
      objects: this.objects.map((o) => o.toJSON()),
      agents: this.agents.map((a) => a.toJSON()),
      info: dictToJson(this.info),
    };
  }

  private split(): { objects: ObjectView[]; agents: AgentView[] } {
    if (this.objectsCache) return this.objectsCache;
    const objects: ObjectView[] = [];
    const agents: AgentView[] = [];
    for (const object of this.view.state.objects) {
      const view = viewOf(object, this.view.state.name);
      if (view instanceof AgentView) agents.push(view);
      else objects.push(view);
    }
    return (this.objectsCache = { objects, agents });
  }
}
