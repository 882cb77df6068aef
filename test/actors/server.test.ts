import { afterEach, describe, expect, it } from 'vitest';
import { firstValueFrom } from 'rxjs';
import { Server } from '../../src/actors/server.js';
import { eventually } from '../helpers/eventually.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { RawPeer } from '../helpers/raw-peer.js';
import { textFrame, textProtocol } from '../helpers/test-protocols.js';

const servers: Array<Server<string, string>> = [];
afterEach(async () => {
  RawPeer.destroyAll();
  for (const s of servers.splice(0)) await s.close();
});

async function start(options: Partial<ConstructorParameters<typeof Server<string, string>>[0]> = {}) {
  const server = new Server({ protocol: textProtocol(), ...options });
  servers.push(server);
  const { port } = await server.listen();
  return { server, port };
}

describe('Server', () => {
  it('admits up to maxConnections and refuses the rest with a FIN', async () => {
    const { server, port } = await start({ maxConnections: 2 });
    const a = await RawPeer.connect(port);
    const b = await RawPeer.connect(port);
    const c = await RawPeer.connect(port);
    await c.waitForEnd();
    expect(c.ended).toBe('fin');
    expect(server.stats()).toMatchObject({ connectionsAccepted: 2, connectionsRefused: 1, connectionsActive: 2 });
    a.end();
    b.end();
  });

  it('holds extra sockets unread and admits them in order when a slot frees up', async () => {
    const { server, port } = await start({ maxConnections: 1, overflow: 'hold', maxHeld: 2 });
    const seen: string[] = [];
    server.connections$.subscribe((c) => c.messages$.subscribe((m) => seen.push(m)));
    const first = await RawPeer.connect(port);
    const second = await RawPeer.connect(port);
    second.write(textFrame('from second'));
    const third = await RawPeer.connect(port);
    third.write(textFrame('from third'));
    await eventually(() => server.stats().connectionsHeld === 2, 'two sockets held');
    expect(seen).toEqual([]);
    expect(server.stats().bytesIn).toBe(0);
    first.end();
    await eventually(() => seen.length >= 1, 'the first held socket admitted');
    expect(seen).toEqual(['from second']);
    second.end();
    await eventually(() => seen.length >= 2, 'the second held socket admitted');
    expect(seen).toEqual(['from second', 'from third']);
    expect(server.stats()).toMatchObject({ connectionsAccepted: 3, connectionsHeld: 0 });
  });

  it('uses a custom refusal', async () => {
    const { port } = await start({
      maxConnections: 0,
      refuse: (socket) => {
        socket.end(Buffer.from('busy'));
      },
    });
    const peer = await RawPeer.connect(port);
    await peer.waitForEnd();
    expect(peer.text).toBe('busy');
  });

  it('rejects listen() on a taken port', async () => {
    const { port } = await start();
    const other = new Server({ protocol: textProtocol(), port });
    await expect(other.listen()).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('drain() closes every connection in order and completes connections$', async () => {
    const { server, port } = await start();
    const completed = firstValueFrom(server.connections$, { defaultValue: undefined });
    const peer = await RawPeer.connect(port);
    await eventually(() => server.connections.size === 1, 'the connection admitted');
    const drained = server.drain();
    await peer.waitForEnd();
    peer.end();
    await drained;
    await completed;
    expect(server.stats().connectionsActive).toBe(0);
  });

  it('sums traffic over live and past connections', async () => {
    const { server, port } = await start();
    server.connections$.subscribe((c) => c.messages$.subscribe((m) => c.send(m.toUpperCase())));
    for (let i = 0; i < 3; i++) {
      const peer = await RawPeer.connect(port);
      peer.write(textFrame('hi'));
      await peer.waitForBytes(4);
      peer.end();
      await peer.waitForEnd();
    }
    await eventually(() => server.stats().connectionsActive === 0, 'every connection retired');
    const stats = server.stats();
    expect(stats).toMatchObject({ connectionsAccepted: 3, framesIn: 3, framesOut: 3, bytesIn: 12, bytesOut: 12 });
  });
});

describe('Server evict-idle admission', () => {
  it('at the cap, closes the connection silent the longest (at least evictAfterMs) to admit a new one', async () => {
    const clock = new ManualClock();
    const { server, port } = await start({ maxConnections: 2, overflow: 'evict-idle', evictAfterMs: 1_000, connection: { clock } });
    const silent = await RawPeer.connect(port);
    await eventually(() => server.connections.size === 1, 'the first admitted');
    clock.advance(500);
    const talker = await RawPeer.connect(port);
    await eventually(() => server.connections.size === 2, 'the second admitted');
    // Too early: nobody has been silent for 1 s, the newcomer is refused.
    const early = await RawPeer.connect(port);
    await early.waitForEnd();
    clock.advance(600); // the first is silent for 1.1 s, the second for 0.6 s
    talker.write(textFrame('still here'));
    await eventually(() => server.stats().framesIn === 1, 'the talker heard');
    const newcomer = await RawPeer.connect(port);
    await silent.waitForEnd();
    await eventually(() => server.stats().connectionsEvicted === 1 && server.connections.size === 2, 'the newcomer admitted');
    expect(talker.ended).toBeUndefined();
    expect(newcomer.ended).toBeUndefined();
    expect(server.stats()).toMatchObject({ connectionsRefused: 1, connectionsAccepted: 3 });
  });

  it('evict-handshaking evicts only connections that never completed their handshake', async () => {
    const clock = new ManualClock();
    const { server, port } = await start({
      protocol: textProtocol({ handshake: 'hello' }),
      maxConnections: 2,
      overflow: 'evict-handshaking',
      connection: { clock, localId: 'server', handshakeTimeoutMs: 60_000 },
    });
    const player = await RawPeer.connect(port);
    player.write(textFrame('HELLO:player'));
    const mute = await RawPeer.connect(port);
    await eventually(() => [...server.connections].filter((c) => c.status === 'open').length === 1 && server.connections.size === 2, 'one open, one handshaking');
    clock.advance(5_000); // both silent for 5 s; only the one that never said hello may go
    const newcomer = await RawPeer.connect(port);
    await mute.waitForEnd();
    await eventually(() => server.stats().connectionsEvicted === 1 && server.connections.size === 2, 'the newcomer admitted');
    expect(player.ended).toBeUndefined();
    clock.advance(5_000);
    const another = await RawPeer.connect(port); // the newcomer is handshaking and silent: it goes, the player stays
    await newcomer.waitForEnd();
    expect(player.ended).toBeUndefined();
    another.write(textFrame('HELLO:another'));
  });
});
