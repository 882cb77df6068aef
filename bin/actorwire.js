#!/usr/bin/env node
// Runs the compiled CLI when there is one; otherwise (a fresh checkout, or
// ACTORWIRE_FROM_SOURCE=1 as the tests set it) runs the TypeScript sources through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (process.env.ACTORWIRE_FROM_SOURCE !== '1' && existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
