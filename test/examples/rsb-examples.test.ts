import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
