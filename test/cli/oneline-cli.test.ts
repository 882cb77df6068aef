import { afterEach, describe, expect, it } from 'vitest';
import { runCli, runCliToEnd, runToEnd, type CliProcess } from '../helpers/cli.js';
import { RawPeer } from '../helpers/raw-peer.js';
import { fileURLToPath } from 'node:url';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PEER = fileURLToPath(new URL('../peers/oneline_client.py', import.meta.url));
const running: CliProcess[] = [];
afterEach(() => {
  for (const p of running.splice(0)) p.child.kill('SIGKILL');
});

async function serve(args: string[] = []): Promise<{ cli: CliProcess; port: number }> {
  const cli = runCli(['oneline', 'serve', '--port', '0', ...args]);
  running.push(cli);
  const [, , port] = await cli.line(/^oneline listening on (127\.0\.0\.1):(\d+)$/);
  expect(cli.stdout().split('\n')[0]).toMatch(/^oneline listening on /); // the very first line
  return { cli, port: Number(port) };
}

describe('actorwire oneline (a real process of ours)', () => {
  it('serves the original-style Python client: tp-002 and tp-003 flows, then shutdown exits 0', async () => {
    const { cli, port } = await serve();
    const first = await runToEnd('python3', [PEER, String(port), 'connect', 'cmd01', 'ab\u00edcd', 'junk', 'disconnect']);
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe(
      ['connect -> True', 'cmd01 -> ack', 'ab\u00edcd -> nak - unknown cmd', 'junk -> nak - unknown cmd', 'disconnect -> sent', ''].join('\n'),
    );
    const second = await runToEnd('python3', [PEER, String(port), 'connect', 'shutdown']);
    expect(second.stdout).toBe('connect -> True\nshutdown -> sent\n');
    expect(await cli.exited).toBe(0);
  });

  it('oneline send prints one response per command and can shut the server down', async () => {
    const { cli, port } = await serve();
    const sent = await runCliToEnd(['oneline', 'send', '--port', String(port), 'cmd01', 'junk']);
    expect(sent).toMatchObject({ code: 0, stdout: 'ack\nnak - unknown cmd\n' });
    const down = await runCliToEnd(['oneline', 'send', '--port', String(port), 'shutdown']);
    expect(down.code).toBe(0);
    expect(await cli.exited).toBe(0);
  });

  it('loads a handlers module given with --handlers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'actorwire-handlers-'));
    const module = join(dir, 'handlers.mjs');
    writeFileSync(
      module,
      `export default (registry) => registry
         .register('add', ({ args }) => String(args.map(Number).reduce((a, b) => a + b, 0)))
         .register('multi', () => ['r1', 'r2', 'r3']);\n`,
    );
    const { port } = await serve(['--handlers', module]);
    const sent = await runCliToEnd(['oneline', 'send', '--port', String(port), '--responses', '3', 'multi']);
    expect(sent.stdout).toBe('r1\nr2\nr3\n');
    const added = await runCliToEnd(['oneline', 'send', '--port', String(port), 'add 2 3 4']);
    expect(added.stdout).toBe('9\n');
  });

  it('--idle-timeout: a silent client loses the slot to a held one (0 would keep the original unbounded wait)', async () => {
    const { port } = await serve(['--idle-timeout', '300']);
    const silent = await RawPeer.connect(port);
    const held = await RawPeer.connect(port);
    held.write('ping\n');
    await held.waitForText('pong\n', 10_000);
    await silent.waitForEnd();
    RawPeer.destroyAll();
  });

  it('stops on SIGTERM with exit code 0', async () => {
    const { cli } = await serve();
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('reports a taken port and a usage error with distinct exit codes', async () => {
    const { port } = await serve();
    const taken = await runCliToEnd(['oneline', 'serve', '--port', String(port)]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/EADDRINUSE/);
    const usage = await runCliToEnd(['oneline', 'serve', '--port', 'nope']);
    expect(usage.code).toBe(2);
    const noServer = await runCliToEnd(['oneline', 'send', '--port', '1', 'ping']);
    expect(noServer.code).toBe(3);
  });
});
