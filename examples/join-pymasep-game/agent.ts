/**
 * A TypeScript agent for someone else's pymasep game: tic-tac-toe as the Python engine
 * `test/peers/masep_engine.py` runs it (`mygames.tictactoe.TicTacToe`). actorwire has no class for
 * that game: the agent sends the class path in its DEFINE and reads every observation through the
 * generic view (`generic`), the board object's `Cells` and its own agent's `Mark`; it answers with
 * a plain action, the game's type number and its parameters.
 *
 *   npx tsx examples/join-pymasep-game/agent.ts [--host 127.0.0.1] [--port 60000] [--game mygames.tictactoe.TicTacToe]
 */
import { parseArgs } from 'node:util';
import { MasepInterface, toAction, type Policy } from '../../src/actors/masep/index.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '60000' },
    game: { type: 'string', default: 'mygames.tictactoe.TicTacToe' },
  },
});

/** The game's action: type 1 (its PLACE), int parameters `row` and `col`. */
const PLACE = 1;
const LINES = [[0, 1, 2], [3, 4, 5], [6, 7, 8], [0, 3, 6], [1, 4, 7], [2, 5, 8], [0, 4, 8], [2, 4, 6]];

/** Win if we can, block if they can, else the centre, a corner, a side. */
function chooseCell(cells: readonly string[], mine: string): number {
  const theirs = mine === 'X' ? 'O' : 'X';
  for (const mark of [mine, theirs]) {
    for (const line of LINES) {
      const marks = line.map((i) => cells[i]);
      if (marks.filter((m) => m === mark).length === 2 && marks.includes('')) return line[marks.indexOf('')];
    }
  }
  return [4, 0, 2, 6, 8, 1, 3, 5, 7].find((i) => cells[i] === '') ?? -1;
}

// Asked only on our turns (coordination `turn`: our agent heads AgentOrder).
const policy: Policy = ({ generic }) => {
  const cells = generic.object('board')?.plain('Cells');
  const mark = generic.me?.string('Mark');
  if (!Array.isArray(cells) || mark === undefined) return null;
  const cell = chooseCell(cells as string[], mark);
  if (cell < 0) return null;
  return toAction({ type: PLACE, params: { row: Math.floor(cell / 3), col: cell % 3 } });
};

const agent = await MasepInterface.connect({
  game: values.game,
  host: values.host,
  port: Number(values.port),
  coordination: 'turn',
  policy,
  retry: { attempts: 5 },
});

let total = 0;
agent.observations$.subscribe(({ generic }) => {
  total += generic.reward ?? 0;
  if (!generic.isFinal) return;
  const result = total > 0 ? 'won' : total < 0 ? 'lost' : 'draw';
  process.stdout.write(`${generic.me?.name} (${generic.me?.string('Mark')}): episode ${generic.episode} ${result} in ${generic.step} steps\n`);
  total = 0;
});
const end = await agent.done;
process.stdout.write(`agent ${agent.id.slice(0, 8)}: ${end.actions} moves, ended by ${end.reason}\n`);
process.exitCode = end.observations > 0 && end.reason === 'end' ? 0 : 1;
