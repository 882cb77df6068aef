/**
 * Runs the example end to end on 127.0.0.1: the Python pymasep engine of the tests
 * (`test/peers/masep_engine.py`, written from the wire spec, running its own tic-tac-toe) on a
 * free port, and two TypeScript agents (`agent.ts`), each in its own process, that join its game.
 * Prints the engine's episodes and each agent's results.
 *
 *   npx tsx examples/join-pymasep-game/main.ts [--episodes 3]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { episodes: { type: 'string', default: '3' } } });
const root = fileURLToPath(new URL('../../', import.meta.url));
const agentScript = fileURLToPath(new URL('./agent.ts', import.meta.url));

function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

/** The engine's JSON lines in words. */
function engineLine(line: string): string {
  const report = JSON.parse(line) as { episode?: number; steps?: number; winner?: string | null; episodes?: number };
  if (report.episode === undefined) return `engine: ended after ${report.episodes} episodes`;
  return `engine: episode ${report.episode}: ${report.winner ? `${report.winner} won` : 'draw'} in ${report.steps} steps`;
}

/** Prints each line of `child`'s stdout through `format`; resolves with the first line matching `first`. */
function relay(child: ChildProcess, format: (line: string) => string, first?: RegExp): Promise<RegExpMatchArray | undefined> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = first && line.match(first);
      if (match) resolve(match);
      else process.stdout.write(`${format(line)}\n`);
    });
    lines.on('close', () => resolve(undefined));
  });
}

const engine = spawn('python3', ['test/peers/masep_engine.py', '0', '--episodes', values.episodes, '--timeout', '60'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'ignore'],
});
const listening = await relay(engine, engineLine, /^masep-engine listening on 127\.0\.0\.1:(\d+)$/);
if (!listening) throw new Error('the Python engine did not start (is python3 installed?)');
const port = listening[1];
process.stdout.write(`the Python engine runs mygames.tictactoe.TicTacToe on 127.0.0.1:${port}\n`);

const agents = [0, 1].map(() =>
  spawn(process.execPath, ['--import', 'tsx', agentScript, '--port', port], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] }),
);
agents.forEach((agent) => void relay(agent, (line) => line));
const codes = await Promise.all([...agents.map(exited), exited(engine)]);
process.exitCode = codes.every((code) => code === 0) ? 0 : 1;
