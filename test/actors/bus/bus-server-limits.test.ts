import { afterEach, describe, expect, it } from 'vitest';
import type { Bus } from '../../../src/actors/bus/bus.js';
import { eventually } from '../../helpers/eventually.js';
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
});
