import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import {
  MasepEngine,
  MasepInterface,
  RESOURCE_GRID,
  RESOURCE_GRID_TURNS,
  demoGames,
  greedyPolicy,
  randomPolicy,
  runSimulation,
  type MasepEngineEvent,
  type ReceivedObservation,
} from '../../../src/actors/masep/index.js';
import { Agent, Value } from '../../../src/protocols/masep/index.js';
import { createGameRegistry, type GameDefinition } from '../../../src/actors/masep/index.js';
import { ENGINE_ID, INTERFACE_ID, OBSERVATION_EXAMPLE } from '../../protocols/masep/spec-examples.js';
import { RawPeer } from '../../helpers/raw-peer.js';
import { LONG_GRID, RawInterface, moreSteps, nextEvent, pacedGreedy, playingEngine, raw, testGames } from './masep-test-kit.js';

const engines: MasepEngine[] = [];
afterEach(async () => {
  RawPeer.destroyAll();
  for (const engine of engines.splice(0)) await engine.stop();
});

describe('MasepEngine in process', () => {
  it('runs the requested episodes and gives the same rewards for the same seed', async () => {
    const run = () => runSimulation({ games: demoGames, game: RESOURCE_GRID, agents: [greedyPolicy, randomPolicy], episodes: 3, seed: 7 });
    const first = await run();
    expect(first.map((s) => s.episode)).toEqual([0, 1, 2]);
    for (const summary of first) {
      expect(Object.keys(summary.rewards)).toEqual(['player0', 'player1']);
      expect(summary.steps).toBeGreaterThan(0);
    }
    expect(await run()).toEqual(first);
  });

  it('lets observers see the full state, with every agent and its controlling interface', async () => {
    const seen: ReceivedObservation[] = [];
    await runSimulation({
      games: demoGames,
      game: RESOURCE_GRID,
      agents: [greedyPolicy, greedyPolicy, greedyPolicy],
      episodes: 1,
      observe: (o) => seen.push(o),
    });
    expect(seen.length).toBeGreaterThan(1);
    const last = seen.at(-1)!;
    expect(last.state.isFinal).toBe(true);
    const agents = last.state.objects.filter((o): o is Agent => o instanceof Agent);
    expect(agents.map((a) => a.name)).toEqual(['player0', 'player1', 'player2']);
    expect(new Set(agents.map((a) => a.control)).size).toBe(3);
    expect(seen.map((o) => o.state.envStep)).toEqual(seen.map((_o, i) => i));
  });

  it('in turn mode applies one action per step, following AgentOrder', async () => {
    const turns: Array<string | undefined> = [];
    await runSimulation({
      games: demoGames,
      game: RESOURCE_GRID_TURNS,
      agents: [greedyPolicy, greedyPolicy],
      episodes: 1,
      observe: (o) => turns.push(o.view.turn),
    });
    expect(turns.length).toBeGreaterThan(2);
    turns.slice(0, -1).forEach((turn, step) => expect(turn).toBe(step % 2 === 0 ? 'player0' : 'player1'));
  });

  it('ends the current episode on QUIT and plays the next one', async () => {
    const engine = new MasepEngine({ games: demoGames, game: RESOURCE_GRID, episodes: 2, players: 1 });
    engines.push(engine);
    const quitter = MasepInterface.attach(engine, { game: RESOURCE_GRID, policy: () => null });
    const started = await nextEvent(engine.events$, 'episode-started');
    expect(started.episode).toBe(0);
    const next = nextEvent(engine.events$, 'episode-started');
    void quitter.stop();
    // The quitter leaves; a new agent takes its seat for episode 1.
    const agent = MasepInterface.attach(engine, { game: RESOURCE_GRID, policy: greedyPolicy });
    expect((await next).episode).toBe(1);
    const summaries = await engine.done;
    expect(summaries[0].steps).toBe(0);
    expect((await agent.done).reason).toBe('end');
  });
});

describe('MasepEngine game selection', () => {
  it('takes the game from the first DEFINE when none is configured, and refuses names outside the allow-list', async () => {
    const engine = new MasepEngine({ games: demoGames, port: 0, episodes: 1 });
    engines.push(engine);
    const { port } = await engine.listen();
    expect(engine.phase).toBe('awaitingGame');
    const stranger = await RawInterface.connect(port, randomUUID());
    await stranger.hello();
    const refused = nextEvent(engine.events$, 'refused', (e) => e.id === stranger.id);
    stranger.send(raw.define(stranger.id, 'os.system'));
    expect((await refused).reason).toMatch(/unknown game/);
    expect(engine.gameName).toBeUndefined();
    const agent = await MasepInterface.connect({ game: RESOURCE_GRID_TURNS, port, policy: greedyPolicy });
    const [summary] = await engine.done;
    expect(engine.gameName).toBe(RESOURCE_GRID_TURNS);
    expect(Object.keys(summary.rewards)).toEqual(['player0']);
    expect((await agent.done).reason).toBe('end');
  });

  it('throws MASEP_UNKNOWN_GAME for a configured game that is not registered', () => {
    expect(() => new MasepEngine({ games: demoGames, game: 'no.Such' })).toThrow(expect.objectContaining({ code: 'MASEP_UNKNOWN_GAME' }));
  });
});

describe('MasepEngine over TCP', () => {
  it('sends end then BYE to every interface after the last episode', async () => {
    const { engine, port, agents } = await playingEngine({ episodes: 2 });
    engines.push(engine);
    const observer = await RawInterface.connect(port, randomUUID());
    await observer.hello();
    observer.send(raw.define(observer.id, LONG_GRID));
    observer.send(raw.register(observer.id, 'Observer'));
    await observer.peer.waitForEnd(10_000);
    expect(observer.frames.slice(-2)).toEqual([`<Message msg_type="end" src_sub_app="${engine.id}" />`, 'BYE']);
    observer.send(raw.quit(observer.id));
    observer.peer.end();
    const summaries = await engine.done;
    expect(summaries).toHaveLength(2);
    for (const agent of agents) expect((await agent.done).reason).toBe('end');
    expect(engine.phase).toBe('ended');
  });

  it('reports a BYE from an interface as a departure and frees its seat', async () => {
    const { engine, port } = await playingEngine({ players: 2, agents: 2 });
    engines.push(engine);
    const extra = await MasepInterface.connect({ game: LONG_GRID, port, policy: pacedGreedy });
    const left = nextEvent(engine.events$, 'left', (e) => e.id === extra.id);
    expect((await extra.stop()).reason).toBe('stopped');
    expect((await left).reason).toBe('peer-bye');
    await moreSteps(engine, 2);
    expect(engine.stats().actors).toBe(2);
  });
});

describe('MasepEngine observation bytes', () => {
  it("writes the spec's OBSERVATION example: Belief included, nothing pymasep does not write", async () => {
    // One player whose Score is 3 and who is rewarded 1.0 on step 4: the spec's example situation.
    const example: GameDefinition<number> = {
      name: 'spec.Example',
      coordination: 'turn',
      minPlayers: 1,
      maxPlayers: 1,
      init: () => 0,
      step: (n) => ({ state: n + 1, rewards: n + 1 === 4 ? { player0: 1 } : ({} as Record<string, number>), done: false }),
      render: () => ({ agents: { player0: { Score: Value.int(3) } } }),
    };
    const engine = new MasepEngine({ games: createGameRegistry([example as GameDefinition<unknown>]), game: example.name, id: ENGINE_ID, port: 0, actionTimeoutMs: 0 });
    engines.push(engine);
    const { port } = await engine.listen();
    const player = await RawInterface.connect(port, INTERFACE_ID);
    await player.hello();
    player.send(raw.define(INTERFACE_ID, example.name));
    player.send(raw.register(INTERFACE_ID, 'Actor'));
    for (let step = 0; step < 4; step++) {
      await player.waitForFrame((f) => f.includes(`env_step="${step}"`), `observation ${step}`);
      player.send(raw.move(INTERFACE_ID, 'up'));
    }
    expect(await player.waitForFrame((f) => f.includes('env_step="4"'), 'observation 4')).toBe(OBSERVATION_EXAMPLE.payload);
  });
});

describe('MasepEngine when a player quits (QUIT, then BYE, as a Python interface does)', () => {
  it('ends the episode without seating the quitter again: no observation after QUIT, no empty episode on BYE', async () => {
    const engine = new MasepEngine({ games: testGames, port: 0, players: 1, episodes: 5, game: LONG_GRID });
    engines.push(engine);
    const { port } = await engine.listen();
    const events: MasepEngineEvent[] = [];
    engine.events$.subscribe((e) => events.push(e));
    const player = await RawInterface.connect(port, randomUUID());
    await player.hello();
    player.send(raw.define(player.id, LONG_GRID));
    player.send(raw.register(player.id, 'Actor'));
    await player.waitForFrame((f) => f.includes('msg_type="observation"'), 'an observation');
    const ended = nextEvent(engine.events$, 'episode-ended');
    player.send(raw.quit(player.id));
    await ended;
    const framesAtQuit = player.frames.length;
    const left = nextEvent(engine.events$, 'left', (e) => e.id === player.id);
    player.send('BYE');
    await left;
    expect(player.frames.slice(framesAtQuit).filter((f) => f.includes('msg_type="observation"'))).toEqual([]);
    expect(events.filter((e) => e.type === 'episode-started')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'episode-ended')).toHaveLength(1);
  });
});
