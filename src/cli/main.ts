import { setLogLevel } from '../logger.js';
import { ActorwireError } from '../errors.js';
import { masepCommand, MASEP_USAGE } from './masep.js';
import { obeCommand, OBE_USAGE } from './obe.js';
import { onelineCommand, ONELINE_USAGE } from './oneline.js';
import { rsbCommand, RSB_USAGE } from './rsb.js';
import { serveAll } from './serve.js';
import { UsageError } from './usage-error.js';

const USAGE = `usage:
actorwire serve [--host 127.0.0.1]        every service on its default port
${ONELINE_USAGE}
${MASEP_USAGE}
${OBE_USAGE}
${RSB_USAGE}

Logging: ACTORWIRE_LOG=silent|error|warn|info|debug (default warn for the CLI).`;

async function main(argv: string[]): Promise<number> {
  if (process.env.ACTORWIRE_LOG === undefined) setLogLevel('warn');
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serveAll(rest);
    case 'oneline':
      return onelineCommand(rest);
    case 'masep':
      return masepCommand(rest);
    case 'obe':
      return obeCommand(rest);
    case 'rsb':
      return rsbCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`actorwire: ${err.message}\n${USAGE}\n`);
      process.exitCode = 2;
    } else {
      const detail = err instanceof ActorwireError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
      process.stderr.write(`actorwire: ${detail}\n`);
      process.exitCode = 1;
    }
  },
);
