import { afterEach, describe, expect, it } from 'vitest';
import { OnelineClient } from '../../../src/actors/oneline/oneline-client.js';
import { jsonLines, runCli, startPythonServer, type CliProcess } from '../../helpers/cli.js';
import { eventually } from '../../helpers/eventually.js';

/**
 * Our client side against a foreign process: `test/peers/oneline_server.py`, a socket-oneline
 * server written in Python from the spec as the original behaves (one client at a time, byte by
 * byte to 0x0A, high bytes dropped, the sample server's callback).
 */
const running: CliProcess[] = [];
afterEach(() => {
  for (const p of running.splice(0)) p.child.kill('SIGKILL');
});

async function pythonServer(): Promise<{ server: CliProcess; port: number; log: () => Array<Record<string, unknown>> }> {
  const { server, port } = await startPythonServer('oneline_server.py', ['0', '60'], /^\{"listening": (\d+)\}$/);
  running.push(server);
  return { server, port, log: () => jsonLines(server) };
}

describe('OnelineClient and oneline send against a Python oneline server (a foreign process)', () => {
  it('OnelineClient: ping check, commands, dropped high bytes, pipelined lines, one client at a time, shutdown', async () => {
    const { server, port, log } = await pythonServer();
    const first = new OnelineClient({ port });
    expect(await first.connect()).toBe(true);
    // A second client waits in the backlog unanswered: its ping check fails, and it closes.
    const second = new OnelineClient({ port, recvTimeoutMs: 300 });
    expect(await second.connect()).toBe(false);
    expect(second.connected).toBe(false);

    first.send('cmd01');
    expect(await first.recv()).toBe('ack');
    first.send('junk');
    expect(await first.recv()).toBe('nak - unknown cmd');
    first.send('ab\u00edcd'); // c3 ad: both bytes dropped, the line flagged invalid
    expect(await first.recv()).toBe('nak - unknown cmd');
    first.send('pi\u00ffng'); // c3 bf dropped: what is left is the built-in ping
    expect(await first.recv()).toBe('pong');
    first.send('ping\ncmd01'); // two lines in one send (tp-006)
    expect(await first.recv()).toBe('pong');
    expect(await first.recv()).toBe('ack');
    await first.disconnect();

    // The server then takes the second client's stale ping from the backlog, and finds it gone.
    await eventually(() => log().filter((l) => 'accepted' in l).length === 2 && log().some((l) => 'eof' in l || 'reset' in l), 'the held client taken and found gone', 10_000);
    const third = new OnelineClient({ port });
    expect(await third.connect()).toBe(true);
    await third.shutdown();
    expect(await server.exited).toBe(0);
    expect(log().filter((l) => 'callback' in l)).toEqual([
      { callback: 'cmd01', invalid: false },
      { callback: 'junk', invalid: false },
      { callback: 'abcd', invalid: true },
      { callback: 'cmd01', invalid: false },
    ]);
    expect(log().filter((l) => 'builtin' in l).map((l) => l.builtin)).toEqual(['ping', 'ping', 'ping', 'disconnect', 'ping', 'ping', 'shutdown']);
  });

  it('oneline send prints one response per command, disconnects, and shuts the server down', async () => {
    const { server, port, log } = await pythonServer();
    const sent = runCli(['oneline', 'send', '--port', String(port), 'cmd01', 'junk']);
    running.push(sent);
    expect(await sent.exited).toBe(0);
    expect(sent.stdout()).toBe('ack\nnak - unknown cmd\n');
    const down = runCli(['oneline', 'send', '--port', String(port), 'shutdown']);
    running.push(down);
    expect(await down.exited).toBe(0);
    expect(await server.exited).toBe(0);
    expect(log().filter((l) => 'builtin' in l).map((l) => l.builtin)).toEqual(['ping', 'disconnect', 'ping', 'shutdown']);
  });
});
