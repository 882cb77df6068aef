import { afterEach, describe, expect, it } from 'vitest';
import { ObeClient, ObeReplyError } from '../../src/obe/index.js';
import { TimeoutError } from '../../src/actors/errors.js';
import { jsonLines, runCli, startPythonServer, type CliProcess } from '../helpers/cli.js';

/**
 * Our client side against a foreign process: `test/peers/obe_server.py`, an OBE server written in
 * Python from the spec in the original's manner (a new connection per command, substring matching,
 * no reply to unknown commands), with a toy state whose replies are known in advance.
 */
const running: CliProcess[] = [];
afterEach(() => {
  for (const p of running.splice(0)) p.child.kill('SIGKILL');
});

async function pythonServer(): Promise<{ server: CliProcess; port: number; received: () => Array<{ received: string; matched: string | null }> }> {
  const { server, port } = await startPythonServer('obe_server.py', ['0', '60'], /^SERVER READY (\d+)$/);
  running.push(server);
  return { server, port, received: () => jsonLines<{ received: string; matched: string | null }>(server).filter((l) => 'received' in l) };
}

/** `actorwire obe send` to completion. */
async function send(port: number, message: string, ...flags: string[]): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const cli = runCli(['obe', 'send', '--port', String(port), ...flags, message]);
  running.push(cli);
  const code = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

describe('ObeClient and obe send against a Python OBE server (a foreign process)', () => {
  it('ObeClient drives every command of the original, one connection per command, with the bytes the original client sends', async () => {
    const { server, port, received } = await pythonServer();
    const obe = new ObeClient({ port, timeoutMs: 10_000 });
    expect(await obe.ready()).toBe('OK');
    expect(await obe.newrun({ lolim: 2, hilim: 3, steps: 5 })).toBe('OK');
    expect(await obe.getset()).toEqual([[2, 2.25, 2.5, 2.75, 3]]);
    expect(await obe.getcon()).toEqual([]);
    expect(await obe.optset()).toEqual([2.5]);
    // goodset picks settings[(n + pickiness) % steps]; with no pickiness the server's default (0).
    expect(await obe.goodset(6)).toEqual([2.25]);
    expect(await obe.goodset()).toEqual([2]);
    expect(await obe.goodset(null)).toEqual([2]);
    for (let n = 1; n <= 3; n++) {
      const [f] = await obe.goodset(1);
      expect(await obe.newdat([f], 0.98, 0.005)).toBe('OK');
      expect(await obe.getmean()).toEqual([2 + n, 0.5]);
      expect(await obe.getstd()).toEqual([1 / (n + 1), 0.25]);
    }
    expect(await obe.getcov()).toEqual([
      [1, 0.5],
      [0.5, 2],
    ]);
    expect(await obe.getpar()).toEqual([
      [1, 2, 3],
      [0.5, 0.5, 0.5],
    ]);
    expect(await obe.getpdf()).toEqual(await obe.getpar());
    expect(await obe.getwgt()).toEqual([0.25, 0.25, 0.5]);
    // getpdfw is ours: the original matches it as getpdf, and the client says so instead of misreading it.
    await expect(obe.getpdfw()).rejects.toBeInstanceOf(ObeReplyError);
    expect(await obe.done()).toBe('OK');
    expect(await server.exited).toBe(0);

    const log = received();
    // What went over the wire, byte for byte as Python's json.dumps and '{:0>10d}' write it.
    expect(log[0]).toEqual({ received: '0000000020{"command": "ready"}', matched: 'ready' });
    // steps stays an int: the original's linspace refuses 5.0.
    expect(log[1].received).toBe('0000000061{"command": "newrun", "lolim": 2.0, "hilim": 3.0, "steps": 5}');
    expect(log.find((l) => l.received.includes('"newdat"'))!.received).toBe('0000000057{"command": "newdat", "x": [2.25], "y": 0.98, "s": 0.005}');
    expect(log.find((l) => l.received.includes('"getpdfw"'))!.matched).toBe('getpdf');
    expect(log.at(-1)!.matched).toBe('done');
  });

  it('ObeClient times out on a command the original does not answer, and the server serves the next one', async () => {
    const { server, port, received } = await pythonServer();
    const err = await new ObeClient({ port, timeoutMs: 500 }).request({ command: 'READY' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ code: 'REPLY_TIMEOUT' });
    const obe = new ObeClient({ port, timeoutMs: 10_000 });
    expect(await obe.ready()).toBe('OK');
    expect(await obe.done()).toBe('OK');
    expect(await server.exited).toBe(0);
    expect(received().map((l) => l.matched)).toEqual([null, 'ready', 'done']);
  });

  // Six processes of ours one after another.
  it('obe send prints each reply as the server wrote it, and reports an unanswered command', { timeout: 90_000 }, async () => {
    const { server, port, received } = await pythonServer();
    expect(await send(port, '{"command": "newrun", "lolim": 0, "hilim": 1, "steps": 3}')).toMatchObject({ code: 0, stdout: '"OK"\n' });
    expect(await send(port, '{"command": "getsettings"}')).toMatchObject({ code: 0, stdout: '[[0.0, 0.5, 1.0]]\n' });
    expect(await send(port, '{"command": "newdata", "x": [0.5], "y": 1, "s": 0.1}')).toMatchObject({ code: 0, stdout: '"OK"\n' });
    expect(await send(port, '{"command": "getmean"}')).toMatchObject({ code: 0, stdout: '[3.0, 0.5]\n' });
    const silent = await send(port, '{"command": "nothing"}', '--timeout', '500');
    expect(silent.code).toBe(1);
    expect(silent.stderr).toMatch(/REPLY_TIMEOUT/);
    expect(await send(port, '{"command": "done"}')).toMatchObject({ code: 0, stdout: '"OK"\n' });
    expect(await server.exited).toBe(0);
    expect(received().map((l) => l.matched)).toEqual(['newrun', 'getset', 'newdat', 'getmean', null, 'done']);
  });
});
