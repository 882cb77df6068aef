import { afterEach, describe, expect, it } from 'vitest';
import type { Bus } from '../../../src/actors/bus/bus.js';
import { eventually } from '../../helpers/eventually.js';
import { captureLogs } from '../../helpers/capture-logs.js';
import { RawPeer } from '../../helpers/raw-peer.js';
import { startServerBus } from './helpers.js';

const buses: Bus[] = [];
afterEach(async () => {
  RawPeer.destroyAll();
  for (const bus of buses.splice(0)) await bus.close();
});

describe('RSB bus server limits', () => {
  it('serves at most maxConnections clients and refuses the next with a FIN and no handshake', async () => {
    const bus = await startServerBus({ maxConnections: 2 });
    buses.push(bus);
    const port = bus.transport.address!.port;
    const admitted = [await RawPeer.connect(port), await RawPeer.connect(port)];
    for (const peer of admitted) await peer.waitForBytes(4);
    const refused = await RawPeer.connect(port);
    await refused.waitForEnd();
    expect(refused.bytes.length).toBe(0);
    admitted[0].reset();
    await eventually(() => bus.stats().connections === 1, 'the slot freed');
    const next = await RawPeer.connect(port);
    await next.waitForBytes(4);
    expect(next.bytes).toEqual(Buffer.alloc(4));
  });

  it('disconnects a client after its error budget of invalid frames, with one line instead of one per frame', async () => {
    const lines = captureLogs('warn');
    const bus = await startServerBus();
    buses.push(bus);
    const port = bus.transport.address!.port;
    const junk = await RawPeer.connect(port);
    await junk.waitForBytes(4);
    const frame = Buffer.from([3, 0, 0, 0, 0xff, 0xff, 0xff]); // a body that is no Notification
    for (let i = 0; i < 1_000; i++) junk.write(frame);
    await junk.waitForEnd();
    expect(bus.stats()).toMatchObject({ badPeersClosed: 1 });
    expect(bus.stats().badNotifications).toBeLessThan(1_000);
    const ours = lines.filter((l) => l.includes('rsb.bus.server'));
    expect(ours.length).toBeLessThanOrEqual(12);
    expect(ours.some((l) => l.includes('closing a peer that sent too many invalid frames'))).toBe(true);
    const good = await RawPeer.connect(port);
    await good.waitForBytes(4);
  });
});
