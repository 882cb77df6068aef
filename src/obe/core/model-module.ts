/**
 * Loading a model from a module (a run spec's `{"module", "export"}`): the engine's worker and
 * every thread of the particle pool load it the same way. Nothing from the wire is evaluated as
 * code; a module path comes from a config file (docs/ARCHITECTURE.md §5).
 */
import { pathToFileURL } from 'node:url';
import type { Model } from './model.js';

/**
 * Imports `source.module` (a path or a `file:` URL) and returns its export `source.export`
 * (default: the default export), or calls `missing` with a message and throws what it returns
 * when that export is not a function or an object.
 */
export async function loadModelModule(source: { readonly module: string; readonly export?: string }, missing: (message: string) => Error): Promise<Model> {
  const url = source.module.startsWith('file:') ? source.module : pathToFileURL(source.module).href;
  const mod = (await import(url)) as Record<string, unknown>;
  const m = mod[source.export ?? 'default'];
  if (typeof m !== 'function' && (typeof m !== 'object' || m === null)) throw missing(`module ${source.module} has no model export '${source.export ?? 'default'}'`);
  return m as Model;
}
