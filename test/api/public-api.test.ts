import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The public surface, entry point by entry point (package.json `exports`): every exported value
 * by name. A change to it must be a deliberate edit of public-api.json (docs/ARCHITECTURE.md,
 * "Entry points"); `UPDATE_API=1` rewrites the file from the modules.
 */
const REPORT = fileURLToPath(new URL('./public-api.json', import.meta.url));
const ROOT = new URL('../../', import.meta.url);

interface ExportTarget {
  readonly default: string;
}

/** Source module of each entry point: dist/x/index.js is built from src/x/index.ts. */
function entrySources(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { exports: Record<string, ExportTarget> };
  return Object.fromEntries(Object.entries(pkg.exports).map(([entry, target]) => [entry, target.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')]));
}

describe('the public API', () => {
  it('exports exactly the values public-api.json lists, per entry point', async () => {
    const actual: Record<string, string[]> = {};
    for (const [entry, source] of Object.entries(entrySources())) {
      const module = (await import(fileURLToPath(new URL(source, ROOT)))) as Record<string, unknown>;
      actual[entry] = Object.keys(module).sort();
    }
    if (process.env.UPDATE_API === '1') writeFileSync(REPORT, JSON.stringify(actual, null, 2) + '\n');
    const expected = JSON.parse(readFileSync(REPORT, 'utf8')) as Record<string, string[]>;
    expect(actual).toEqual(expected);
  }, 60_000);

  it('has an entry point for the actors and one for the pure protocol layer of every protocol', () => {
    const entries = Object.keys(entrySources());
    for (const protocol of ['oneline', 'obe', 'rsb', 'masep']) {
      expect(entries).toContain(`./${protocol}`);
      expect(entries).toContain(`./${protocol}/protocol`);
      expect(entrySources()[`./${protocol}/protocol`]).toMatch(new RegExp(`^src/protocols/${protocol}/`));
    }
  });
});
