import { describe, expect, it } from 'vitest';
import { DEFAULT_RSB_NATS_OPTIONS, resolveRsbNatsOptions } from '../../../src/actors/rsb/config.js';
import { RsbConfigError } from '../../../src/actors/rsb/errors.js';
import { resolveBusEndpoint } from '../../../src/actors/rsb/participant-options.js';

describe('NATS transport configuration', () => {
  it('defaults to disabled, one local server, prefix rsb', () => {
    expect(resolveRsbNatsOptions()).toEqual(DEFAULT_RSB_NATS_OPTIONS);
    expect(DEFAULT_RSB_NATS_OPTIONS).toMatchObject({ enabled: false, servers: ['nats://127.0.0.1:4222'], prefix: 'rsb' });
  });

  it('reads [transport.nats] from files and RSB_TRANSPORT_NATS_* from the environment, later sources winning', () => {
    const options = resolveRsbNatsOptions({
      files: [
        { path: '/etc/rsb.conf', text: '[transport.nats]\nenabled = 1\nservers = nats://a:4222, nats://b:4222\nuser = alice\npassword = secret\n' },
        { path: './rsb.conf', text: '[transport.nats]\nprefix = lab.rsb\nbuffer = 1024\n' },
      ],
      env: { RSB_TRANSPORT_NATS_SERVERS: 'nats://c:4222', RSB_TRANSPORT_NATS_TOKEN: 't0k' },
    });
    expect(options).toEqual({
      enabled: true,
      servers: ['nats://c:4222'],
      user: 'alice',
      password: 'secret',
      token: 't0k',
      prefix: 'lab.rsb',
      bufferBytes: 1024,
    });
    expect(resolveRsbNatsOptions({ env: { RSB_TRANSPORT_NATS_ENABLED: 'yes' }, overrides: { enabled: false } }).enabled).toBe(false);
  });

  it('rejects bad values, naming their source', () => {
    expect(() => resolveRsbNatsOptions({ env: { RSB_TRANSPORT_NATS_ENABLED: 'maybe' } })).toThrow(/RSB_TRANSPORT_NATS_ENABLED/);
    expect(() => resolveRsbNatsOptions({ files: [{ path: 'x.conf', text: '[transport.nats]\nbuffer = lots\n' }] })).toThrow(RsbConfigError);
    expect(() => resolveRsbNatsOptions({ env: { RSB_TRANSPORT_NATS_PREFIX: 'a.*' } })).toThrow(/prefix/);
    expect(() => resolveRsbNatsOptions({ env: { RSB_TRANSPORT_NATS_SERVERS: ' , ' } })).toThrow(/no server/);
  });

  it('selects the NATS bus when enabled, above the socket transport', () => {
    const env = { RSB_TRANSPORT_NATS_ENABLED: '1', RSB_TRANSPORT_NATS_SERVERS: 'nats://n1:4222,nats://n2:4222', RSB_TRANSPORT_NATS_USER: 'u', RSB_TRANSPORT_NATS_PASSWORD: 'p' };
    expect(resolveBusEndpoint({ env, configFiles: [] })).toEqual({
      transport: 'nats',
      servers: ['nats://n1:4222', 'nats://n2:4222'],
      user: 'u',
      pass: 'p',
      token: undefined,
      subjectPrefix: 'rsb',
      maxReconnectBufferBytes: 8 * 1024 * 1024,
    });
    expect(resolveBusEndpoint({ env: {}, configFiles: [] }).transport).toBe('socket');
    expect(resolveBusEndpoint({ env, configFiles: [], transport: 'socket' }).transport).toBe('socket');
    expect(resolveBusEndpoint({ env: {}, configFiles: [], nats: { enabled: true, servers: ['nats://x:1'], reconnectDelayMs: 5 } })).toMatchObject({
      transport: 'nats',
      servers: ['nats://x:1'],
      reconnectDelayMs: 5,
    });
  });
});
