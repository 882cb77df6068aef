import { afterEach, describe, expect, it } from 'vitest';
import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESOURCE_GRID } from '../../src/actors/masep/index.js';
import { MOVE_ACTION } from '../../src/actors/masep/games/resource-grid.js';
import { actorwire, type Child } from '../actors/masep/cli-process.js';

const children: Child[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.process.exitCode === null) child.process.kill('SIGKILL');
});

function start(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = actorwire(args, env);
  children.push(child);
  return child;
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

describe('actorwire masep', () => {
  it('runs an engine, two agents and an observer that prints one JSON line per observation', async () => {
    const engine = start(['masep', 'engine', '--port', '0', '--episodes', '2', '--players', '2'], { ACTORWIRE_LOG: 'info' });
    const [first, port] = await engine.line(/^masep listening on 127\.0\.0\.1:(\d+)$/m);
    expect(engine.stdout().startsWith(first)).toBe(true);
    const observer = start(['masep', 'observe', '--port', port]);
    // The observer registers before the agents, so it sees every step of both episodes.
    await engine.line(/interface joined.*"role":"Observer"/, 20_000, 'stderr');
    const agents = ['greedy', 'random'].map((policy) => start(['masep', 'agent', '--port', port, '--policy', policy]));
    expect(await Promise.all(agents.map((a) => a.exited))).toEqual([0, 0]);
    expect(await engine.exited).toBe(0);
    expect(await observer.exited).toBe(0);
    const summaries = engine.stdout().trim().split('\n').slice(1).map((l) => JSON.parse(l) as { episode: number; steps: number });
    expect(summaries.map((s) => s.episode)).toEqual([0, 1]);
    const lines = observer.stdout().trim().split('\n').map((l) => JSON.parse(l) as { episode: number; step: number; final: boolean; state: { objects: Array<{ kind: string }> } });
    expect(lines.length).toBeGreaterThan(0);
    const finals = lines.filter((l) => l.final);
    expect(finals.map((l) => l.episode)).toEqual([0, 1]);
    for (const final of finals) expect(final.step).toBe(summaries[final.episode].steps);
    expect(lines[0].state.objects.filter((o) => o.kind === 'Agent')).toHaveLength(2);
    for (const agent of agents) {
      const out = agent.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      // One line per finished episode (episode, steps, reward), then how the session ended.
      expect(out.slice(0, -1).map((l) => [l.episode, l.steps])).toEqual(summaries.map((s) => [s.episode, s.steps]));
      for (const line of out.slice(0, -1)) expect(typeof line.reward).toBe('number');
      expect(out.at(-1)).toMatchObject({ reason: 'end' });
    }
  });

  it('stops an agent after --episodes and an observer after --count', async () => {
    // More episodes than can run here: the engine must still be serving when it is signalled. (A
    // QUIT from any interface, the observer's too, ends the current episode, as in pymasep, so a
    // small count could run out by itself and race the signal with its own exit.)
    const engine = start(['masep', 'engine', '--port', '0', '--episodes', '1000', '--players', '1'], { ACTORWIRE_LOG: 'info' });
    const [, port] = await engine.line(/^masep listening on 127\.0\.0\.1:(\d+)$/m);
    const observer = start(['masep', 'observe', '--port', port, '--count', '2']);
    // The observer is registered before the game starts, so it sees the first observations.
    await engine.line(/interface joined.*"role":"Observer"/, 20_000, 'stderr');
    const agent = start(['masep', 'agent', '--port', port, '--episodes', '1']);
    expect(await agent.exited).toBe(0);
    const out = agent.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ episode: expect.any(Number), steps: expect.any(Number), reward: expect.any(Number) });
    expect(out[1]).toMatchObject({ reason: 'stopped' });
    expect(await observer.exited).toBe(0);
    expect(observer.stdout().trim().split('\n')).toHaveLength(2);
    expect(engine.process.exitCode).toBeNull();
    engine.process.kill('SIGTERM');
    expect(await engine.exited).toBe(0);
  });

  it('lets an agent find the engine by discovery on loopback', async () => {
    const udp = String(await freeUdpPort());
    const discovery = ['--discovery-port', udp, '--discovery-interface', '127.0.0.1'];
    const engine = start(['masep', 'engine', '--port', '0', '--episodes', '1', '--discovery', ...discovery]);
    await engine.line(/^masep listening on/m);
    const agent = start(['masep', 'agent', '--discover', ...discovery]);
    expect(await agent.exited).toBe(0);
    expect(await engine.exited).toBe(0);
    expect(JSON.parse(agent.stdout().trim().split('\n').at(-1)!)).toMatchObject({ reason: 'end' });
  });

  it('lets engine --discovery and agent --discover find each other on one host with no interface given', async () => {
    const udp = String(await freeUdpPort());
    const engine = start(['masep', 'engine', '--port', '0', '--episodes', '1', '--discovery', '--discovery-port', udp]);
    await engine.line(/^masep listening on 127\.0\.0\.1:/m);
    const agent = start(['masep', 'agent', '--discover', '--discovery-port', udp]);
    expect(await agent.exited).toBe(0);
    expect(await engine.exited).toBe(0);
    expect(JSON.parse(agent.stdout().trim().split('\n').at(-1)!)).toMatchObject({ reason: 'end' });
  });

  it('plays with a policy module given by path that returns plain actions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'masep-policy-'));
    const module = join(dir, 'wander.mjs');
    writeFileSync(module, `export default ({ state }) => ({ type: ${MOVE_ACTION}, params: { direction: state.envStep % 2 === 0 ? 'right' : 'down' } });\n`);
    const engine = start(['masep', 'engine', '--port', '0', '--episodes', '1', '--players', '1']);
    const [, port] = await engine.line(/^masep listening on 127\.0\.0\.1:(\d+)$/m);
    const agent = start(['masep', 'agent', '--port', port, '--policy', module]);
    expect(await agent.exited).toBe(0);
    const out = agent.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out.at(-1)).toMatchObject({ reason: 'end' });
    expect((out.at(-1) as { actions: number }).actions).toBeGreaterThan(0);
    expect(await engine.exited).toBe(0);
    const empty = join(dir, 'empty.mjs');
    writeFileSync(empty, 'export const nothing = 1;\n');
    const bad = start(['masep', 'agent', '--port', port, '--policy', empty]);
    expect(await bad.exited).not.toBe(0);
    expect(bad.stderr()).toMatch(/exports no policy function/);
  });

  it('names any Python class path as the game of an agent (never loaded), and needs a policy module for it', async () => {
    const noPolicy = start(['masep', 'agent', '--game', 'mygames.tictactoe.TicTacToe', '--port', '1']);
    expect(await noPolicy.exited).toBe(2);
    expect(noPolicy.stderr()).toMatch(/is not one actorwire knows, so it has no built-in policy: give a module path like --policy \.\/my-policy\.js, or an action to send each turn like --action/);
    const notAPath = start(['masep', 'agent', '--game', 'evil game; rm', '--port', '1']);
    expect(await notAPath.exited).toBe(2);
    expect(notAPath.stderr()).toMatch(/a Python class path like mygames\.tictactoe\.TicTacToe/);
  });

  it('rejects an unknown game and an unknown policy with a usage error', async () => {
    const engine = start(['masep', 'engine', '--game', 'evil.module.Game', '--port', '0']);
    expect(await engine.exited).toBe(2);
    expect(engine.stderr()).toMatch(/unknown game/);
    const agent = start(['masep', 'agent', '--game', RESOURCE_GRID, '--policy', 'nope', '--port', '1']);
    expect(await agent.exited).toBe(2);
    expect(agent.stderr()).toMatch(/no policy 'nope'/);
  });
});
