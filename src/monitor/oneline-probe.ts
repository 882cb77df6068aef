import type { OnelineServer } from '../actors/oneline/oneline-server.js';
import type { CommandCounts } from '../actors/oneline/oneline-session.js';
import type { OnelineSample } from './snapshot.js';

/**
 * Follows one socket-oneline server for the monitor: lines by command name (the server counts
 * them from the moment a probe asks, see `OnelineServer.commandCounts`), commands per second
 * between samples, and the served and held clients.
 */
export class OnelineProbe {
  private readonly counts: CommandCounts;
  private last: { at: number; counts: Map<string, number> } | undefined;

  constructor(
    readonly name: string,
    private readonly server: OnelineServer,
  ) {
    this.counts = server.commandCounts();
  }

  /** The server's state at `now` (ms); `advance: false` leaves the rates' baseline where it is. */
  sample(now: number, advance = true): OnelineSample {
    const seconds = this.last ? (now - this.last.at) / 1000 : 0;
    const counts = this.counts.snapshot();
    const commands = [...counts].map(([name, total]) => {
      const before = this.last?.counts.get(name) ?? 0;
      return { name, total, perSec: seconds > 0 ? (total - before) / seconds : 0 };
    });
    commands.sort((a, b) => b.total - a.total);
    if (advance) this.last = { at: now, counts };
    const stats = this.server.stats();
    return {
      name: this.name,
      commands,
      serving: this.server.hasClient,
      held: stats.connectionsHeld,
      refusedTotal: stats.connectionsRefused,
      handlerErrorsTotal: stats.commands.handlerErrors,
    };
  }
}
