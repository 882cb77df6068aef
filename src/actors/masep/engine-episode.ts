import type { Action } from '../../protocols/masep/index.js';
import type { Clock, ClockTimer } from '../clock.js';
import type { ActionTimeoutPolicy, EpisodeSummary } from './engine-options.js';
import type { EpisodeContext, GameDefinition } from './game.js';
import type { ObservationFrame } from './observation-state.js';
import { seededRandom } from './seeded-random.js';

/** One observation of an episode, to be written once and sent to every registered interface. */
export interface EpisodeObservation {
  /** Agent names in turn order. */
  readonly players: readonly string[];
  /** Rewards of the last step by agent (empty before the first step). */
  readonly rewards: Readonly<Record<string, number>>;
  /** The frame to write; renders the game, so it may throw. */
  frame(): ObservationFrame;
}

/**
 * What an {@link Episode} asks its owner to do, in order: it decides, the owner sends
 * (docs/ARCHITECTURE.md, "pymasep: the engine's parts").
 */
export type EpisodeEffect =
  /** Send this observation to every registered interface. */
  | { readonly type: 'observe'; readonly observation: EpisodeObservation }
  /** A step was taken. */
  | { readonly type: 'step'; readonly step: number; readonly rewards: Readonly<Record<string, number>> }
  /** These agents did not act within the action timeout. */
  | { readonly type: 'timeout'; readonly step: number; readonly agents: readonly string[] }
  /** Turn away the interface controlling `agent` (timeout policy `remove`); it is out of the episode already. */
  | { readonly type: 'remove'; readonly agent: string; readonly interfaceId: string | undefined; readonly reason: string }
  /** The game threw in `init` or `step`; the episode ends next. */
  | { readonly type: 'failed'; readonly stage: 'init' | 'step'; readonly error: unknown }
  /** The episode is over (the last effect of an episode). */
  | { readonly type: 'ended'; readonly summary: EpisodeSummary };

/** Options of an {@link Episode}. */
export interface EpisodeOptions {
  /** The game to play. */
  readonly game: GameDefinition<unknown>;
  /** 0-based episode number. */
  readonly index: number;
  /** Seated agents (`player0`, ...) and the interface id controlling each; all of them play, in seat order. */
  readonly seats: ReadonlyMap<string, string>;
  /** The engine's seed; the episode's random numbers derive from it and `index`. */
  readonly seed: number;
  /** Time an agent has to act, in ms; 0 waits forever. */
  readonly actionTimeoutMs: number;
  /** What becomes of an agent that has not acted in time: `skip` its turn, or `remove` it. */
  readonly onActionTimeout: ActionTimeoutPolicy;
  /** Steps after which the episode is cut short. */
  readonly maxSteps: number;
  /** Where the action timeout's timer comes from. */
  readonly clock: Clock;
  /** Receives every effect, synchronously, in order. */
  readonly output: (effect: EpisodeEffect) => void;
}

/** Agents in seat order: `player2` before `player10`. */
function bySeat(a: string, b: string): number {
  return Number(a.slice(6)) - Number(b.slice(6));
}

/**
 * One episode of a game as a step object, without sockets (spec §5, "Engine side"): who is in it,
 * whose action is awaited (the turn head, or everyone in a simultaneous game), the actions
 * pending, the action timeout on an injected clock, stepping the game, the reward totals. It sends
 * nothing: what is to be sent, and to whom, comes out as {@link EpisodeEffect}s.
 *
 * @example
 * ```ts
 * const episode = new Episode({ game, index: 0, seats, seed: 1, actionTimeoutMs: 10_000,
 *   onActionTimeout: 'skip', maxSteps: Infinity, clock: systemClock, output: (effect) => effects.push(effect) });
 * episode.start();
 * if (episode.expects('player0')) episode.act('player0', action);
 * ```
 */
export class Episode {
  /** 0-based episode number. */
  readonly index: number;
  /** What the game sees of the episode. */
  readonly ctx: EpisodeContext;
  /** Interface id controlling each agent. */
  readonly control: ReadonlyMap<string, string>;

  private readonly options: EpisodeOptions;
  private readonly game: GameDefinition<unknown>;
  private readonly active: Set<string>;
  private readonly pending = new Map<string, Action | null>();
  private readonly totals: Record<string, number>;
  private state: unknown;
  private steps = 0;
  private head = 0;
  private lastRewards: Readonly<Record<string, number>> = {};
  private timer: ClockTimer | undefined;
  private over = false;

  constructor(options: EpisodeOptions) {
    this.options = options;
    this.game = options.game;
    this.index = options.index;
    const players = [...options.seats.keys()].sort(bySeat);
    this.ctx = {
      episode: options.index,
      players,
      random: seededRandom((options.seed * 0x9e3779b1 + options.index) >>> 0),
    };
    this.control = new Map(players.map((p) => [p, options.seats.get(p)!]));
    this.active = new Set(players);
    this.totals = Object.fromEntries(players.map((p) => [p, 0]));
  }

  /** Steps taken so far. */
  get step(): number {
    return this.steps;
  }

  /** Whether the episode has ended (or was abandoned). */
  get ended(): boolean {
    return this.over;
  }

  /** The agent whose turn it is (turn order's head), still in the episode or not. */
  get turn(): string | undefined {
    return this.ctx.players[this.head];
  }

  /** Agents still in the episode, in turn order. */
  get players(): string[] {
    return this.ctx.players.filter((p) => this.active.has(p));
  }

  /** Reward totals by agent so far. */
  get rewards(): Readonly<Record<string, number>> {
    return { ...this.totals };
  }

  /** Initialises the game, sends the first observation and waits for actions. */
  start(): void {
    try {
      this.state = this.game.init(this.ctx);
    } catch (error) {
      this.options.output({ type: 'failed', stage: 'init', error });
      this.end();
      return;
    }
    this.observe(false);
    this.awaitActions();
  }

  /** Whether `agent` may act now: in the episode, awaited, and not acted yet this step. */
  expects(agent: string): boolean {
    if (this.over || !this.active.has(agent) || this.pending.has(agent)) return false;
    return this.game.coordination === 'simultaneous' || this.ctx.players[this.head] === agent;
  }

  /** Takes `agent`'s action, and steps once every awaited agent has acted. False if not expected. */
  act(agent: string, action: Action): boolean {
    if (!this.expects(agent)) return false;
    this.pending.set(agent, action);
    if (this.allActed()) this.advance();
    return true;
  }

  /**
   * `agent` left: the episode goes on without it, and ends when nobody is left. If it was awaited
   * (its turn, or the last simultaneous action missing), the game steps now.
   */
  remove(agent: string): void {
    if (this.over || !this.active.delete(agent)) return;
    if (this.active.size === 0) {
      this.end();
      return;
    }
    if (this.game.coordination === 'turn' && this.ctx.players[this.head] === agent) this.advance();
    else if (this.allActed() && this.pending.size > 0) this.advance();
  }

  /** Ends the episode now (a QUIT, or the game is done). */
  end(): void {
    if (this.over) return;
    this.over = true;
    this.options.clock.clearTimeout(this.timer);
    const summary: EpisodeSummary = { episode: this.index, steps: this.steps, rewards: { ...this.totals } };
    this.options.output({ type: 'ended', summary });
  }

  /** Stops the episode without a summary (the engine is ending): no more effects. */
  abandon(): void {
    this.over = true;
    this.options.clock.clearTimeout(this.timer);
  }

  private expectedAgents(): string[] {
    if (this.game.coordination === 'simultaneous') return [...this.active];
    const current = this.ctx.players[this.head];
    return current !== undefined && this.active.has(current) ? [current] : [];
  }

  private allActed(): boolean {
    return this.expectedAgents().every((agent) => this.pending.has(agent));
  }

  private awaitActions(): void {
    const timeout = this.options.actionTimeoutMs;
    if (timeout <= 0 || this.over) return;
    this.options.clock.clearTimeout(this.timer);
    this.timer = this.options.clock.setTimeout(() => this.onActionTimeout(), timeout);
    this.timer.unref();
  }

  private onActionTimeout(): void {
    if (this.over) return;
    const late = this.expectedAgents().filter((agent) => !this.pending.has(agent));
    if (late.length === 0) return;
    this.options.output({ type: 'timeout', step: this.steps, agents: late });
    for (const agent of late) {
      if (this.options.onActionTimeout === 'remove') {
        // Out of the episode first, so that turning its interface away does not step the game.
        this.active.delete(agent);
        const reason = `${agent} did not act within ${this.options.actionTimeoutMs} ms`;
        this.options.output({ type: 'remove', agent, interfaceId: this.control.get(agent), reason });
      } else {
        this.pending.set(agent, null);
      }
    }
    if (this.active.size === 0) this.end();
    else this.advance();
  }

  private advance(): void {
    if (this.over) return;
    this.options.clock.clearTimeout(this.timer);
    const actions = new Map<string, Action | null>();
    for (const agent of this.expectedAgents()) actions.set(agent, this.pending.get(agent) ?? null);
    // A departed player whose turn it was still gets its (null) turn, so the game can move on.
    if (actions.size === 0 && this.game.coordination === 'turn') actions.set(this.ctx.players[this.head], null);
    this.pending.clear();
    let done: boolean;
    try {
      const outcome = this.game.step(this.state, actions, this.ctx);
      this.state = outcome.state;
      this.lastRewards = outcome.rewards ?? {};
      done = outcome.done;
    } catch (error) {
      this.options.output({ type: 'failed', stage: 'step', error });
      this.end();
      return;
    }
    for (const [agent, reward] of Object.entries(this.lastRewards)) {
      if (agent in this.totals) this.totals[agent] += reward;
    }
    this.steps++;
    if (this.game.coordination === 'turn') this.head = this.nextActive();
    done ||= this.steps >= this.options.maxSteps;
    this.options.output({ type: 'step', step: this.steps, rewards: this.lastRewards });
    this.observe(done);
    if (done) this.end();
    else this.awaitActions();
  }

  private nextActive(): number {
    const n = this.ctx.players.length;
    for (let k = 1; k <= n; k++) {
      const index = (this.head + k) % n;
      if (this.active.has(this.ctx.players[index])) return index;
    }
    return this.head;
  }

  /** The observation of the current state; it renders when written, from this step's state. */
  private observe(isFinal: boolean): void {
    const { game, ctx, control } = this;
    const head = this.head;
    const steps = this.steps;
    const state = this.state;
    this.options.output({
      type: 'observe',
      observation: {
        players: ctx.players,
        rewards: this.lastRewards,
        frame: () => ({ view: game.render(state, ctx), players: ctx.players, control, head, envStep: steps, isFinal }),
      },
    });
  }
}
