import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Loads a module of actorwire from `dist/` (compiled, as users run it) when it has been built,
 * else from the TypeScript sources. `sourcePath` is relative to `src/`, e.g.
 * `actors/rsb/index.js`. Type it with `typeof import('../../src/...')` at the call site.
 */
export async function loadCompiled<T>(sourcePath: string): Promise<T> {
  const compiled = fileURLToPath(new URL(`../../dist/${sourcePath}`, import.meta.url));
  const url = existsSync(compiled) ? pathToFileURL(compiled).href : new URL(`../../src/${sourcePath.replace(/\.js$/, '.ts')}`, import.meta.url).href;
  return (await import(url)) as T;
}
