import { describe, expect, it } from 'vitest';
import { Broadcaster } from '../../../src/actors/masep/engine-broadcast.js';
import { EpisodeSeries } from '../../../src/actors/masep/engine-episodes.js';
import { Seating, type Member } from '../../../src/actors/masep/engine-seating.js';
import { RESOURCE_GRID_TURNS, createInProcessLinks, demoGames, type MasepEngineEvent } from '../../../src/actors/masep/index.js';
import { createLogger } from '../../../src/logger.js';
import { registerMessage } from '../../../src/protocols/masep/index.js';
import { ManualClock } from '../../helpers/manual-clock.js';

/** Two seated Actors of the turn-based grid, and a series of `episodes` on a manual clock. */
function series(episodes: number) {
  const log = createLogger('test.episodes');
  const events: MasepEngineEvent[] = [];
  const turnedAway: string[] = [];
  let ended = 0;
  const seating = new Seating({ engineId: 'engine', games: demoGames, game: RESOURCE_GRID_TURNS, maxInterfaces: 4, log, emit: (e) => events.push(e) });
  for (const id of ['a', 'b']) seating.register(seating.add(id, createInProcessLinks({ aId: id, bId: 'engine' }).b), registerMessage(id, 'Actor'));
  const broadcaster = new Broadcaster('engine', log);
  const clock = new ManualClock();
  const run = new EpisodeSeries({
    engine: { games: demoGames, episodes, actionTimeoutMs: 100, onActionTimeout: 'remove' },
    seating,
    broadcaster,
    log,
    emit: (e) => events.push(e),
    turnAway: (member: Member, reason) => void turnedAway.push(`${member.id}: ${reason}`),
    ended: () => void ended++,
    clock,
  });
  return { run, events, turnedAway, clock, broadcaster, ended: () => ended };
}

describe('EpisodeSeries', () => {
  it('numbers the episodes, sends each observation once per recipient, and turns away agents that time out', () => {
    const { run, events, turnedAway, clock, broadcaster, ended } = series(2);
    expect(run.more).toBe(true);
    run.start(demoGames.get(RESOURCE_GRID_TURNS)!);
    expect(run.current?.ctx.players).toEqual(['player0', 'player1']);
    expect(broadcaster.sent).toBe(2);
    expect(run.more).toBe(true);
    clock.advance(100);
    expect(turnedAway).toEqual(['a: player0 did not act within 100 ms']);
    clock.advance(100);
    expect(turnedAway).toEqual(['a: player0 did not act within 100 ms', 'b: player1 did not act within 100 ms']);
    expect(events.map((e) => e.type)).toEqual(['episode-started', 'timeout', 'step', 'timeout', 'episode-ended']);
    expect([run.current, ended(), run.summaries()]).toEqual([undefined, 1, [{ episode: 0, steps: 1, rewards: { player0: 0, player1: 0 } }]]);
    expect(run.stats).toEqual({ episodesPlayed: 1, steps: 1, actionsApplied: 0, timeouts: 2 });
    run.start(demoGames.get(RESOURCE_GRID_TURNS)!);
    expect(run.more).toBe(false);
    run.abandon();
    clock.advance(1_000);
    expect([run.current, ended(), clock.pending]).toEqual([undefined, 1, 0]);
  });
});
