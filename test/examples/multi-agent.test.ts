import { afterEach, describe, expect, it } from 'vitest';
import { run, type Child } from '../actors/masep/cli-process.js';

const children: Child[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.process.exitCode === null) child.process.kill('SIGKILL');
});

describe('examples/multi-agent', () => {
  it('plays the resource grid with agent processes and an observer, printing per-episode rewards', async () => {
    const example = run(process.execPath, ['--import', 'tsx', 'examples/multi-agent/run.ts', '--agents', '2', '--episodes', '2']);
    children.push(example);
    expect(await example.exited).toBe(0);
    const out = example.stdout();
    const episodes = [...out.matchAll(/^episode (\d+): (\d+) steps, rewards player0=([\d.]+) player1=([\d.]+)$/gm)];
    expect(episodes.map((m) => Number(m[1]))).toEqual([0, 1]);
    // The observer process sees the same final scores as the engine's rewards.
    for (const [, episode, steps, r0, r1] of episodes) {
      expect(out).toContain(`observer: episode ${episode} final scores player0=${r0} player1=${r1} (step ${steps})`);
    }
    expect(out.match(/ended by end$/gm)).toHaveLength(2);
    expect(out).toMatch(/^total rewards player0=[\d.]+ player1=[\d.]+$/m);
  });
});
