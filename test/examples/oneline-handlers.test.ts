import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runToEnd } from '../helpers/cli.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/oneline-handlers/main.ts', import.meta.url));

describe('examples/oneline-handlers', () => {
  it('runs the dialogue and stops the server', async () => {
    const { code, stdout } = await runToEnd(process.execPath, ['--import', 'tsx', EXAMPLE]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^oneline listening on 127\.0\.0\.1:\d+\n/);
    expect(stdout).toContain('> get gain\n< 3.5\n');
    expect(stdout).toContain('> wait 50\n< waited\n');
    expect(stdout).toContain('> list\n< gain=3.5\n< offset=-1\n');
    expect(stdout).toContain('> frobnicate\n< nak - unknown cmd\n');
    expect(stdout.trimEnd().endsWith('server stopped')).toBe(true);
  });
});
