import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One file the monitor serves: its bytes and content type. */
export interface PageAsset {
  readonly body: Buffer;
  readonly contentType: string;
}

/** The page's own files (`src/monitor/page/`), served under `/`. */
const PAGE_FILES: Readonly<Record<string, [file: string, type: string]>> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/monitor.js': ['monitor.js', 'text/javascript; charset=utf-8'],
  '/monitor.css': ['monitor.css', 'text/css; charset=utf-8'],
};

/** uPlot, the charting library, served from its package (no CDN: the page needs no network). */
const VENDOR_FILES: Readonly<Record<string, [file: string, type: string]>> = {
  '/vendor/uPlot.iife.min.js': ['uPlot.iife.min.js', 'text/javascript; charset=utf-8'],
  '/vendor/uPlot.min.css': ['uPlot.min.css', 'text/css; charset=utf-8'],
};

/** The page's folder: next to this module from the sources, `src/monitor/page` from `dist/`. */
function pageDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'page');
  return existsSync(join(beside, 'index.html')) ? beside : join(here, '..', '..', 'src', 'monitor', 'page');
}

/**
 * Reads the page and uPlot once, into memory, keyed by URL path: a handful of files, about
 * 80 KB. uPlot's folder is found through Node's resolution, so any install layout works.
 */
export function loadPageAssets(): ReadonlyMap<string, PageAsset> {
  const assets = new Map<string, PageAsset>();
  const dir = pageDir();
  for (const [path, [file, contentType]] of Object.entries(PAGE_FILES)) assets.set(path, { body: readFileSync(join(dir, file)), contentType });
  const uplot = dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js'));
  for (const [path, [file, contentType]] of Object.entries(VENDOR_FILES)) assets.set(path, { body: readFileSync(join(uplot, file)), contentType });
  return assets;
}
