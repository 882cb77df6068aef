import type { Subscription } from 'rxjs';
import type { MasepEngine } from '../actors/masep/engine.js';
import type { StateLabels } from './server-probe.js';
import type { MasepSample } from './snapshot.js';

/** Finished episodes kept for the rewards plot. */
export const MASEP_EPISODES_KEPT = 100;

interface Member {
  readonly role: string;
  readonly agent: string | null;
}

/**
 * Follows one masep engine for the monitor: who joined and left and each finished episode's
 * rewards, from the engine's own events (no hook on its data path); counters from its
 * `stats()`, steps per second between samples.
 */
export class MasepProbe {
  private readonly members = new Map<string, Member>();
  private readonly episodes: Array<{ episode: number; steps: number; rewards: Readonly<Record<string, number>> }> = [];
  private readonly subscription: Subscription;
  private last: { at: number; steps: number } | undefined;

  constructor(
    readonly name: string,
    private readonly engine: MasepEngine,
    private readonly labels: StateLabels,
  ) {
    this.subscription = engine.events$.subscribe((event) => {
      switch (event.type) {
        case 'joined':
          this.members.set(event.id, { role: event.role, agent: event.agent ?? null });
          return;
        case 'left':
        case 'dropped':
          this.members.delete(event.id);
          return;
        case 'episode-ended':
          this.episodes.push({ episode: event.episode, steps: event.steps, rewards: event.rewards });
          if (this.episodes.length > MASEP_EPISODES_KEPT) this.episodes.shift();
          return;
        default:
      }
    });
  }

  /** Stops following the engine. */
  detach(): void {
    this.subscription.unsubscribe();
  }

  /** The engine's state at `now` (ms); `advance: false` leaves the rate's baseline where it is. */
  sample(now: number, advance = true): MasepSample {
    const stats = this.engine.stats();
    const seconds = this.last ? (now - this.last.at) / 1000 : 0;
    const stepsPerSec = this.last && seconds > 0 ? Math.max(0, (stats.steps - this.last.steps) / seconds) : 0;
    if (advance) this.last = { at: now, steps: stats.steps };
    const stateOf = new Map<string, string>();
    for (const connection of this.engine.acceptor?.connections ?? []) {
      if (connection.peerId !== undefined) stateOf.set(connection.peerId, this.labels.of(connection.state));
    }
    return {
      name: this.name,
      game: this.engine.gameName ?? null,
      phase: this.engine.phase,
      episodesTotal: stats.episodesPlayed,
      stepsTotal: stats.steps,
      stepsPerSec,
      members: [...this.members].map(([id, m]) => ({ id, role: m.role, agent: m.agent, state: stateOf.get(id) ?? 'gone' })),
      episodes: [...this.episodes],
      actionsAppliedTotal: stats.actionsApplied,
      observationsSentTotal: stats.observationsSent,
      timeoutsTotal: stats.timeouts,
      refusedTotal: stats.refused,
    };
  }
}
