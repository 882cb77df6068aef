/**
 * The observer of the multi-agent example, in its own process: receives the full state after
 * every step and prints each agent's score at the end of each episode.
 *
 *   npx tsx examples/multi-agent/observer.ts <port>
 */
import { MasepInterface, RESOURCE_GRID } from '../../src/actors/masep/index.js';

const [port = '60000'] = process.argv.slice(2);
const observer = await MasepInterface.connect({ game: RESOURCE_GRID, port: Number(port), role: 'Observer', retry: { attempts: 5 } });
process.stdout.write('observer ready\n');
observer.observations$.subscribe(({ state, view, episode }) => {
  if (!state.isFinal) return;
  const scores = view.agents.map((agent) => `${agent.name}=${view.number(agent.name, 'Score') ?? 0}`).join(' ');
  process.stdout.write(`observer: episode ${episode} final scores ${scores} (step ${state.envStep})\n`);
});
await observer.done;
