import { describe, expect, it } from 'vitest';
import { Episode, type EpisodeEffect, type EpisodeOptions } from '../../../src/actors/masep/engine-episode.js';
import type { Coordination, GameDefinition } from '../../../src/actors/masep/index.js';
import { Action } from '../../../src/protocols/masep/index.js';
import { ManualClock } from '../../helpers/manual-clock.js';

/** The actions of each step as the game saw them: agent → action type, or null. */
type StepLog = Array<Record<string, number | null>>;

/** A game that counts steps, records the actions it gets, and rewards each action by its type. */
function recordingGame(coordination: Coordination, log: StepLog, failAt = Infinity): GameDefinition<unknown> {
  return {
    name: 'test.Recording',
    coordination,
    minPlayers: 1,
    maxPlayers: 4,
    init: () => 0,
    step: (state, actions) => {
      const n = (state as number) + 1;
      if (n >= failAt) throw new Error('game broke');
      log.push(Object.fromEntries([...actions].map(([agent, action]) => [agent, action?.type ?? null])));
      const rewards = Object.fromEntries([...actions].map(([agent, action]) => [agent, action?.type ?? 0]));
      return { state: n, rewards, done: n >= 100 };
    },
    render: () => ({ agents: {} }),
  };
}

function seatsOf(players: number): Map<string, string> {
  return new Map(Array.from({ length: players }, (_, i) => [`player${i}`, `interface-${i}`]));
}

/** One effect as a short line, so that a test reads what the episode asked for, in order. */
function describeEffect(effect: EpisodeEffect): string {
  switch (effect.type) {
    case 'observe': {
      const frame = effect.observation.frame();
      return `observe step=${frame.envStep} head=${frame.players[frame.head]}${frame.isFinal ? ' final' : ''}`;
    }
    case 'step':
      return `step ${effect.step}`;
    case 'timeout':
      return `timeout ${effect.agents.join(',')}`;
    case 'remove':
      return `remove ${effect.agent} (${effect.interfaceId}): ${effect.reason}`;
    case 'failed':
      return `failed in ${effect.stage}`;
    case 'ended':
      return `ended after ${effect.summary.steps}`;
  }
}

interface Harness {
  readonly episode: Episode;
  readonly clock: ManualClock;
  readonly log: StepLog;
  /** The effects since the last call, described. */
  take(): string[];
}

function episodeOf(coordination: Coordination, players: number, options: Partial<EpisodeOptions> & { failAt?: number } = {}): Harness {
  const clock = new ManualClock();
  const log: StepLog = [];
  const effects: EpisodeEffect[] = [];
  const episode = new Episode({
    game: recordingGame(coordination, log, options.failAt),
    index: 3,
    seats: seatsOf(players),
    seed: 1,
    actionTimeoutMs: 1_000,
    onActionTimeout: 'skip',
    maxSteps: Infinity,
    clock,
    output: (effect) => effects.push(effect),
    ...options,
  });
  episode.start();
  return { episode, clock, log, take: () => effects.splice(0).map(describeEffect) };
}

const act = (type: number) => new Action(type);

describe('Episode, turn coordination', () => {
  it('starts with an observation and awaits the head of the order only', () => {
    const { episode, take } = episodeOf('turn', 3);
    expect(take()).toEqual(['observe step=0 head=player0']);
    expect([episode.expects('player0'), episode.expects('player1'), episode.expects('player2')]).toEqual([true, false, false]);
    expect(episode.act('player1', act(1))).toBe(false);
    expect(take()).toEqual([]);
  });

  it('steps on each action of the agent whose turn it is, round the order, and adds up the rewards', () => {
    const { episode, take, log } = episodeOf('turn', 3);
    take();
    for (const [agent, type] of [['player0', 1], ['player1', 2], ['player2', 3], ['player0', 4]] as const) {
      expect(episode.act(agent, act(type))).toBe(true);
    }
    expect(log).toEqual([{ player0: 1 }, { player1: 2 }, { player2: 3 }, { player0: 4 }]);
    expect(take()).toEqual([
      'step 1', 'observe step=1 head=player1',
      'step 2', 'observe step=2 head=player2',
      'step 3', 'observe step=3 head=player0',
      'step 4', 'observe step=4 head=player1',
    ]);
    expect([episode.step, episode.turn, episode.rewards]).toEqual([4, 'player1', { player0: 5, player1: 2, player2: 3 }]);
  });

  it('gives a player who leaves at its turn a null turn, and skips it from then on', () => {
    const { episode, take, log } = episodeOf('turn', 3);
    take();
    episode.remove('player0');
    expect(log).toEqual([{ player0: null }]);
    expect(take()).toEqual(['step 1', 'observe step=1 head=player1']);
    episode.act('player1', act(1));
    episode.act('player2', act(2));
    expect(episode.turn).toBe('player1');
    expect(episode.players).toEqual(['player1', 'player2']);
    expect(log.slice(1)).toEqual([{ player1: 1 }, { player2: 2 }]);
  });

  it('does not step when a player leaves out of its turn, and ends when the last one leaves', () => {
    const { episode, take, log } = episodeOf('turn', 2);
    take();
    episode.remove('player1');
    expect([log, take()]).toEqual([[], []]);
    episode.remove('player0');
    expect(take()).toEqual(['ended after 0']);
    expect(episode.ended).toBe(true);
  });
});

describe('Episode, simultaneous coordination', () => {
  it('steps once every agent has acted, once each', () => {
    const { episode, take, log } = episodeOf('simultaneous', 2);
    take();
    expect([episode.expects('player0'), episode.expects('player1')]).toEqual([true, true]);
    expect(episode.act('player1', act(2))).toBe(true);
    expect(episode.act('player1', act(5))).toBe(false);
    expect(take()).toEqual([]);
    expect(episode.act('player0', act(1))).toBe(true);
    expect(log).toEqual([{ player0: 1, player1: 2 }]);
    expect(take()).toEqual(['step 1', 'observe step=1 head=player0']);
  });

  it('steps with the actions in hand when the one agent still awaited leaves', () => {
    const { episode, take, log } = episodeOf('simultaneous', 3);
    take();
    episode.act('player0', act(1));
    episode.act('player2', act(3));
    episode.remove('player1');
    expect(log).toEqual([{ player0: 1, player2: 3 }]);
    expect(take()).toEqual(['step 1', 'observe step=1 head=player0']);
  });
});

describe('Episode action timeout (manual clock)', () => {
  it('skips a late agent: the game gets null, and the next agent gets a fresh timeout', () => {
    const { episode, take, log, clock } = episodeOf('turn', 2);
    take();
    clock.advance(999);
    expect(take()).toEqual([]);
    clock.advance(1);
    expect(log).toEqual([{ player0: null }]);
    expect(take()).toEqual(['timeout player0', 'step 1', 'observe step=1 head=player1']);
    clock.advance(500);
    episode.act('player1', act(2));
    clock.advance(999);
    expect(take()).toEqual(['step 2', 'observe step=2 head=player0']);
    clock.advance(1);
    expect(take()).toEqual(['timeout player0', 'step 3', 'observe step=3 head=player1']);
  });

  it('skips only the agents that have not acted in a simultaneous step', () => {
    const { episode, take, log, clock } = episodeOf('simultaneous', 3);
    take();
    episode.act('player1', act(2));
    clock.advance(1_000);
    expect(log).toEqual([{ player0: null, player1: 2, player2: null }]);
    expect(take()).toEqual(['timeout player0,player2', 'step 1', 'observe step=1 head=player0']);
  });

  it('removes a late agent, before the game steps on without it', () => {
    const { episode, take, log, clock } = episodeOf('turn', 2, { onActionTimeout: 'remove' });
    take();
    clock.advance(1_000);
    expect(take()).toEqual([
      'timeout player0',
      'remove player0 (interface-0): player0 did not act within 1000 ms',
      'step 1',
      'observe step=1 head=player1',
    ]);
    expect(log).toEqual([{ player0: null }]);
    expect(episode.players).toEqual(['player1']);
    clock.advance(1_000);
    expect(take()).toEqual(['timeout player1', 'remove player1 (interface-1): player1 did not act within 1000 ms', 'ended after 1']);
    expect(clock.pending).toBe(0);
  });

  it('never times out with a timeout of 0, and leaves no timer behind when the episode ends', () => {
    const forever = episodeOf('turn', 1, { actionTimeoutMs: 0 });
    forever.take();
    forever.clock.advance(1e9);
    expect([forever.take(), forever.clock.pending]).toEqual([[], 0]);
    const ended = episodeOf('turn', 1);
    ended.episode.end();
    expect(ended.clock.pending).toBe(0);
    ended.clock.advance(1e9);
    expect(ended.take()).toEqual(['observe step=0 head=player0', 'ended after 0']);
  });
});

describe('Episode ending', () => {
  it('ends at once on a QUIT, with the totals so far, and takes no more actions', () => {
    const { episode, take } = episodeOf('simultaneous', 2);
    episode.act('player0', act(2));
    episode.act('player1', act(3));
    take();
    episode.end();
    episode.end();
    expect(take()).toEqual(['ended after 1']);
    expect(episode.act('player0', act(1))).toBe(false);
    episode.remove('player1');
    expect(take()).toEqual([]);
    expect(episode.rewards).toEqual({ player0: 2, player1: 3 });
  });

  it('sends a final observation when the step limit is reached, then ends with a summary', () => {
    const effects: EpisodeEffect[] = [];
    const harness = episodeOf('turn', 1, { maxSteps: 2, output: (effect) => effects.push(effect) });
    harness.episode.act('player0', act(1));
    harness.episode.act('player0', act(1));
    expect(effects.map(describeEffect)).toEqual(['observe step=0 head=player0', 'step 1', 'observe step=1 head=player0', 'step 2', 'observe step=2 head=player0 final', 'ended after 2']);
    expect(effects.at(-1)).toEqual({ type: 'ended', summary: { episode: 3, steps: 2, rewards: { player0: 2 } } });
  });

  it('ends when the game throws, saying where', () => {
    const { episode, take } = episodeOf('turn', 1, { failAt: 2 });
    episode.act('player0', act(1));
    episode.act('player0', act(1));
    expect(take()).toEqual(['observe step=0 head=player0', 'step 1', 'observe step=1 head=player0', 'failed in step', 'ended after 1']);
  });

  it('goes quiet when abandoned: no summary, no timer', () => {
    const { episode, take, clock } = episodeOf('turn', 2);
    take();
    episode.abandon();
    clock.advance(5_000);
    episode.remove('player0');
    expect([take(), clock.pending, episode.ended]).toEqual([[], 0, true]);
  });
});

describe('Episode players and observations', () => {
  it('seats its players in seat order, with their controlling interfaces, and derives its random numbers from seed and index', () => {
    const seats = new Map([['player10', 'c'], ['player2', 'b'], ['player0', 'a']]);
    const options = { game: recordingGame('turn', []), index: 0, seats, seed: 7, actionTimeoutMs: 0, onActionTimeout: 'skip', maxSteps: 1, clock: new ManualClock(), output: () => {} } as const;
    const episode = new Episode(options);
    expect(episode.ctx.players).toEqual(['player0', 'player2', 'player10']);
    expect([...episode.control]).toEqual([['player0', 'a'], ['player2', 'b'], ['player10', 'c']]);
    const again = new Episode(options);
    const other = new Episode({ ...options, index: 1 });
    const first = episode.ctx.random();
    expect(again.ctx.random()).toBe(first);
    expect(other.ctx.random()).not.toBe(first);
  });
});
