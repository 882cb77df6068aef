import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli, runProcess } from '../helpers/cli.js';
import { natsServerAvailable, useNatsServer } from '../helpers/nats-server.js';

/** Runs `examples/<name>/main.ts` as a user would (through tsx); resolves with its exit code and output. */
function runExample(name: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const main = fileURLToPath(new URL(`../../examples/${name}/main.ts`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ACTORWIRE_LOG: 'error' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('examples/rsb-pubsub', () => {
  it('carries every event from the informer process to the listener process through the bus server', async () => {
    const { code, stdout, stderr } = await runExample('rsb-pubsub');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const received = stdout.split('\n').filter((line) => line.startsWith('[listener] /example/chat/news/'));
    expect(received.map((line) => line.replace(/ from [0-9a-f]{8}/, ''))).toEqual(
      Array.from({ length: 5 }, (_, i) => `[listener] /example/chat/news/ #${i}: message ${i}`),
    );
    expect(stdout).toContain('[informer] informer sent 5 events');
  });
});

describe('examples/rsb-rpc', () => {
  it('calls the server process from the client process: results, an error reply and a timeout', async () => {
    const { code, stdout, stderr } = await runExample('rsb-rpc');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\[server\] ready \d+$/m);
    expect(stdout).toContain('[client] echo("hello") = "hello"');
    expect(stdout).toContain('[client] addone(41) = 42');
    expect(stdout).toContain('[client] fail() raised: this method always fails');
    expect(stdout).toContain('[client] missing() gave: TimeoutError RSB_CALL_TIMEOUT');
    expect(stdout).toContain('[server] server stopped');
  });
});

// docs/RSB.md, "Try it on one machine", step 5: the example's server on NATS, called by `rsb call --nats`.
describe.skipIf(!natsServerAvailable())('examples/rsb-rpc across NATS', { timeout: 40_000 }, () => {
  const nats = useNatsServer();

  it('serves on NATS when the configuration enables it, and `rsb call --nats` gets its replies', async () => {
    const url = nats().url;
    const serverTs = fileURLToPath(new URL('../../examples/rsb-rpc/server.ts', import.meta.url));
    const server = runProcess(process.execPath, ['--import', 'tsx', serverTs], {
      ACTORWIRE_LOG: 'error',
      RSB_TRANSPORT_NATS_ENABLED: '1',
      RSB_TRANSPORT_NATS_SERVERS: url,
    });
    try {
      expect((await server.line(/^ready (.*)$/))[1]).toBe(url);
      const echo = runCli(['rsb', 'call', '--nats', url, '--timeout', '20', '/example/rpc/', 'echo', 'hello']);
      expect(await echo.exited).toBe(0);
      expect(echo.stdout()).toBe('"hello"\n');
      const addone = runCli(['rsb', 'call', '--nats', url, '--timeout', '20', '--type', 'int64', '/example/rpc/', 'addone', '41']);
      expect(await addone.exited).toBe(0);
      expect(addone.stdout()).toBe('42\n');
      const missing = runCli(['rsb', 'call', '--nats', url, '--timeout', '20', '/example/rpc/', 'nothing-here']);
      expect(await missing.exited).toBe(3);
      expect(missing.stderr()).toContain('no server answers /example/rpc/nothing-here/');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    expect(server.stdout()).toContain('server stopped');
  });
});
