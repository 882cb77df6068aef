import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Informer } from '../../../src/actors/rsb/informer.js';
import { Listener } from '../../../src/actors/rsb/listener.js';
import { LocalServer } from '../../../src/actors/rsb/local-server.js';
import { RemoteServer } from '../../../src/actors/rsb/remote-server.js';
import type { ParticipantOptions } from '../../../src/actors/rsb/participant-options.js';
import { Bus } from '../../../src/actors/bus/bus.js';
import { SocketBusClient } from '../../../src/actors/bus/socket-bus-client.js';
import { runCli } from '../../helpers/cli.js';
import { startServerBus } from '../bus/helpers.js';

const PEER = fileURLToPath(new URL('../../peers/rsb_peer.py', import.meta.url));

/** Runs the byte-level Python peer against `port`; yields its JSON lines as they come. */
function runPeer(port: number) {
  const child = spawn('python3', [PEER, '127.0.0.1', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Array<Record<string, unknown>> = [];
  let wake: (() => void) | undefined;
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(JSON.parse(line) as Record<string, unknown>);
    wake?.();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    lines,
    exited,
    async waitFor(predicate: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
      for (;;) {
        const found = lines.find(predicate);
        if (found) return found;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

/**
 * The peer's script, run on a bus it reaches at `port`: our participants (all on `options`) answer
 * its call, call its method, hear its event and send it one, then tell it to leave.
 */
async function exchangeWithPeer(options: ParticipantOptions, port: number): Promise<void> {
  const server = await LocalServer.create('/ts/rpc', options);
  await server.addMethod('echo', (data) => data);
  const fromPython = await Listener.create('/py/out', options);
  const pythonEvent = firstValueFrom(fromPython.events$);
  const peer = runPeer(port);
  await peer.waitFor((l) => l.ready === true);

  const event = await pythonEvent;
  expect(event.data).toBe('hello from python');
  expect(event.wireSchema).toBe('utf-8-string');
  expect(event.userInfos).toEqual({ lang: 'py' });
  expect(event.id.sequenceNumber).toBe(0);
  expect(event.createTime).toBeGreaterThan(1_600_000_000_000_000); // microseconds, not ms or s

  // Our LocalServer answered the Python client's REQUEST.
  expect(await peer.waitFor((l) => 'reply' in l)).toEqual({ reply: 'ping', schema: 'utf-8-string', scope: '/ts/rpc/echo/', error: false });

  // Our RemoteServer calls the Python peer's method.
  const remote = await RemoteServer.create('/py/rpc', { ...options, timeoutMs: 10_000 });
  expect(await remote.call('upper', 'abc')).toBe('ABC');

  // An ordinary event reaches the Python peer in the spec's byte layout.
  const informer = await Informer.create('/ts', options);
  const id = await informer.publish(41n, { scope: '/ts/data' });
  const seen = await peer.waitFor((l) => l.event === '/ts/data/');
  expect(seen).toMatchObject({ schema: 'int64', data: '2900000000000000', seq: id.sequenceNumber, sender: informer.id });
  expect(seen.send as number).toBeGreaterThanOrEqual(seen.create as number);

  await informer.publish(null, { scope: '/ts/done' });
  expect(await peer.exited).toBe(0);
  await Promise.all([server.close(), fromPython.close(), remote.close(), informer.close()]);
}

describe('a byte-level peer written from the spec (Python 3, no RSB library) on our bus', () => {
  it('exchanges events and RPC calls both ways with our participants', async () => {
    const bus = await startServerBus();
    await exchangeWithPeer({ bus }, bus.transport.address!.port);
    expect(bus.stats().badNotifications).toBe(0);
    await bus.close();
  });

  it('does the same through the actorwire rsb bus process, our participants a client of it too', async () => {
    const cli = runCli(['rsb', 'bus', '--port', '0'], { ACTORWIRE_LOG: 'warn' });
    try {
      const [, port] = await cli.line(/^rsb listening on 127\.0\.0\.1:(\d+)$/);
      const bus = await Bus.create('foreign-peer-test', (hooks) => SocketBusClient.connect({ host: '127.0.0.1', port: Number(port) }, hooks));
      await exchangeWithPeer({ bus }, Number(port));
      await bus.close();
      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
      // The bus process had nothing to complain about (no invalid frames, no dropped peers).
      expect(cli.stderr()).toBe('');
    } finally {
      cli.child.kill('SIGKILL');
    }
  });
});
