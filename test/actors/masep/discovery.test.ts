import { afterEach, describe, expect, it } from 'vitest';
import { createSocket, type Socket } from 'node:dgram';
import { DiscoveryResponder, MasepEngine, demoGames, RESOURCE_GRID, discoverEngine, discoverEngines } from '../../../src/actors/masep/index.js';
import { DISCOVERY_GROUP } from '../../../src/protocols/masep/index.js';
import { eventually } from '../../helpers/eventually.js';

/** A reply window long enough for a loaded machine: the tests wait on replies, not on the window. */
const GENEROUS_MS = 5_000;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A UDP port the OS considers free now (discovery tests must not use the real 10000). */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

async function responder(tcpPort: number, udpPort: number): Promise<DiscoveryResponder> {
  const r = new DiscoveryResponder({ tcpPort, port: udpPort, interfaceAddress: '127.0.0.1' });
  await r.start();
  cleanups.push(() => r.stop());
  return r;
}

/**
 * Sends `datagrams` in order to 127.0.0.1:`port` and resolves with every reply received up to and
 * including the first one (loopback keeps order, so replies to earlier datagrams come first).
 */
async function askInOrder(port: number, datagrams: string[]): Promise<string[]> {
  const socket: Socket = createSocket('udp4');
  const replies: string[] = [];
  const first = new Promise<void>((resolve) =>
    socket.on('message', (m) => {
      replies.push(m.toString('latin1'));
      resolve();
    }),
  );
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  for (const datagram of datagrams) socket.send(Buffer.from(datagram, 'latin1'), port, '127.0.0.1');
  await first;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return replies;
}

describe('masep discovery on loopback', () => {
  it('finds an engine through the multicast group with the engine address', async () => {
    const udpPort = await freeUdpPort();
    await responder(4242, udpPort);
    const engine = await discoverEngine({ group: DISCOVERY_GROUP, port: udpPort, interfaceAddress: '127.0.0.1', timeoutMs: GENEROUS_MS });
    expect(engine).toEqual({ host: '127.0.0.1', port: 4242, source: '127.0.0.1' });
  });

  it('finds an engine by unicast too, answers each query of the retries once, and lists it once', async () => {
    const udpPort = await freeUdpPort();
    const r = await responder(5151, udpPort);
    const found = await discoverEngines({ group: '127.0.0.1', port: udpPort, attempts: 3, timeoutMs: 600 });
    // All three queries were sent within the window; their replies may still be on their way.
    await eventually(() => r.replies === 3, 'the responder answered all three queries');
    expect(found.length).toBeLessThanOrEqual(1);
    const again = await discoverEngine({ group: '127.0.0.1', port: udpPort, timeoutMs: GENEROUS_MS });
    expect(again).toMatchObject({ host: '127.0.0.1', port: 5151 });
  });

  it('answers only the exact query', async () => {
    const udpPort = await freeUdpPort();
    const r = await responder(6000, udpPort);
    // pymasep answers any datagram; only the last one here is the query.
    const replies = await askInOrder(udpPort, ['stop', 'pymasep server', 'pymasep server?\n', 'PYMASEP SERVER?', 'pymasep server?']);
    expect(replies).toEqual(['127.0.0.1:6000']);
    expect(r.replies).toBe(1);
  });

  it('skips malformed replies and keeps the first valid one (deterministic pick)', async () => {
    const fake = createSocket('udp4');
    await new Promise<void>((resolve) => fake.bind(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => fake.close(() => resolve())));
    fake.on('message', (_m, remote) => {
      for (const reply of ['garbage', '127.0.0.1:notaport', '127.0.0.1:7001', '127.0.0.1:7002', '127.0.0.1:7001']) {
        fake.send(Buffer.from(reply, 'latin1'), remote.port, remote.address);
      }
    });
    // The fake sends all five replies at once, so a window that ends after the first valid one holds both.
    const engines = await discoverEngines({ group: '127.0.0.1', port: fake.address().port, attempts: 1, timeoutMs: 1_000 });
    expect(engines.map((e) => e.port)).toEqual([7001, 7002]);
    expect(await discoverEngine({ group: '127.0.0.1', port: fake.address().port, attempts: 1, timeoutMs: GENEROUS_MS })).toMatchObject({ port: 7001 });
  });

  it('rejects with MASEP_NO_ENGINE when nobody answers', async () => {
    const udpPort = await freeUdpPort();
    await expect(discoverEngine({ group: '127.0.0.1', port: udpPort, attempts: 2, timeoutMs: 150 })).rejects.toMatchObject({ code: 'MASEP_NO_ENGINE' });
  });

  it('is started by an engine with the discovery option and announces its TCP port', async () => {
    const udpPort = await freeUdpPort();
    const engine = new MasepEngine({ games: demoGames, game: RESOURCE_GRID, port: 0, discovery: { port: udpPort, interfaceAddress: '127.0.0.1' } });
    const { port } = await engine.listen();
    cleanups.push(() => engine.stop());
    const found = await discoverEngine({ port: udpPort, interfaceAddress: '127.0.0.1', timeoutMs: GENEROUS_MS });
    expect(found).toMatchObject({ host: '127.0.0.1', port });
  });
});
