import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MasepInterface, toAction, type Policy } from '../../../src/actors/masep/index.js';
import { actorwire, run, type Child } from './cli-process.js';

/** The game the Python engine peer can import (its own tic-tac-toe), as the spec's DEFINE example names it. */
const TIC_TAC_TOE = 'mygames.tictactoe.TicTacToe';

const children: Child[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.process.exitCode === null) child.process.kill('SIGKILL');
});

function start(child: Child): Child {
  children.push(child);
  return child;
}

/** The Python engine peer on a free port of 127.0.0.1; resolves with it and its port. */
async function pythonEngine(episodes: number): Promise<{ engine: Child; port: string }> {
  const engine = start(run('python3', ['test/peers/masep_engine.py', '0', '--episodes', String(episodes), '--timeout', '60']));
  const [, port] = await engine.line(/^masep-engine listening on 127\.0\.0\.1:(\d+)$/m);
  return { engine, port };
}

/** A policy module over the generic view: the first free cell of the board. */
function firstFreeCellModule(): string {
  const module = join(mkdtempSync(join(tmpdir(), 'masep-ttt-')), 'first-free.mjs');
  writeFileSync(
    module,
    `export default ({ generic }) => {
  const free = generic.object('board').plain('Cells').indexOf('');
  return { type: 1, params: { row: Math.floor(free / 3), col: free % 3 } };
};
`,
  );
  return module;
}

const jsonLines = (text: string): Array<Record<string, unknown>> => text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe("actorwire interfaces in a Python engine's game that actorwire has no class for", () => {
  it('plays tic-tac-toe to the end with a policy module and --action, while masep observe follows it', async () => {
    const { engine, port } = await pythonEngine(2);
    const observer = start(actorwire(['masep', 'observe', '--game', TIC_TAC_TOE, '--port', port]));
    await engine.line(/registered \S+ as Observer/, 20_000, 'stderr');
    const module = firstFreeCellModule();
    const first = start(actorwire(['masep', 'agent', '--game', TIC_TAC_TOE, '--port', port, '--policy', module]));
    await engine.line(/registered \S+ as Actor \(player0\)/, 20_000, 'stderr');
    // The second player always asks for the centre: legal once, then it loses its turns.
    const second = start(actorwire(['masep', 'agent', '--game', TIC_TAC_TOE, '--port', port, '--action', '1 row=1 col=1']));
    expect(await Promise.all([first.exited, second.exited, observer.exited, engine.exited])).toEqual([0, 0, 0, 0]);

    const episodes = jsonLines(engine.stdout().replace(/^.*\n/, '')).slice(0, -1) as Array<{ steps: number; winner: string; rewards: Record<string, number> }>;
    expect(episodes).toHaveLength(2);
    for (const episode of episodes) expect(episode.winner).toBe('player0');
    const firstOut = jsonLines(first.stdout());
    expect(firstOut.slice(0, -1)).toEqual(episodes.map((e, i) => ({ episode: i, steps: e.steps, reward: 1 })));
    expect(firstOut.at(-1)).toMatchObject({ reason: 'end' });
    expect(jsonLines(second.stdout()).slice(0, -1).map((l) => l.reward)).toEqual([-1, -1]);

    const seen = jsonLines(observer.stdout()) as Array<{ episode: number; step: number; final: boolean; state: { objects: Array<{ name: string; characteristics: Record<string, unknown> }> } }>;
    expect(seen.filter((l) => l.final).map((l) => [l.episode, l.step])).toEqual(episodes.map((e, i) => [i, e.steps]));
    const lastBoard = seen.at(-1)!.state.objects.find((o) => o.name === 'board')!;
    expect(lastBoard.characteristics.Winner).toBe('X');
  });

  it('plays through the API with a policy over the generic view', async () => {
    const { engine, port } = await pythonEngine(1);
    const policy: Policy = ({ generic }) => {
      const cells = generic.object('board')!.plain('Cells') as string[];
      const free = cells.indexOf('');
      return toAction({ type: 1, params: { row: Math.floor(free / 3), col: free % 3 } });
    };
    const players = [];
    for (const n of [0, 1]) {
      players.push(await MasepInterface.connect({ game: TIC_TAC_TOE, port: Number(port), policy, coordination: 'turn' }));
      await engine.line(new RegExp(`registered \\S+ as Actor \\(player${n}\\)`), 20_000, 'stderr');
    }
    const ends = await Promise.all(players.map((p) => p.done));
    expect(ends.map((e) => e.reason)).toEqual(['end', 'end']);
    // X plays cells 0, 2, 4, 6 and wins on the diagonal; O plays 1, 3, 5.
    expect(ends.map((e) => e.actions)).toEqual([4, 3]);
    expect(await engine.exited).toBe(0);
  });

  it('fails cleanly when the engine cannot import the game class named', async () => {
    const { engine, port } = await pythonEngine(1);
    const agent = start(actorwire(['masep', 'agent', '--game', 'nosuch.games.Chess', '--port', port, '--action', '1 row=0 col=0']));
    expect(await agent.exited).toBe(1);
    expect(agent.stderr()).toMatch(/the engine ended the session before any observation: it refused us\. It may not run game nosuch\.games\.Chess/);
    expect(jsonLines(agent.stdout()).at(-1)).toMatchObject({ reason: 'end', observations: 0, actions: 0 });
    await engine.line(/refusing \S+: ModuleNotFoundError: No module named 'nosuch'/, 20_000, 'stderr');
    const api = await MasepInterface.connect({ game: 'mygames.tictactoe.Chess', port: Number(port), policy: () => null });
    expect(await api.done).toEqual({ reason: 'end', observations: 0, actions: 0 });
    await engine.line(/AttributeError: module 'mygames\.tictactoe' has no attribute 'Chess'/, 20_000, 'stderr');
  });
});
