import { copyFileSync, mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bus } from '../../src/actors/bus/bus.js';
import { Informer } from '../../src/actors/rsb/informer.js';
import { runCli, jsonLines, type CliProcess } from '../helpers/cli.js';
import { eventually } from '../helpers/eventually.js';
import { startServerBus } from '../actors/bus/helpers.js';

const ENV = { ACTORWIRE_LOG: 'error' };

/** Resolves once `process` has written `text` to stderr. */
function stderrSays(process: CliProcess, text: string): Promise<void> {
  return eventually(() => process.stderr().includes(text) || process.child.exitCode !== null, `stderr: ${text}`, 60_000).then(() => {
    if (!process.stderr().includes(text)) throw new Error(`exited without '${text}': ${process.stderr()}`);
  });
}

// Several CLI processes one after another: on a loaded 2-core machine that can take most of a minute.
describe('actorwire rsb record, info, play, logger', { timeout: 90_000 }, () => {
  let bus: Bus;
  let dir: string;
  const flags = (): string[] => ['--port', String(bus.transport.address!.port), '--server', '0'];

  beforeAll(async () => {
    bus = await startServerBus();
    dir = mkdtempSync(join(tmpdir(), 'actorwire-rsb-cli-'));
  });
  afterAll(async () => {
    await bus?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('record -> info -> play -> logger: the events come back under the prefix, in order, with fresh ids', async () => {
    const file = join(dir, 'demo.awrec');
    const record = runCli(['rsb', 'record', ...flags(), '-o', file, '--stop-after', '3', '/r/'], ENV);
    await stderrSays(record, 'rsb recording /r/');
    const informer = await Informer.create('/r', { bus });
    await informer.publish('first', { scope: '/r/a' });
    await informer.publish(2n, { scope: '/r/b' });
    await informer.publish(true, { scope: '/r/a' });
    expect(await record.exited).toBe(0);
    expect(record.stderr()).toContain(`recorded 3 events to ${file}`);

    const info = runCli(['rsb', 'info', file], ENV);
    expect(await info.exited).toBe(0);
    expect(info.stdout()).toMatch(/^events {4}3 \(\d+ bytes of notifications\)$/m);
    expect(info.stdout()).toMatch(/^end {7}complete$/m);
    expect(info.stdout()).toMatch(/^\/r\/a\/\s+2\s+\d+$/m);
    expect(info.stdout()).toMatch(/^int64\s+1\s+\d+$/m);

    const logger = runCli(['rsb', 'logger', ...flags(), '--style', 'json', '--stop-after', '3', '/x/'], ENV);
    await stderrSays(logger, 'rsb listening for /x/');
    const play = runCli(['rsb', 'play', ...flags(), '--rate', '100', '--scope-prefix', '/x/', file], ENV);
    expect(await play.exited).toBe(0);
    expect(play.stderr()).toContain('played 3 events');
    expect(await logger.exited).toBe(0);
    const lines = jsonLines(logger);
    expect(lines.map((l) => [l.scope, l.wireSchema, l.data, l.sequenceNumber])).toEqual([
      ['/x/r/a/', 'utf-8-string', 'first', 0],
      ['/x/r/b/', 'int64', 2, 1],
      ['/x/r/a/', 'bool', true, 2],
    ]);
    expect(lines[0].sender).not.toBe(informer.id);
    await informer.close();

    // An interrupted copy: info says so and counts the complete records.
    const torn = join(dir, 'torn.awrec');
    copyFileSync(file, torn);
    truncateSync(torn, statSync(torn).size - 2);
    const tornInfo = runCli(['rsb', 'info', torn], ENV);
    expect(await tornInfo.exited).toBe(0);
    expect(tornInfo.stdout()).toMatch(/^events {4}2 /m);
    expect(tornInfo.stdout()).toMatch(/^end {7}interrupted: \d+ bytes after the last complete record are ignored/m);

    // Not a recording, or an existing file without --append: one line and a hint, exit 2.
    const notRecording = runCli(['rsb', 'info', join(dir, '..', 'actorwire-no-such-dir', 'x')], ENV);
    expect(await notRecording.exited).toBe(1);
    expect(notRecording.stderr()).toMatch(/no such file or directory: check the path/);
    const exists = runCli(['rsb', 'record', ...flags(), '-o', file, '/r/'], ENV);
    expect(await exists.exited).toBe(2);
    expect(exists.stderr()).toBe(`error: ${file} exists: give --append to add to it, or another file name\nsee: actorwire rsb record --help\n`);
  });

  it('send reads the payload syntax; logger filters and prints statistics', async () => {
    const logger = runCli(['rsb', 'logger', ...flags(), '--style', 'compact', '--filter', 'schema!=utf-8-string', '--stop-after', '3', '/p/'], ENV);
    const stats = runCli(['rsb', 'logger', ...flags(), '--style', 'statistics', '--stop-after', '4', '/p/'], ENV);
    await Promise.all([stderrSays(logger, 'rsb listening for /p/'), stderrSays(stats, 'rsb listening for /p/')]);
    for (const payload of ['true', '42', '"42"', '/a/b/']) {
      const send = runCli(['rsb', 'send', ...flags(), '/p/', payload], ENV);
      expect(await send.exited).toBe(0);
      // A bus server with clients: no warning.
      expect(send.stderr()).not.toContain('nobody received');
    }
    expect(await logger.exited).toBe(0);
    const compact = logger.stdout().trim().split('\n');
    expect(compact.map((l) => l.split(' ').slice(1, 3).join(' '))).toEqual(['/p/ bool', '/p/ int64', '/p/ scope']);
    expect(compact[2]).toMatch(/ B "\/a\/b\/"$/);
    expect(await stats.exited).toBe(0);
    expect(stats.stdout()).toMatch(/^\/p\/\s+4\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+$/m);
    expect(stats.stdout()).toMatch(/^total\s+4\s/m);
  });

  it('send warns when nobody received the event', async () => {
    const alone = runCli(['rsb', 'send', '--port', '0', '/demo/', 'hi'], ENV);
    expect(await alone.exited).toBe(0);
    expect(alone.stderr()).toMatch(/^warning: nobody received the event: no bus was running at 127\.0\.0\.1:\d+, so this process was the bus, alone\./m);
  });
});
