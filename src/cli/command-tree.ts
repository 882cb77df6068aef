import { Command, CommanderError } from 'commander';
import { portArgument } from './arguments.js';
import { MONITOR_OPTION_HELP, monitorArgument } from './monitor-service.js';
import { UsageError } from './usage-error.js';

/**
 * How the `actorwire` command tree is put together with commander: every command has `-h/--help`
 * (its own usage only, exit 0), a usage error prints one line and a hint at that command's help
 * (exit 2), and a command group called without a command says which ones it has. The flags
 * themselves are listed in docs/CONFIGURATION.md.
 */

/** Where the CLI writes: the process's streams, or a test's buffers. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

/** Exit code of a usage error (as the original tools and most Unix commands). */
export const USAGE_EXIT_CODE = 2;

/** `actorwire obe send` for that command: its name preceded by its parents'. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The line after a usage error that says where the usage is. */
export function helpHint(command: Command): string {
  return `see: ${commandPath(command)} --help`;
}

/**
 * Adds a command group (`actorwire rsb`, ...): called without a command, or with one it does not
 * have, it fails with a usage error naming the commands it has.
 */
export function addGroup(parent: Command, name: string, description: string): Command {
  return groupOf(parent.command(name).description(description));
}

/** Makes `group` a command group (see {@link addGroup}); the root `actorwire` is one too. */
export function groupOf(group: Command): Command {
  group.usage('<command> [options]').argument('[command]').allowExcessArguments().helpCommand('help [command]', 'print the usage of a command');
  group.action((given: string | undefined) => {
    const names = group.commands.map((c) => c.name()).join(', ');
    throw new UsageError(given === undefined ? `give a command: ${names}` : `unknown command '${given}' (commands: ${names})`);
  });
  return group;
}

/**
 * Adds a command that serves: `--host` (default 127.0.0.1), `--port` (default `port`; 0 picks
 * a free one, which the `<service> listening on` line prints) and `--monitor [host:]port`.
 */
export function addServerCommand(group: Command, name: string, description: string, port: number): Command {
  return group
    .command(name)
    .description(description)
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'TCP port (0: a free one, printed)', portArgument, port)
    .option('--monitor <[host:]port>', MONITOR_OPTION_HELP, monitorArgument);
}

let lastExitCode = 0;

/**
 * Wraps an action that resolves with the process's exit code (commander ignores what actions
 * return); {@link runCommandTree} reads it back.
 */
export function exitCodeOf<A extends unknown[]>(action: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    lastExitCode = await action(...args);
  };
}

/** Sets what every command of the tree shares: output, help flags, error hints. */
function configureTree(command: Command, output: CliOutput): void {
  command
    .helpOption('-h, --help', 'print this usage and exit')
    .configureOutput({ writeOut: output.out, writeErr: output.err, outputError: (text, write) => write(text.replace(/\n\(Did you mean/g, ' (did you mean')) })
    .showHelpAfterError(helpHint(command))
    .exitOverride();
  for (const sub of command.commands) configureTree(sub, output);
}

/**
 * Parses `argv` (without node and the script) against `root` and runs the chosen action.
 * Resolves with the exit code: the action's, 0 after `--help` or `--version`, 2 after a usage
 * error; other errors reject.
 */
export async function runCommandTree(root: Command, argv: readonly string[], output: CliOutput): Promise<number> {
  configureTree(root, output);
  let current: Command = root;
  // The command a usage error is about: the deepest one reached (argument parsers run before preAction).
  root.hook('preSubcommand', (_parent, sub) => {
    current = sub;
  });
  root.hook('preAction', (_root, action) => {
    current = action;
  });
  lastExitCode = 0;
  try {
    await root.parseAsync([...argv], { from: 'user' });
    return lastExitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      const asked = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || (err.code === 'commander.help' && err.exitCode === 0);
      return asked ? 0 : USAGE_EXIT_CODE;
    }
    if (err instanceof UsageError) {
      output.err(`error: ${err.message}\n${helpHint(current)}\n`);
      return USAGE_EXIT_CODE;
    }
    throw err;
  }
}
