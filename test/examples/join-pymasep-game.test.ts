import { afterEach, describe, expect, it } from 'vitest';
import { run, type Child } from '../actors/masep/cli-process.js';

const children: Child[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.process.exitCode === null) child.process.kill('SIGKILL');
});

describe('examples/join-pymasep-game', () => {
  it("joins the Python engine's tic-tac-toe with two TypeScript agents over the generic view", async () => {
    const example = run(process.execPath, ['--import', 'tsx', 'examples/join-pymasep-game/main.ts', '--episodes', '2']);
    children.push(example);
    expect(await example.exited).toBe(0);
    const out = example.stdout();
    expect(out).toMatch(/^the Python engine runs mygames\.tictactoe\.TicTacToe on 127\.0\.0\.1:\d+$/m);
    // Two players of the same sound policy: every episode is a draw on a full board.
    expect([...out.matchAll(/^engine: episode (\d+): draw in 9 steps$/gm)].map((m) => Number(m[1]))).toEqual([0, 1]);
    for (const seat of ['player0 \\(X\\)', 'player1 \\(O\\)']) {
      expect([...out.matchAll(new RegExp(`^${seat}: episode (\\d+) draw in 9 steps$`, 'gm'))].map((m) => Number(m[1]))).toEqual([0, 1]);
    }
    expect(out.match(/moves, ended by end$/gm)).toHaveLength(2);
    expect(out).toMatch(/^engine: ended after 2 episodes$/m);
  });
});
