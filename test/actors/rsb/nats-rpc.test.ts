import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '../../../src/actors/bus/bus.js';
import { NatsBusTransport } from '../../../src/actors/bus/transports/nats-transport.js';
import { NoRespondersError, RemoteCallError } from '../../../src/actors/rsb/errors.js';
import { LocalServer } from '../../../src/actors/rsb/local-server.js';
import { RemoteServer } from '../../../src/actors/rsb/remote-server.js';
import { runCli } from '../../helpers/cli.js';
import { NatsServerProcess, natsServerAvailable } from '../../helpers/nats-server.js';

describe.skipIf(!natsServerAvailable())('RPC over NATS', { timeout: 60_000 }, () => {
  let server: NatsServerProcess;
  let serving: Bus;
  let calling: Bus;
  beforeAll(async () => {
    server = await NatsServerProcess.start();
    // Two buses with their own connections: what crosses between them crosses NATS.
    [serving, calling] = await Promise.all(
      [0, 1].map(() => Bus.create('nats-rpc', (hooks) => NatsBusTransport.connect({ servers: [server.url] }, hooks))),
    );
  });
  afterAll(async () => {
    await Promise.all([serving?.close(), calling?.close()]);
    await server?.stop();
  });

  it('calls across NATS with RSB semantics: replies, error replies, concurrent calls', async () => {
    const local = await LocalServer.create('/rpc/a/', { bus: serving });
    await local.addMethod('echo', (data) => data);
    await local.addMethod('fail', () => {
      throw new Error('it broke');
    });
    const remote = await RemoteServer.create('/rpc/a/', { bus: calling, timeoutMs: 20_000 });
    expect(await remote.call('echo', 'hi')).toBe('hi');
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => remote.call('echo', `m${i}`)));
    expect(many).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    await expect(remote.call('fail')).rejects.toThrow(RemoteCallError);
    await Promise.all([remote.close(), local.close()]);
  });

  it('fails fast with NoRespondersError when nobody serves the method, long before the timeout', async () => {
    const local = await LocalServer.create('/rpc/b/', { bus: serving });
    await local.addMethod('here', () => 'yes');
    const remote = await RemoteServer.create('/rpc/b/', { bus: calling, timeoutMs: 60_000 });
    const error = await remote.call('absent').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(NoRespondersError);
    expect(error).toMatchObject({ code: 'RSB_NO_RESPONDERS', methodScope: '/rpc/b/absent/' });
    expect(await remote.call('here')).toBe('yes');
    await local.removeMethod('here');
    await expect(remote.call('here')).rejects.toBeInstanceOf(NoRespondersError);
    await Promise.all([remote.close(), local.close()]);
  });

  it('`actorwire rsb call --nats` reports a method nobody serves at once, with exit code 3', async () => {
    const cli = runCli(['rsb', 'call', '--nats', server.url, '--timeout', '60', '/rpc/nobody/', 'none']);
    expect(await cli.exited).toBe(3);
    expect(cli.stderr()).toContain('no server answers /rpc/nobody/none/');
  }, 12_000);

  it('a server in the caller\'s own process counts as a responder', async () => {
    const local = await LocalServer.create('/rpc/c/', { bus: calling });
    await local.addMethod('twice', (data) => String(data).repeat(2));
    const remote = await RemoteServer.create('/rpc/c/', { bus: calling, timeoutMs: 60_000 });
    expect(await remote.call('twice', 'ab')).toBe('abab');
    await Promise.all([remote.close(), local.close()]);
  });
});
