import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { Bus } from '../../../src/actors/bus/bus.js';
import { SocketBusClient } from '../../../src/actors/bus/socket-bus-client.js';
import { Informer } from '../../../src/actors/rsb/informer.js';
import { Listener } from '../../../src/actors/rsb/listener.js';
import { LocalServer } from '../../../src/actors/rsb/local-server.js';
import { RemoteServer } from '../../../src/actors/rsb/remote-server.js';
import type { ParticipantOptions } from '../../../src/actors/rsb/participant-options.js';
import { jsonLines, runCli, startPythonServer, type CliProcess } from '../../helpers/cli.js';
import { eventually } from '../../helpers/eventually.js';

/**
 * Our client side against a foreign process: `test/peers/rsb_bus_server.py`, an RSB socket-transport
 * bus server written in Python from the spec (4 zero bytes, then length-prefixed Notifications, each
 * forwarded to every other client). Every participant here is a bus client of it.
 */
interface BusLine {
  listening?: number;
  joined?: number;
  left?: number;
  dropped?: number;
  from?: number;
  scope?: string;
  method?: string | null;
  schema?: string;
  to?: number;
  stopped?: string;
}

const running: CliProcess[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  for (const p of running.splice(0)) p.child.kill('SIGKILL');
});

async function pythonBus(): Promise<{ bus: CliProcess; port: number; log: () => BusLine[] }> {
  const { server: bus, port } = await startPythonServer('rsb_bus_server.py', ['0', '60'], /^\{"listening": (\d+)\}$/);
  running.push(bus);
  return { bus, port, log: () => jsonLines<BusLine>(bus) };
}

/** A socket bus client of ours on `port`, a connection of its own. */
async function clientBus(port: number): Promise<Bus> {
  const bus = await Bus.create('foreign-bus-test', (hooks) => SocketBusClient.connect({ host: '127.0.0.1', port }, hooks));
  cleanups.push(() => bus.close());
  return bus;
}

/** Participant options that reach the Python bus through configuration, as a user would. */
function configured(port: number): ParticipantOptions {
  return { transport: 'socket', socket: { host: '127.0.0.1', port, server: 'client' }, configFiles: [], env: {} };
}

const cliBus = (port: number): string[] => ['--host', '127.0.0.1', '--port', String(port), '--server', '0'];

describe('our RSB socket bus client against a Python bus server (a foreign process)', () => {
  it('informer and listener in two connections meet through the foreign server, and RPC crosses it both ways', async () => {
    const { bus, port, log } = await pythonBus();
    const a = await clientBus(port);
    const listener = await Listener.create('/demo', configured(port));
    cleanups.push(() => listener.close());
    const informer = await Informer.create('/demo/a', { bus: a });
    cleanups.push(() => informer.close());
    await eventually(() => log().filter((l) => l.joined !== undefined).length === 2, 'both clients joined');

    const heard = firstValueFrom(listener.events$);
    const id = await informer.publish('hello over python');
    const event = await heard;
    expect(event).toMatchObject({ data: 'hello over python', wireSchema: 'utf-8-string' });
    expect(event.scope.text).toBe('/demo/a/');
    expect(event.id.sequenceNumber).toBe(id.sequenceNumber);
    expect(Buffer.from(event.id.senderId).toString('hex')).toBe(Buffer.from(id.senderId).toString('hex'));

    // RPC: the server on connection a, the caller on the configured connection.
    const server = await LocalServer.create('/foreign/rpc', { bus: a });
    cleanups.push(() => server.close());
    await server.addMethod('addone', (n) => (n as bigint) + 1n);
    await server.addMethod('fail', () => {
      throw new Error('intentional error');
    });
    const remote = await RemoteServer.create('/foreign/rpc', { ...configured(port), timeoutMs: 10_000 });
    cleanups.push(() => remote.close());
    expect(await remote.call('addone', 41n)).toBe(42n);
    await expect(remote.call('fail')).rejects.toThrow(/intentional error/);

    const lines = log();
    expect(lines.find((l) => l.scope === '/demo/a/')).toMatchObject({ method: null, schema: 'utf-8-string', to: 1 });
    const rpc = lines.filter((l) => l.scope === '/foreign/rpc/addone/');
    expect(rpc.map((l) => [l.method, l.schema, l.to])).toEqual([
      ['REQUEST', 'int64', 1],
      ['REPLY', 'int64', 1],
    ]);
    expect(lines.filter((l) => l.dropped !== undefined)).toEqual([]);
    bus.child.kill('SIGTERM');
    expect(await bus.exited).toBe(0);
  });

  // Four processes of ours, mostly one after another.
  it('rsb listen, rsb send and rsb call, each a process of ours, through the foreign server', { timeout: 60_000 }, async () => {
    const { bus, port, log } = await pythonBus();
    const listen = runCli(['rsb', 'listen', ...cliBus(port), '--count', '2', '/demo'], { ACTORWIRE_LOG: 'error' });
    running.push(listen);
    await eventually(() => listen.stderr().includes('rsb listening for /demo/'), 'rsb listen ready', 20_000);
    for (const args of [['/demo/a', '41', '--type', 'int64'], ['/demo/b', 'héllo']]) {
      const send = runCli(['rsb', 'send', ...cliBus(port), ...args], { ACTORWIRE_LOG: 'error' });
      running.push(send);
      expect(await send.exited).toBe(0);
    }
    expect(await listen.exited).toBe(0);
    const events = listen
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => [e.scope, e.wireSchema, e.data])).toEqual([
      ['/demo/a/', 'int64', 41],
      ['/demo/b/', 'utf-8-string', 'héllo'],
    ]);

    const serving = await clientBus(port);
    const server = await LocalServer.create('/cli/rpc', { bus: serving });
    cleanups.push(() => server.close());
    await server.addMethod('echo', (text) => text);
    const call = runCli(['rsb', 'call', ...cliBus(port), '--timeout', '20', '/cli/rpc', 'echo', 'over python'], { ACTORWIRE_LOG: 'error' });
    running.push(call);
    expect(await call.exited).toBe(0);
    expect(call.stdout()).toBe('"over python"\n');
    expect(log().filter((l) => l.scope === '/cli/rpc/echo/').map((l) => l.method)).toEqual(['REQUEST', 'REPLY']);
    bus.child.kill('SIGTERM');
    expect(await bus.exited).toBe(0);
  });
});
