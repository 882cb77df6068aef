import { afterEach, describe, expect, it } from 'vitest';
import { MasepInterface, MasepEngine, demoGames, RESOURCE_GRID, type ReceivedObservation } from '../../../src/actors/masep/index.js';
import { Action, Value } from '../../../src/protocols/masep/index.js';
import { RawPeer, rawServer } from '../../helpers/raw-peer.js';
import { eventually } from '../../helpers/eventually.js';
import {
  ACTION_EXAMPLE,
  DEFINE_EXAMPLE,
  END_EXAMPLE,
  ENGINE_ID,
  INTERFACE_ID,
  OBSERVATION_EXAMPLE,
  QUIT_EXAMPLE,
  REGISTER_EXAMPLE,
} from '../../protocols/masep/spec-examples.js';
import { frame, parseFrames } from './masep-test-kit.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  RawPeer.destroyAll();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A byte-level engine: the first accepted peer. */
async function byteLevelEngine(): Promise<{ port: number; peer: Promise<RawPeer> }> {
  let accept!: (peer: RawPeer) => void;
  const peer = new Promise<RawPeer>((resolve) => (accept = resolve));
  const server = await rawServer((p) => accept(p));
  cleanups.push(() => server.close());
  return { port: server.port, peer };
}

/** An Observer connected to a byte-level engine that has answered its hello. */
async function observerOfByteLevelEngine(): Promise<{ engine: RawPeer; observer: MasepInterface }> {
  const { port, peer: accepted } = await byteLevelEngine();
  const connecting = MasepInterface.connect({ game: RESOURCE_GRID, port, role: 'Observer' });
  const engine = await accepted;
  await engine.waitForBytes(38);
  engine.write(frame(ENGINE_ID));
  return { engine, observer: await connecting };
}

function payloads(peer: RawPeer): string[] {
  return parseFrames(peer.bytes).frames.map((f) => f.toString('latin1'));
}

describe('MasepInterface against a byte-level engine', () => {
  it('speaks the spec bytes: hello, DEFINE, REGISTER, ACTION on its turn, QUIT and BYE after end', async () => {
    const { port, peer: accepted } = await byteLevelEngine();
    const connecting = MasepInterface.connect({
      game: 'mygames.tictactoe.TicTacToe',
      id: INTERFACE_ID,
      port,
      policy: () => new Action(5, { direction: Value.str('up'), count: Value.int(2) }),
    });
    const engine = await accepted;
    await engine.until((p) => payloads(p).length >= 1, 5_000, 'client hello');
    expect(engine.bytes.subarray(0, 2)).toEqual(Buffer.from([0x24, 0x00]));
    expect(payloads(engine)[0]).toBe(INTERFACE_ID);
    engine.write(frame(ENGINE_ID));
    const agent = await connecting;
    const seen: ReceivedObservation[] = [];
    agent.observations$.subscribe((o) => seen.push(o));

    await engine.until((p) => payloads(p).length >= 3, 5_000, 'DEFINE and REGISTER');
    expect(payloads(engine).slice(1, 3)).toEqual([DEFINE_EXAMPLE.payload, REGISTER_EXAMPLE.payload]);

    // Python writes header and body separately; send the observation in two pieces, split mid-body.
    const observation = frame(OBSERVATION_EXAMPLE.payload);
    engine.write(observation.subarray(0, 1));
    engine.write(observation.subarray(1, 700));
    engine.write(observation.subarray(700));
    await engine.until((p) => payloads(p).length >= 4, 5_000, 'ACTION');
    expect(payloads(engine)[3]).toBe(ACTION_EXAMPLE.payload);
    // pymasep's engine says nothing of episodes: the interface counts them from its first.
    expect(seen.map((o) => o.episode)).toEqual([0]);
    expect(engine.bytes.subarray(2 + 36 + 2 + 181 + 2 + 252, 2 + 36 + 2 + 181 + 2 + 252 + 2)).toEqual(Buffer.from(ACTION_EXAMPLE.header));

    engine.write(frame(END_EXAMPLE.payload));
    await engine.waitForEnd();
    expect(payloads(engine).slice(4)).toEqual([QUIT_EXAMPLE.payload, 'BYE']);
    engine.end();
    expect(await agent.done).toEqual({ reason: 'end', observations: 1, actions: 1 });
  });

  it('counts episodes itself: after a final observation, or when the step goes back', async () => {
    const { engine, observer } = await observerOfByteLevelEngine();
    const seen: ReceivedObservation[] = [];
    observer.observations$.subscribe((o) => seen.push(o));
    const at = (step: number, final: boolean) =>
      frame(OBSERVATION_EXAMPLE.payload.replace('is_final="False" env_step="4"', `is_final="${final ? 'True' : 'False'}" env_step="${step}"`));
    // An episode cut short (no final observation), one that ends, the same final twice, the next one.
    for (const [step, final] of [[0, false], [3, false], [0, false], [1, true], [1, true], [0, false]] as const) engine.write(at(step, final));
    await eventually(() => seen.length === 6, 'six observations');
    expect(seen.map((o) => o.episode)).toEqual([0, 0, 1, 1, 1, 2]);
    engine.end();
    await observer.done;
  });

  it('reports a disconnection when the engine closes without BYE', async () => {
    const { engine, observer } = await observerOfByteLevelEngine();
    engine.end();
    expect((await observer.done).reason).toBe('disconnected');
  });
});

describe('MasepInterface in process', () => {
  it('runs the same code over an in-process link', async () => {
    const engine = new MasepEngine({ games: demoGames, game: RESOURCE_GRID, episodes: 1, players: 1 });
    const agent = MasepInterface.attach(engine, {
      game: RESOURCE_GRID,
      policy: (o) => new Action(1, { direction: Value.str(o.state.envStep % 2 === 0 ? 'right' : 'down') }),
    });
    const [summary] = await engine.done;
    const end = await agent.done;
    expect(end.reason).toBe('end');
    expect(end.actions).toBe(summary.steps);
    expect(end.observations).toBe(summary.steps + 1);
  });
});

describe('MasepInterface decoding', () => {
  async function twoAgents(shareDecoding: boolean | undefined): Promise<Array<Array<ReceivedObservation>>> {
    const engine = new MasepEngine({ games: demoGames, game: RESOURCE_GRID, port: 0, episodes: 1, players: 2, maxStepsPerEpisode: 3 });
    cleanups.push(() => engine.stop());
    const { port } = await engine.listen();
    const policy = () => new Action(1, { direction: Value.str('right') });
    const agents = await Promise.all([0, 1].map(() => MasepInterface.connect({ game: RESOURCE_GRID, port, policy, shareDecoding })));
    const seen = agents.map((agent) => {
      const list: ReceivedObservation[] = [];
      agent.observations$.subscribe((o) => list.push(o));
      return list;
    });
    await Promise.all(agents.map((a) => a.done));
    return seen;
  }

  it('decodes each observation once for the interfaces of a process, and per interface when asked', async () => {
    const shared = await twoAgents(undefined);
    expect(shared[0].length).toBeGreaterThan(0);
    expect(shared[1].map((o) => o.state)).toEqual(shared[0].map((o) => o.state));
    shared[0].forEach((o, i) => expect(shared[1][i].state).toBe(o.state));

    const apart = await twoAgents(false);
    // Not vacuous: the loop below runs over observations that did arrive.
    expect(apart[0].length).toBeGreaterThan(0);
    expect(apart[1].map((o) => o.state.toJSON())).toEqual(apart[0].map((o) => o.state.toJSON()));
    apart[0].forEach((o, i) => expect(apart[1][i].state).not.toBe(o.state));
  });
});
