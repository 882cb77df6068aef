import { afterEach, describe, expect, it } from 'vitest';
import { ObeServer } from '../../src/obe/index.js';
import { eventually } from '../helpers/eventually.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { RawPeer } from '../helpers/raw-peer.js';

const servers: ObeServer[] = [];
afterEach(async () => {
  RawPeer.destroyAll();
  for (const s of servers.splice(0)) await s.stop();
});

const READY = Buffer.from('0000000020{"command": "ready"}', 'latin1');

describe('ObeServer under clients that start requests and never finish them', () => {
  it('closes a connection whose request is not complete within the request timeout, freeing its slot', async () => {
    const clock = new ManualClock();
    const server = new ObeServer({ port: 0, startRun: false, maxConnections: 2, requestTimeoutMs: 1_000, connection: { clock } });
    servers.push(server);
    const { port } = await server.start();
    const hoarders = [await RawPeer.connect(port), await RawPeer.connect(port)];
    for (const h of hoarders) h.write('00000000'); // 8 of the 10 header digits
    await eventually(() => server.stats().bytesIn === 16, 'both half headers read');
    const locked = await RawPeer.connect(port);
    await locked.waitForEnd();
    expect(locked.bytes.length).toBe(0); // at the cap: refused
    clock.advance(1_000);
    for (const h of hoarders) await h.waitForEnd();
    await eventually(() => server.stats().connectionsActive === 0, 'the hoarders closed');
    const client = await RawPeer.connect(port);
    client.write(READY);
    await client.waitForText('"OK"');
    expect(client.text).toBe('0000000004"OK"');
    expect(server.stats().connectionErrors).toBe(2);
  });

  it('by default gives a started request 10 s, and never times out a client between requests', async () => {
    const clock = new ManualClock();
    const server = new ObeServer({ port: 0, startRun: false, connection: { clock } });
    servers.push(server);
    const { port } = await server.start();
    const slow = await RawPeer.connect(port);
    slow.write(READY.subarray(0, 12));
    await eventually(() => server.stats().bytesIn === 12, 'part of the request read');
    clock.advance(9_999);
    slow.write(READY.subarray(12));
    await slow.waitForText('"OK"');
    expect(server.stats().connectionErrors).toBe(0);
  });
});
