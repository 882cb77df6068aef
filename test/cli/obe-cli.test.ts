import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, runToEnd, type CliProcess } from '../helpers/cli.js';

const PEER = fileURLToPath(new URL('../peers/obe_client.py', import.meta.url));
const running: CliProcess[] = [];
afterEach(() => {
  for (const p of running.splice(0)) p.child.kill('SIGKILL');
});

async function serve(args: string[] = []): Promise<{ cli: CliProcess; port: number }> {
  const cli = runCli(['obe', 'serve', '--port', '0', ...args]);
  running.push(cli);
  const [, port] = await cli.line(/^obe listening on 127\.0\.0\.1:(\d+)$/);
  expect(cli.stdout().split('\n')[0]).toMatch(/^obe listening on /);
  return { cli, port: Number(port) };
}

/** `actorwire obe send` from source, to completion. */
async function send(port: number, message: string): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const cli = runCli(['obe', 'send', '--port', String(port), message]);
  const code = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

describe('actorwire obe (a real process of ours)', () => {
  it('serves the server demo to a byte-level Python client doing what tcpcmd and the instrument controller do, and obe send', async () => {
    const { cli, port } = await serve(['--seed', '7']);
    // The demo has no run before the client's newrun, as the original.
    const before = await runToEnd('python3', [PEER, String(port), 'cmd', '{"command": "getmean"}']);
    expect(before.stdout).toBe('{"error": "no run: send newrun first", "command": "getmean", "code": "NO_RUN"}\n');
    const demo = await runToEnd('python3', [PEER, String(port), 'demo', '60', '7'], 60_000);
    expect(demo.stderr).toBe('');
    const result = JSON.parse(demo.stdout) as { f0_true: number; f0_est: number; f0_std: number };
    // After 60 measurements the dip is found to well within the 200-point grid spacing (5 MHz).
    expect(Math.abs(result.f0_est - result.f0_true)).toBeLessThan(0.005);
    const raw = await runToEnd('python3', [PEER, String(port), 'raw', Buffer.from('0000000020{"command": "ready"}').toString('hex')]);
    expect(raw.stdout).toBe('0000000004"OK"\n');
    // obe send prints the reply; exit 1 on an error reply, 2 on a usage error.
    const [getset, bad, notJson] = await Promise.all([send(port, '{"command": "getset"}'), send(port, '{"command": "nope"}'), send(port, 'not json')]);
    expect(getset.code).toBe(0);
    expect(JSON.parse(getset.stdout)[0]).toHaveLength(200);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/"code": "UNKNOWN_COMMAND"/);
    expect(notJson).toMatchObject({ code: 2 });
    const done = await runToEnd('python3', [PEER, String(port), 'done']);
    expect(done.stdout).toBe('"OK"\n');
    expect(await cli.exited).toBe(0);
  });

  it('serves a run spec from --config, started at once, with --model/--particles overrides validated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'obe-cli-'));
    const config = join(dir, 'run.json');
    writeFileSync(
      config,
      JSON.stringify({
        model: 'line',
        settings: [{ linspace: [0, 1, 3] }],
        prior: [
          { name: 'm', dist: 'normal', mean: 0, std: 1 },
          { name: 'b', dist: 'uniform', low: -1, high: 1 },
        ],
        particles: 500,
        constants: [1, 2.5],
        seed: 1,
      }),
    );
    const badModel = runCli(['obe', 'serve', '--port', '0', '--config', config, '--model', 'nope']);
    // --threads and --arithmetic are taken (300 particles stay on the engine's thread either way).
    const { port } = await serve(['--config', config, '--particles', '300', '--on-done', 'ignore', '--threads', '2', '--arithmetic', 'fast']);
    expect(await send(port, '{"command": "getset"}')).toMatchObject({ stdout: '[[0.0, 0.5, 1.0]]\n' });
    // Constants echo as written in the file (ints stay ints), and obe send prints them so.
    expect(await send(port, '{"command": "getcon"}')).toMatchObject({ stdout: '[1, 2.5]\n' });
    const weights = await runToEnd('python3', [PEER, String(port), 'cmd', '{"command": "getwgt"}']);
    expect(JSON.parse(weights.stdout)).toHaveLength(300);
    expect(await badModel.exited).toBe(1);
    expect(badModel.stderr()).toMatch(/INVALID_RUN_SPEC: unknown model 'nope'/);
  });

  it('takes its limits from flags: --max-run-mib refuses a run over it, a bad --when-full is a usage error', async () => {
    const { port } = await serve(['--max-run-mib', '2', '--max-connections', '8', '--request-timeout', '2000']);
    const big = await send(port, '{"command": "newrun", "lolim": 1, "hilim": 2, "steps": 100000}');
    expect(big.code).toBe(1);
    expect(big.stdout).toMatch(/"code": "RUN_TOO_LARGE"/);
    expect(await send(port, '{"command": "newrun", "lolim": 1, "hilim": 2, "steps": 200}')).toMatchObject({ code: 0, stdout: '"OK"\n' });
    const usage = runCli(['obe', 'serve', '--port', '0', '--when-full', 'panic']);
    expect(await usage.exited).toBe(2);
    expect(usage.stderr()).toMatch(/--when-full <policy>' argument 'panic' is invalid\. Allowed choices are evict-idle, refuse\.\nsee: actorwire obe serve --help\n$/);
  });
});
