import { afterEach, describe, expect, it } from 'vitest';
import { RESOURCE_GRID_TURNS } from '../../../src/actors/masep/index.js';
import { actorwire, run, type Child } from './cli-process.js';

const children: Child[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.process.exitCode === null) child.process.kill('SIGKILL');
});

describe('a byte-level Python interface against the engine process', () => {
  it('plays turn-based episodes to the end, then gets end, sends QUIT and BYE', async () => {
    const engine = actorwire(['masep', 'engine', '--game', RESOURCE_GRID_TURNS, '--port', '0', '--episodes', '2', '--players', '2']);
    children.push(engine);
    const [, port] = await engine.line(/^masep listening on 127\.0\.0\.1:(\d+)$/m);
    const peers = [0, 1].map(() => run('python3', ['test/peers/masep_interface.py', '127.0.0.1', port, RESOURCE_GRID_TURNS, 'Actor']));
    children.push(...peers);
    expect(await Promise.all(peers.map((p) => p.exited))).toEqual([0, 0]);
    expect(await engine.exited).toBe(0);
    for (const peer of peers) {
      const report = JSON.parse(peer.stdout()) as { observations: number; actions: number; end: boolean };
      expect(report.end).toBe(true);
      expect(report.actions).toBeGreaterThan(0);
      expect(report.observations).toBeGreaterThan(report.actions);
    }
    const episodes = engine.stdout().trim().split('\n').slice(1).map((l) => JSON.parse(l) as { rewards: Record<string, number> });
    expect(episodes).toHaveLength(2);
    for (const episode of episodes) {
      expect(Object.keys(episode.rewards)).toEqual(['player0', 'player1']);
      expect(episode.rewards.player0 + episode.rewards.player1).toBeGreaterThan(0);
    }
  });
});
