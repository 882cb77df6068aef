import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandPath } from '../../src/cli/command-tree.js';
import { createProgram } from '../../src/cli/program.js';

const DOC = readFileSync(new URL('../../docs/CONFIGURATION.md', import.meta.url), 'utf8');
const SECTIONS = DOC.split(/^### /m).slice(1);

function runnable(command: Command): Command[] {
  const subs = command.commands.filter((c) => c.name() !== 'help');
  return subs.length === 0 ? [command] : subs.flatMap(runnable);
}

describe('docs/CONFIGURATION.md', () => {
  it.each(runnable(createProgram()).map((c) => [commandPath(c), c] as const))('lists every flag of %s', (path, command) => {
    const section = SECTIONS.find((s) => s.split('\n')[0].includes(`\`${path}\``) || s.split('\n')[0].includes(`\`${path} `));
    expect(section, `no section for ${path}`).toBeDefined();
    for (const option of command.options) {
      if (option.long === '--help') continue;
      const flag = new RegExp(`(?<![\\w-])${option.long!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`);
      expect(section, `${path} ${option.long} is not in docs/CONFIGURATION.md`).toMatch(flag);
    }
  });
});
