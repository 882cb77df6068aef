import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { groupOf } from './command-tree.js';
import { masepCommands } from './masep.js';
import { obeCommands } from './obe.js';
import { onelineCommands } from './oneline.js';
import { rsbCommands } from './rsb.js';
import { serveCommand } from './serve.js';

/** The version in package.json (two levels up from both src/cli and dist/cli). */
function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/**
 * The `actorwire` command tree: `serve`, then one group per protocol. Every flag, environment
 * variable and default is listed in docs/CONFIGURATION.md.
 */
export function createProgram(): Command {
  const program = groupOf(new Command('actorwire'))
    .description('An actor runtime that speaks the OBE, RSB, pymasep and socket-oneline wire protocols.')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .addHelpText(
      'after',
      '\nLogging: ACTORWIRE_LOG=silent|error|warn|info|debug on stderr (the CLI defaults to warn).\nEvery command has -h/--help; the docs are in docs/ (docs/CONFIGURATION.md for every flag).',
    );
  serveCommand(program);
  onelineCommands(program);
  obeCommands(program);
  rsbCommands(program);
  masepCommands(program);
  return program;
}
