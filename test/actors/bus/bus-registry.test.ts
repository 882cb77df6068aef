import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { acquireBus } from '../../../src/actors/bus/bus-registry.js';
import { startServerBus } from './helpers.js';

const socket = (port: number, server: 'server' | 'client' | 'auto') => ({ transport: 'socket' as const, host: '127.0.0.1', port, server });

describe('acquireBus', () => {
  it('shares one in-process bus, closing it when the last holder releases it', async () => {
    const first = await acquireBus({ transport: 'inprocess' });
    const second = await acquireBus({ transport: 'inprocess' });
    expect(second.bus).toBe(first.bus);
    await first.release();
    await first.release(); // idempotent: does not count twice
    expect(first.bus.status).toBe('open');
    await second.release();
    expect(first.bus.status).toBe('closed');
    const third = await acquireBus({ transport: 'inprocess' });
    expect(third.bus).not.toBe(first.bus);
    await third.release();
  });

  it('auto: becomes the server on a free port, and later holders of that port share it', async () => {
    const server = await acquireBus(socket(0, 'server'));
    const port = server.bus.transport.address!.port;
    const again = await acquireBus(socket(port, 'auto'));
    expect(again.bus).toBe(server.bus);
    expect(server.bus.role).toBe('server');
    await again.release();
    await server.release();
    expect(server.bus.status).toBe('closed');
  });

  it('auto: falls back to connecting when the port is taken by another bus server', async () => {
    const foreign = await startServerBus(); // stands for another process
    const port = foreign.transport.address!.port;
    const lease = await acquireBus(socket(port, 'auto'));
    expect(lease.bus.role).toBe('client');
    expect(foreign.stats().connections).toBe(1);
    await lease.release();
    await foreign.close();
  });

  it('auto: fails with BUS_UNAVAILABLE when it can neither listen nor connect', async () => {
    // A port held by a listener that never answers the handshake, then closed: bind fails first.
    const blocker = createServer((s) => s.destroy());
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    await expect(acquireBus({ ...socket(port, 'auto'), connectTimeoutMs: 1000 })).rejects.toMatchObject({ code: 'BUS_UNAVAILABLE' });
    await new Promise((resolve) => blocker.close(resolve));
  });

  it('server mode refuses a taken port and client mode an empty one, with BUS_UNAVAILABLE', async () => {
    const foreign = await startServerBus();
    const port = foreign.transport.address!.port;
    await expect(acquireBus(socket(port, 'server'))).rejects.toMatchObject({ code: 'BUS_UNAVAILABLE' });
    await foreign.close();
    await expect(acquireBus({ ...socket(port, 'client'), connectTimeoutMs: 1000 })).rejects.toMatchObject({ code: 'BUS_UNAVAILABLE' });
  });

  it('forgets a client bus that lost its server, so the next holder gets a fresh one', async () => {
    const foreign = await startServerBus();
    const port = foreign.transport.address!.port;
    const lease = await acquireBus(socket(port, 'client'));
    await foreign.close();
    expect((await lease.bus.closed).reason).toBe('lost');
    const replacement = await acquireBus(socket(port, 'auto'));
    expect(replacement.bus).not.toBe(lease.bus);
    expect(replacement.bus.role).toBe('server');
    await lease.release();
    await replacement.release();
  });
});
