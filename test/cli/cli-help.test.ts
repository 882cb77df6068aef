import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandPath, runCommandTree } from '../../src/cli/command-tree.js';
import { createProgram } from '../../src/cli/program.js';
import { runCli } from '../helpers/cli.js';

/** Runs the CLI in this process with its output captured (nothing here reaches an action that serves). */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCommandTree(createProgram(), args, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

function allCommands(command: Command): Command[] {
  return [command, ...command.commands.filter((c) => c.name() !== 'help').flatMap(allCommands)];
}

const paths = allCommands(createProgram()).map((c) => commandPath(c).split(' ').slice(1));

describe('actorwire help', () => {
  it.each(paths.map((p) => [p.join(' ') || '(root)', p]))('%s: -h and --help print that usage only, exit 0', async (_name, path) => {
    for (const flag of ['-h', '--help']) {
      const { code, out, err } = await cli([...path, flag]);
      expect(code).toBe(0);
      expect(err).toBe('');
      expect(out.startsWith(`Usage: ${['actorwire', ...path].join(' ')} `)).toBe(true);
      // One usage, not the whole tree's: no other command's usage line in it.
      expect(out.match(/^Usage:/gm)).toHaveLength(1);
    }
  });

  it('a group lists its commands and `help <command>` prints one', async () => {
    const group = await cli(['rsb', '--help']);
    for (const name of ['bus', 'logger', 'listen', 'send', 'call', 'record', 'play', 'info']) expect(group.out).toMatch(new RegExp(`^  ${name} `, 'm'));
    const help = await cli(['rsb', 'help', 'record']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: actorwire rsb record \[options\] \[scope\.\.\.\]/);
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const { code, out } = await cli(['--version']);
    expect(code).toBe(0);
    expect(out).toBe(`${version}\n`);
  });
});

describe('actorwire usage errors', () => {
  const cases: Array<[string[], RegExp, string]> = [
    [[], /^error: give a command: serve, oneline, obe, rsb, masep$/, 'actorwire'],
    [['bogus'], /^error: unknown command 'bogus'/, 'actorwire'],
    [['obe'], /^error: give a command: serve, send$/, 'actorwire obe'],
    [['obe', 'sned'], /^error: unknown command 'sned' \(commands: serve, send\)$/, 'actorwire obe'],
    [['obe', 'send', 'notjson'], /^error: the message is not JSON .*quote it for the shell/, 'actorwire obe send'],
    [['obe', 'send', '--bogus', '{}'], /^error: unknown option '--bogus'$/, 'actorwire obe send'],
    [['obe', 'send'], /^error: missing required argument 'json'$/, 'actorwire obe send'],
    [['oneline', 'serve', '--port', 'nope'], /^error: option '--port <port>' argument 'nope' is invalid\. give an integer 0-65535/, 'actorwire oneline serve'],
    [['oneline', 'send', 'ping'], /^error: required option '--port <port>' not specified$/, 'actorwire oneline send'],
    [['rsb', 'logger', '--style', 'fancy'], /^error: option '--style <style>' argument 'fancy' is invalid\. Allowed choices are compact, detailed, json, payload, statistics, monitor\.$/, 'actorwire rsb logger'],
    [['rsb', 'logger', '--filter', 'colour=red', '/a/'], /^error: filter 'colour=red': unknown kind 'colour'/, 'actorwire rsb logger'],
    [['rsb', 'send', 'demo', 'x'], /^error: command-argument value 'demo' is invalid for argument 'scope'\. a scope starts with '\/', e\.g\. \/demo\/\.$/, 'actorwire rsb send'],
    [['rsb', 'send', '/demo/', 'x', '--type', 'int64'], /^error: 'x' is not an integer$/, 'actorwire rsb send'],
    [['rsb', 'record', '/demo/'], /^error: required option '-o, --output <file>' not specified$/, 'actorwire rsb record'],
    [['rsb', 'play', 'f', '--rate', '0'], /^error: option '--rate <r>' argument '0' is invalid\. give a number > 0\.$/, 'actorwire rsb play'],
    [['masep', 'agent', '--episodes', '-1'], /^error: option '--episodes <n>' argument '-1' is invalid/, 'actorwire masep agent'],
  ];
  it.each(cases.map(([args, message, command]) => [args.join(' ') || '(nothing)', args, message, command] as const))(
    '%s: one line and a hint at the help, exit 2',
    async (_name, args, message, command) => {
      const { code, out, err } = await cli(args);
      expect(code).toBe(2);
      expect(out).toBe('');
      const lines = err.split('\n');
      expect(lines).toHaveLength(3); // two lines and the final newline
      expect(lines[0]).toMatch(message);
      expect(lines[1]).toBe(`see: ${command} --help`);
    },
  );

  it('as a process: --help exits 0, a usage error 2, both on the right stream', { timeout: 30_000 }, async () => {
    const help = runCli(['oneline', 'serve', '--help']);
    const bad = runCli(['oneline', 'serve', '--help-me']);
    expect(await help.exited).toBe(0);
    expect(help.stdout()).toMatch(/^Usage: actorwire oneline serve \[options\]\n/);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toBe("error: unknown option '--help-me' (did you mean --help?)\nsee: actorwire oneline serve --help\n");
  });
});
