import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { OnelineClient } from '../../src/actors/oneline/oneline-client.js';
import { Informer } from '../../src/actors/rsb/informer.js';
import { ObeClient } from '../../src/obe/client.js';
import { actorwire, type Child } from '../actors/masep/cli-process.js';

/** What the page functions below use of the browser's DOM (the project compiles without the DOM library). */
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  body: { dataset: Record<string, string | undefined> };
};

/** Debian's package installs it here (scripts/install-test-packages.sh); CHROMIUM overrides. */
const CHROMIUM = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => p !== undefined && existsSync(p));
const OBE_STEPS = 8;
// The README's screenshot is refreshed on request only (UPDATE_SCREENSHOT=1), so that a test run
// leaves the tree as it found it; otherwise the picture goes to the temporary directory.
const SCREENSHOT = process.env.UPDATE_SCREENSHOT === '1' ? fileURLToPath(new URL('../../docs/monitor.png', import.meta.url)) : join(tmpdir(), `actorwire-monitor-${process.pid}.png`);

const children: Child[] = [];
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  for (const child of children.splice(0)) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) continue;
    child.process.kill('SIGTERM');
    await child.exited;
  }
});

/** The text of the first element matching `selector`, or null. */
function text(page: Page, selector: string): Promise<string | null> {
  return page.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);
}

/** Waits (bounded) until the element's text satisfies `ok`; returns it. */
async function until(page: Page, selector: string, ok: (t: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const t = await text(page, selector);
    if (t !== null && ok(t)) return t;
    if (Date.now() > deadline) throw new Error(`the page never showed ${what} (${selector}: ${JSON.stringify(t)})`);
    // A browser round trip per check: the page re-renders on each pushed update (every 200 ms).
    await page.waitForFunction((n) => Number(document.body.dataset.updates ?? 0) > n, Number(await page.evaluate(() => document.body.dataset.updates ?? 0)), { timeout: 10_000 });
  }
}

describe('the monitor page in a real browser', () => {
  it('shows connections, per-scope traffic, an OBE run narrowing and a masep game as they happen; saves docs/monitor.png', async () => {
    expect(CHROMIUM, 'chromium is not installed (scripts/install-test-packages.sh installs it)').toBeDefined();
    const serve = actorwire(['serve', '--monitor', '127.0.0.1:0', '--oneline-port', '0', '--masep-port', '0', '--rsb-port', '0', '--obe-port', '0']);
    children.push(serve);
    await serve.line(/^monitor listening on 127\.0\.0\.1:\d+$/m, 60_000);
    const port = (service: string): number => Number(serve.stdout().match(new RegExp(`^${service} listening on 127\\.0\\.0\\.1:(\\d+)$`, 'm'))![1]);
    expect(serve.stdout().split('\n').slice(0, 5).map((l) => l.split(' ')[0])).toEqual(['oneline', 'masep', 'rsb', 'obe', 'monitor']);

    const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    closers.push(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1500, height: 1300 } });
    const failures: string[] = [];
    page.on('pageerror', (err) => failures.push(err.message));
    page.on('requestfailed', (req) => failures.push(`${req.url()}: ${req.failure()?.errorText}`));
    await page.goto(`http://127.0.0.1:${port('monitor')}/`);
    await until(page, '#link', (t) => t === 'live', 'the event stream open');
    expect(await text(page, '#services tr[data-key="rsb"] td:nth-child(3)')).toBe('0');

    // oneline: a client that pings and sends three commands, and stays.
    const oneline = new OnelineClient({ port: port('oneline') });
    expect(await oneline.connect()).toBe(true);
    closers.push(() => oneline.disconnect());
    for (let i = 0; i < 3; i++) {
      oneline.send('cmd01');
      expect(await oneline.recv()).toBe('ack');
    }
    // RSB: events on two scopes, through the bus server as socket clients.
    const socket = { socket: { host: '127.0.0.1', port: port('rsb'), server: 'client' as const } };
    const a = await Informer.create('/monitor/a/', socket);
    const b = await Informer.create('/monitor/b/', socket);
    closers.push(() => Promise.all([a.close(), b.close()]));
    for (let i = 0; i < 5; i++) await a.publish(`a${i}`);
    for (let i = 0; i < 3; i++) await b.publish(`b${i}`);
    // OBE: the demo's run, step by step as the page shows each (so that its plots get a point per step).
    const obe = new ObeClient({ port: port('obe') });
    await obe.newrun({ lolim: 2.4, hilim: 2.6, steps: 100 });
    for (let i = 1; i <= OBE_STEPS; i++) {
      const [f] = await obe.goodset();
      await obe.newdat([f], 1 - 0.05 / (1 + ((f - 2.5) / 0.02) ** 2), 0.005);
      await until(page, '[data-field="obe-steps"]', (t) => t === String(i), `OBE step ${i}`);
    }
    // masep: a greedy agent plays two short episodes.
    const agent = actorwire(['masep', 'agent', '--port', String(port('masep')), '--policy', 'greedy', '--episodes', '2']);
    children.push(agent);

    await until(page, '#oneline tr[data-key="cmd01"] td:nth-child(2)', (t) => t === '3', 'three cmd01');
    await until(page, '#oneline tr[data-key="ping"] td:nth-child(2)', (t) => t === '1', 'the ping');
    await until(page, '#services tr[data-key="rsb"] td:nth-child(3)', (t) => t === '1', 'the informers’ connection to the bus');
    await until(page, '#scopes tr[data-key="rsb /monitor/a/"] td:nth-child(4)', (t) => t === '5', 'five events on /monitor/a/');
    await until(page, '#scopes tr[data-key="rsb /monitor/b/"] td:nth-child(4)', (t) => t === '3', 'three events on /monitor/b/');

    await until(page, '[data-field="obe-model"]', (t) => t === 'lorentzian-dip', 'the model');
    await until(page, '[data-field="obe-resamples"]', (t) => /^\d+$/.test(t), 'the resample count');
    await until(page, '[data-field="obe-ess"]', (t) => /^[\d,]+$/.test(t), 'the effective sample size');
    expect(await agent.exited).toBe(0);
    await until(page, '[data-field="masep-episodes"]', (t) => Number(t) >= 2, 'two episodes');
    await until(page, '#connections tbody', (t) => t.includes('open ('), 'a connection in its machine state');

    // Plots: the OBE mean ± std per parameter, the masep rewards, and sparklines.
    await page.waitForSelector('#obe [data-plot="obe-f0"] canvas', { timeout: 30_000 });
    await page.waitForSelector('#masep [data-plot="masep-rewards"] canvas', { timeout: 30_000 });
    expect(await page.locator('#obe .plots canvas').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('#scopes canvas').count()).toBeGreaterThanOrEqual(2);
    expect(failures).toEqual([]);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
    if (process.env.UPDATE_SCREENSHOT !== '1') rmSync(SCREENSHOT);
  }, 120_000);
});
