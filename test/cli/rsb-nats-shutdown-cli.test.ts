import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliProcess } from '../helpers/cli.js';
import { eventually } from '../helpers/eventually.js';
import { freePort, natsServerAvailable, NatsServerProcess } from '../helpers/nats-server.js';

/**
 * A CLI process on NATS ends promptly on SIGTERM or SIGINT whatever its link's state (docs/RSB.md, "NATS: a
 * bus across hosts"). The hard state: the server is gone and the client's reconnect is connected
 * to something that accepts TCP and never speaks (as a stopped, frozen or half-dead server does).
 * Closing there used to leave that dial's socket open, and the process alive, forever.
 */

/** Accepts connections on a port and never writes a byte; resolves `dialled` at the first one. */
class SilentServer {
  readonly dialled: Promise<void>;
  private readonly sockets: Socket[] = [];
  private readonly server: Server;

  constructor() {
    let dialled!: () => void;
    this.dialled = new Promise((resolve) => (dialled = resolve));
    this.server = createServer((socket) => {
      this.sockets.push(socket);
      socket.on('error', () => undefined);
      dialled();
    });
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
  }

  close(): void {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
  }
}

/** Waits for the exit of `process`, at most `ms`; 'still running' when it has not exited by then. */
function exitWithin(process: CliProcess, ms: number): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still running'), ms)));
  return Promise.race([process.exited, bound]).finally(() => clearTimeout(timer));
}

const ENV = { ACTORWIRE_LOG: 'error' };
/** Well under the drain bound (5 s) and the connect timeout of a reconnect (5 s). */
const PROMPT_MS = 3_000;

describe.skipIf(!natsServerAvailable())('actorwire rsb on NATS: SIGTERM or SIGINT after the servers are gone', { timeout: 60_000 }, () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const commands: Array<[string, NodeJS.Signals, (url: string, dir: string, busPort: number) => string[], RegExp]> = [
    ['rsb listen --nats', 'SIGTERM', (url) => ['rsb', 'listen', '--nats', url, '/a/'], /rsb listening for \/a\//],
    ['rsb logger --nats --style statistics', 'SIGINT', (url) => ['rsb', 'logger', '--nats', url, '--style', 'statistics', '/a/'], /rsb listening for \/a\//],
    ['rsb record --nats', 'SIGTERM', (url, dir) => ['rsb', 'record', '--nats', url, '-o', join(dir, 'r.awrec'), '/a/'], /rsb recording \/a\//],
    ['rsb bus --bridge', 'SIGTERM', (url, _dir, busPort) => ['rsb', 'bus', '--port', String(busPort), '--bridge', url], /rsb bus bridged to/],
  ];

  it.each(commands)('%s: %s ends it at once, with 0', async (_name, signal, argv, ready) => {
    const nats = await NatsServerProcess.start();
    cleanups.push(() => nats.stop('SIGKILL'));
    const dir = mkdtempSync(join(tmpdir(), 'actorwire-nats-shutdown-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const cli = runCli(argv(nats.url, dir, await freePort()), ENV);
    cleanups.push(() => cli.child.exitCode === null && cli.child.signalCode === null && cli.child.kill('SIGKILL'));
    await eventually(() => ready.test(cli.stderr()) || cli.child.exitCode !== null, 'the ready line', 60_000);
    expect(cli.stderr()).toMatch(ready);

    // The server goes; its port answers TCP and nothing else, and the client's reconnect dials it.
    await nats.stop('SIGKILL');
    const silent = new SilentServer();
    cleanups.push(() => silent.close());
    await silent.listen(nats.port);
    await silent.dialled;

    cli.child.kill(signal);
    expect(await exitWithin(cli, PROMPT_MS)).toBe(0);
  });
});
