import { describe, expect, it } from 'vitest';
import { Informer } from '../../../src/actors/rsb/informer.js';
import { resolveBusEndpoint } from '../../../src/actors/rsb/participant-options.js';
import { startServerBus } from '../bus/helpers.js';

describe('resolveBusEndpoint', () => {
  it('uses the defaults of the originals: socket transport, localhost:55555, server auto', () => {
    expect(resolveBusEndpoint({ env: {}, configFiles: [] })).toEqual({ transport: 'socket', host: 'localhost', port: 55555, server: 'auto', tcpNoDelay: true });
  });

  it('ranks files < environment < programmatic options', () => {
    const endpoint = resolveBusEndpoint({
      configFiles: [{ path: 'rsb.conf', text: '[transport.socket]\nhost = 10.0.0.1\nport = 1111\nserver = 1\nnodelay = 0\n' }],
      env: { RSB_TRANSPORT_SOCKET_PORT: '2222', RSB_TRANSPORT_SOCKET_SERVER: '0' },
      socket: { server: 'auto', slowPeerTimeoutMs: 100 },
    });
    expect(endpoint).toEqual({ transport: 'socket', host: '10.0.0.1', port: 2222, server: 'auto', tcpNoDelay: false, slowPeerTimeoutMs: 100 });
  });

  it('falls back to in-process when the socket transport is disabled', () => {
    expect(resolveBusEndpoint({ env: { RSB_TRANSPORT_SOCKET_ENABLED: '0' }, configFiles: [] })).toEqual({ transport: 'inprocess' });
  });

  it('rejects bad values with RSB_BAD_CONFIG naming the source', () => {
    expect(() => resolveBusEndpoint({ env: { RSB_TRANSPORT_SOCKET_PORT: 'x' }, configFiles: [] })).toThrow(/RSB_TRANSPORT_SOCKET_PORT/);
  });

  it('lets participants join a bus chosen through RSB_TRANSPORT_SOCKET_* variables', async () => {
    const server = await startServerBus();
    const env = { RSB_TRANSPORT_SOCKET_HOST: '127.0.0.1', RSB_TRANSPORT_SOCKET_PORT: String(server.transport.address!.port), RSB_TRANSPORT_SOCKET_SERVER: '0' };
    const informer = await Informer.create('/env', { env, configFiles: [] });
    expect(informer.bus.role).toBe('client');
    expect(server.stats().connections).toBe(1);
    await informer.close();
    expect(informer.bus.status).toBe('closed');
    await server.close();
  });
});
