import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bus } from '../../src/actors/bus/bus.js';
import { LocalServer } from '../../src/actors/rsb/local-server.js';
import { Bus as BusClass } from '../../src/actors/bus/bus.js';
import { SocketBusClient } from '../../src/actors/bus/socket-bus-client.js';

const BIN = fileURLToPath(new URL('../../bin/actorwire.js', import.meta.url));
const ENV = { ...process.env, ACTORWIRE_FROM_SOURCE: '1', ACTORWIRE_LOG: 'error' };

interface Running {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
  /** Resolves when stdout or stderr contains `text`. */
  waitFor(text: string, stream?: 'stdout' | 'stderr'): Promise<void>;
}

function run(args: string[]): Running {
  const child = spawn(process.execPath, [BIN, ...args], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  const waiters: Array<() => void> = [];
  const running: Running = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    async waitFor(text, stream = 'stdout') {
      while (!running[stream].includes(text)) {
        if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}) before printing ${text}: ${running.stderr}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
  const wake = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    running.stdout += chunk.toString();
    wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    running.stderr += chunk.toString();
    wake();
  });
  child.once('exit', wake);
  return running;
}

describe('actorwire rsb', () => {
  let bus: Running;
  let port: number;
  let client: Bus;
  let server: LocalServer;
  const busFlags = () => ['--host', '127.0.0.1', '--port', String(port), '--server', '0'];

  beforeAll(async () => {
    bus = run(['rsb', 'bus', '--port', '0']);
    await bus.waitFor('\n');
    const match = /^rsb listening on 127\.0\.0\.1:(\d+)\n$/.exec(bus.stdout);
    expect(match).not.toBeNull();
    port = Number(match![1]);
    client = await BusClass.create('cli-test', (hooks) => SocketBusClient.connect({ host: '127.0.0.1', port }, hooks));
    server = await LocalServer.create('/cli/rpc', { bus: client });
    await server.addMethod('addone', (n) => (n as bigint) + 1n);
    await server.addMethod('fail', () => {
      throw new Error('nope');
    });
  });

  afterAll(async () => {
    await server?.close();
    await client?.close();
    bus?.child.kill('SIGTERM');
    expect(await bus.exited).toBe(0);
  });

  // Four processes of ours one after another: on a loaded 2-core machine that can take most of 30 s.
  it('listen prints one JSON line per event sent with send, with typed values', { timeout: 60_000 }, async () => {
    const listen = run(['rsb', 'listen', ...busFlags(), '--count', '3', '/demo']);
    await listen.waitFor('rsb listening for /demo/', 'stderr');
    for (const args of [['/demo/a', '41', '--type', 'int64'], ['/demo', 'héllo'], ['/demo/b', '00ff', '--type', 'bytes', '--method', 'SURVEY']]) {
      const send = run(['rsb', 'send', ...busFlags(), ...args]);
      expect(await send.exited).toBe(0);
    }
    expect(await listen.exited).toBe(0);
    const lines = listen.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.scope, l.wireSchema, l.data, l.method, l.sequenceNumber])).toEqual([
      ['/demo/a/', 'int64', 41, null, 0],
      ['/demo/', 'utf-8-string', 'héllo', null, 0],
      ['/demo/b/', 'bytes', { hex: '00ff' }, 'SURVEY', 0],
    ]);
    for (const line of lines) {
      expect(line.sender).toMatch(/^[0-9a-f-]{36}$/);
      expect(line.sendTime as number).toBeGreaterThanOrEqual(line.createTime as number);
      expect(line).toMatchObject({ causes: [], userInfos: {}, userTimes: {} });
    }
  });

  it('call prints the reply, and exits 1 on an error reply and 3 on a timeout', async () => {
    const ok = run(['rsb', 'call', ...busFlags(), '/cli/rpc', 'addone', '41', '--type', 'int64']);
    const failing = run(['rsb', 'call', ...busFlags(), '/cli/rpc', 'fail']);
    const missing = run(['rsb', 'call', ...busFlags(), '--timeout', '0.3', '/cli/rpc', 'missing']);
    expect(await ok.exited).toBe(0);
    expect(ok.stdout).toBe('42\n');
    expect(await failing.exited).toBe(1);
    expect(failing.stderr).toContain('remote error: nope');
    expect(await missing.exited).toBe(3);
    expect(missing.stderr).toContain('no reply from /cli/rpc/missing/');
  });

  it('rejects bad usage with exit code 2', async () => {
    const bad = run(['rsb', 'send', ...busFlags(), '/demo', 'x', '--type', 'int64']);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr).toContain("'x' is not an integer");
  });
});
