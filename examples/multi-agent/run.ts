/**
 * The multi-agent example in one command: a masep engine running the resource grid in this
 * process, an observer and several agents each in its own process, talking pymasep over TCP on
 * 127.0.0.1. Prints the rewards of every episode.
 *
 *   npx tsx examples/multi-agent/run.ts [--agents 4] [--episodes 3]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MasepEngine, RESOURCE_GRID, demoGames } from '../../src/actors/masep/index.js';

const { values } = parseArgs({ options: { agents: { type: 'string', default: '4' }, episodes: { type: 'string', default: '3' } } });
const agents = Number(values.agents);
const episodes = Number(values.episodes);
const policies = ['greedy', 'random'];

/** Runs one of this folder's scripts in a child node process (with tsx), echoing its output. */
function script(name: string, args: string[]): { child: ChildProcess; ready: Promise<void>; exited: Promise<number | null> } {
  const path = fileURLToPath(new URL(name, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', path, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    if (text.includes('ready')) markReady();
    process.stdout.write(text.replace(/^observer ready\n/m, ''));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, ready, exited };
}

const engine = new MasepEngine({ games: demoGames, game: RESOURCE_GRID, port: 0, players: agents, episodes, seed: 2024 });
engine.events$.subscribe((event) => {
  if (event.type !== 'episode-ended') return;
  const rewards = Object.entries(event.rewards).map(([agent, reward]) => `${agent}=${reward}`).join(' ');
  process.stdout.write(`episode ${event.episode}: ${event.steps} steps, rewards ${rewards}\n`);
});
const { port } = await engine.listen();
process.stdout.write(`engine on 127.0.0.1:${port}, ${agents} agents, ${episodes} episodes\n`);

// The observer first, so that it sees the first episode from its start.
const observer = script('observer.ts', [String(port)]);
await observer.ready;
const players = Array.from({ length: agents }, (_, i) => script('agent.ts', [String(port), policies[i % policies.length]]));

const summaries = await engine.done;
const codes = await Promise.all([observer.exited, ...players.map((p) => p.exited)]);
const totals: Record<string, number> = {};
for (const summary of summaries) for (const [agent, reward] of Object.entries(summary.rewards)) totals[agent] = (totals[agent] ?? 0) + reward;
process.stdout.write(`total rewards ${Object.entries(totals).map(([a, r]) => `${a}=${r}`).join(' ')}\n`);
process.exitCode = codes.every((code) => code === 0) ? 0 : 1;
