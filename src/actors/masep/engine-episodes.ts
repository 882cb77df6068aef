import type { Action } from '../../protocols/masep/index.js';
import type { Logger } from '../../logger.js';
import { systemClock, type Clock } from '../clock.js';
import type { Broadcaster } from './engine-broadcast.js';
import { Episode, type EpisodeEffect } from './engine-episode.js';
import type { EpisodeSummary, MasepEngineEvent, MasepEngineOptions } from './engine-options.js';
import type { Member, Seating } from './engine-seating.js';
import type { GameDefinition } from './game.js';

/** Options of an {@link EpisodeSeries}. */
export interface EpisodeSeriesOptions {
  /** The engine's options: seed, episodes, action timeout and its policy, step limit. */
  readonly engine: MasepEngineOptions;
  /** Who plays (the seats at each start) and who observes. */
  readonly seating: Seating;
  /** Sends each observation an episode asks for. */
  readonly broadcaster: Broadcaster;
  /** Where game errors are logged. */
  readonly log: Logger;
  /** Reports `episode-started`, `step`, `timeout` and `episode-ended`. */
  readonly emit: (event: MasepEngineEvent) => void;
  /** Turns away the interface of an agent removed for acting too late. */
  readonly turnAway: (member: Member, reason: string) => void;
  /** Called after each episode's end has been reported. */
  readonly ended: () => void;
  /** Where action timeouts come from. Default the system clock. */
  readonly clock?: Clock;
}

/**
 * The episodes of one engine run (docs/ARCHITECTURE.md, "pymasep: the engine's parts"): each one
 * numbered and seeded, the current one, what its effects mean for the engine (observations sent,
 * events, an interface turned away), the summaries and the counters of steps, actions and
 * timeouts.
 */
export class EpisodeSeries {
  private readonly options: EpisodeSeriesOptions;
  private readonly done: EpisodeSummary[] = [];
  private readonly counts = { started: 0, played: 0, steps: 0, actionsApplied: 0, timeouts: 0 };
  private episode: Episode | undefined;

  constructor(options: EpisodeSeriesOptions) {
    this.options = options;
  }

  /** The episode being played, if one is. */
  get current(): Episode | undefined {
    return this.episode;
  }

  /** Whether episodes remain to be played (option `episodes`). */
  get more(): boolean {
    return this.counts.started < (this.options.engine.episodes ?? Infinity);
  }

  /** Counters: episodes played, steps, actions taken, action timeouts. */
  get stats(): { readonly episodesPlayed: number; readonly steps: number; readonly actionsApplied: number; readonly timeouts: number } {
    const { played, steps, actionsApplied, timeouts } = this.counts;
    return { episodesPlayed: played, steps, actionsApplied, timeouts };
  }

  /** Every episode's summary so far. */
  summaries(): EpisodeSummary[] {
    return [...this.done];
  }

  /** Starts the next episode of `game` with the Actors seated now. */
  start(game: GameDefinition<unknown>): void {
    const { engine, seating } = this.options;
    const index = this.counts.started++;
    const episode = new Episode({
      game,
      index,
      seats: seating.seats,
      seed: engine.seed ?? 1,
      actionTimeoutMs: engine.actionTimeoutMs ?? 10_000,
      onActionTimeout: engine.onActionTimeout ?? 'skip',
      maxSteps: engine.maxStepsPerEpisode ?? Infinity,
      clock: this.options.clock ?? systemClock,
      output: (effect) => this.apply(index, effect),
    });
    this.episode = episode;
    this.options.emit({ type: 'episode-started', episode: index, players: episode.ctx.players });
    episode.start();
  }

  /** `agent`'s action, which the current episode {@link Episode.expects}. */
  act(agent: string, action: Action): void {
    this.counts.actionsApplied++;
    this.episode?.act(agent, action);
  }

  /** Stops the current episode without a summary (the engine is ending). */
  abandon(): void {
    this.episode?.abandon();
    this.episode = undefined;
  }

  /** Carries out what an episode decided (engine-episode.ts). */
  private apply(episode: number, effect: EpisodeEffect): void {
    const { seating, broadcaster, emit } = this.options;
    switch (effect.type) {
      case 'observe':
        broadcaster.publish(effect.observation, seating.recipients());
        return;
      case 'step':
        this.counts.steps++;
        emit({ type: 'step', episode, step: effect.step, rewards: effect.rewards });
        return;
      case 'timeout':
        this.counts.timeouts++;
        emit({ type: 'timeout', episode, step: effect.step, agents: effect.agents });
        return;
      case 'remove': {
        const member = seating.get(effect.interfaceId ?? '');
        if (member) this.options.turnAway(member, effect.reason);
        return;
      }
      case 'failed':
        this.options.log.error(effect.stage === 'init' ? 'game init failed' : 'game step failed; ending the episode', { error: effect.error });
        return;
      case 'ended':
        this.episode = undefined;
        broadcaster.forget();
        this.counts.played++;
        this.done.push(effect.summary);
        emit({ type: 'episode-ended', ...effect.summary });
        this.options.ended();
    }
  }
}
