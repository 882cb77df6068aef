import { setLogLevel } from '../logger.js';
import { runCommandTree } from './command-tree.js';
import { createProgram } from './program.js';
import { describeFailure } from './user-errors.js';

if (process.env.ACTORWIRE_LOG === undefined) setLogLevel('warn');

const output = { out: (text: string) => void process.stdout.write(text), err: (text: string) => void process.stderr.write(text) };

runCommandTree(createProgram(), process.argv.slice(2), output).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`actorwire: ${describeFailure(err)}\n`);
    process.exitCode = 1;
  },
);
