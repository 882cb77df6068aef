import { setLogLevel } from '../logger.js';
import { runCommandTree } from './command-tree.js';
import { createProgram } from './program.js';
import { describeFailure } from './user-errors.js';

if (process.env.ACTORWIRE_LOG === undefined) setLogLevel('warn');

/**
 * Once a command has finished (its connections closed; docs/CONFIGURATION.md, "Signals"), the process
 * ends when nothing is left open; whatever is (a reconnect's socket to a host that never answers,
 * kept by a client library) may hold it this long at most.
 */
const EXIT_GRACE_MS = 1_000;

function exitSoon(): void {
  setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
}

const output = { out: (text: string) => void process.stdout.write(text), err: (text: string) => void process.stderr.write(text) };

runCommandTree(createProgram(), process.argv.slice(2), output).then(
  (code) => {
    process.exitCode = code;
    exitSoon();
  },
  (err: unknown) => {
    process.stderr.write(`actorwire: ${describeFailure(err)}\n`);
    process.exitCode = 1;
    exitSoon();
  },
);
