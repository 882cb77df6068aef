import { initialTransition, transition, type AnyMachineSnapshot, type AnyStateMachine, type EventFromLogic, type InputFrom, type SnapshotFrom } from 'xstate';

/** An action XState asked for on a transition: its name and its static params. */
export interface EffectCall<TType extends string = string> {
  readonly type: TType;
  readonly params: Readonly<Record<string, unknown>> | undefined;
}

/**
 * One state of an interned machine: XState's snapshot, the facts derived from it once, and the
 * transitions taken from it so far.
 */
export interface InternedState<TLogic extends AnyStateMachine, TFacts> {
  /** XState's own snapshot of this state (shared by every connection in it). */
  readonly snapshot: SnapshotFrom<TLogic>;
  /** What the owner needs to know about this state, computed once. */
  readonly facts: TFacts;
  /** Whether the machine has reached a final state (events are then ignored). */
  readonly done: boolean;
  /** @internal The variant (input) this state belongs to. */
  readonly variant: string;
  /** @internal Steps from here, by event type. */
  readonly steps: Map<string, InternedStep<TLogic, TFacts>>;
}

/** The outcome of one event: the next state and the actions to carry out, in order. */
export interface InternedStep<TLogic extends AnyStateMachine, TFacts> {
  readonly to: InternedState<TLogic, TFacts>;
  readonly effects: readonly EffectCall[];
}

/**
 * An XState machine run through XState's own pure `initialTransition`/`transition`, with each
 * result computed once and shared. It is for machines whose transitions depend only on the state
 * and the event's type: guards read only the input (the same for every run of one variant),
 * events carry no data, and nothing is assigned to the context. Then a state and an event type
 * always lead to the same next state and actions, and every run of the machine after the first
 * costs a map lookup per event instead of a macrostep (docs/ARCHITECTURE.md, "What a connection
 * costs").
 *
 * Actions are returned, not executed: the owner carries them out by name.
 *
 * @example
 * ```ts
 * const lifecycle = new InternedMachine(connectionMachine, (s) => ({ open: s.matches('open') }));
 * let state = lifecycle.start(input).to;
 * const step = lifecycle.step(state, 'CLOSE'); // { to: closed, effects: [endBecause, finish] }
 * ```
 */
export class InternedMachine<TLogic extends AnyStateMachine, TFacts> {
  private readonly variants = new Map<string, InternedStep<TLogic, TFacts>>();
  private readonly states = new Map<string, InternedState<TLogic, TFacts>>();
  private readonly events = new Map<string, EventFromLogic<TLogic>>();

  constructor(
    readonly machine: TLogic,
    private readonly describe: (snapshot: SnapshotFrom<TLogic>) => TFacts,
  ) {}

  /**
   * The initial step for `input` (its state and entry actions). `variantKey` names the input: two
   * inputs with the same key must be equal.
   */
  start(input: InputFrom<TLogic>, variantKey: string): InternedStep<TLogic, TFacts> {
    let step = this.variants.get(variantKey);
    if (!step) {
      const [snapshot, actions] = initialTransition(this.machine, input);
      const context = (snapshot as AnyMachineSnapshot).context as unknown;
      if (!shallowEqual(context, input)) {
        throw new Error(`${this.machine.id}: an interned machine's context must be its input`);
      }
      step = { to: this.intern(variantKey, snapshot as SnapshotFrom<TLogic>, context), effects: actions.map(toEffect) };
      this.variants.set(variantKey, step);
    }
    return step;
  }

  /** The step `type` takes from `state`; undefined once the machine is done. */
  step(state: InternedState<TLogic, TFacts>, type: EventFromLogic<TLogic>['type']): InternedStep<TLogic, TFacts> | undefined {
    if (state.done) return undefined;
    let step = state.steps.get(type);
    if (!step) {
      const [next, actions] = transition(this.machine, state.snapshot, this.event(type));
      const context = (state.snapshot as AnyMachineSnapshot).context;
      step = { to: this.intern(state.variant, next as SnapshotFrom<TLogic>, context), effects: actions.map(toEffect) };
      state.steps.set(type, step);
    }
    return step;
  }

  /** Every state reached so far (for tests and diagnostics). */
  knownStates(): ReadonlyArray<InternedState<TLogic, TFacts>> {
    return [...this.states.values()];
  }

  private event(type: string): EventFromLogic<TLogic> {
    const known = this.events.get(type);
    if (known !== undefined) return known;
    const event = Object.freeze({ type }) as EventFromLogic<TLogic>;
    this.events.set(type, event);
    return event;
  }

  private intern(variantKey: string, next: SnapshotFrom<TLogic>, context: unknown): InternedState<TLogic, TFacts> {
    const snapshot = next as AnyMachineSnapshot;
    if (snapshot.context !== context) {
      throw new Error(`${this.machine.id}: an interned machine must not assign to its context`);
    }
    const key = `${variantKey}|${snapshot.status}|${JSON.stringify(snapshot.value)}`;
    let state = this.states.get(key);
    if (!state) {
      state = { snapshot: next, facts: this.describe(next), done: snapshot.status !== 'active', variant: variantKey, steps: new Map() };
      this.states.set(key, state);
    }
    return state;
  }
}

function toEffect(action: { type: string; params?: unknown }): EffectCall {
  return Object.freeze({ type: action.type, params: action.params as Readonly<Record<string, unknown>> | undefined });
}

function shallowEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every((key) => (a as Record<string, unknown>)[key] === (b as Record<string, unknown>)[key]);
}
