import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '../../../src/actors/bus/bus.js';
import { NatsBusTransport } from '../../../src/actors/bus/transports/nats-transport.js';
import type { RsbEvent } from '../../../src/actors/rsb/event.js';
import { Informer } from '../../../src/actors/rsb/informer.js';
import { Listener } from '../../../src/actors/rsb/listener.js';
import { EventId, int64 } from '../../../src/protocols/rsb/index.js';
import { NatsServerProcess, natsServerAvailable } from '../../helpers/nats-server.js';

describe.skipIf(!natsServerAvailable())('informers and listeners on NATS', () => {
  let server: NatsServerProcess;
  beforeAll(async () => {
    server = await NatsServerProcess.start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('carries payloads of every converter and all meta-data, as on the socket transport', async () => {
    const [a, b] = await Promise.all([0, 1].map(() => Bus.create('nats', (hooks) => NatsBusTransport.connect({ servers: [server.url] }, hooks))));
    const listener = await Listener.create('/p/', { bus: a });
    const events: RsbEvent[] = [];
    const all = new Promise<void>((resolve) => listener.addHandler((e) => void (events.push(e) === 3 && resolve())));
    const informer = await Informer.create('/p/', { bus: b });
    const cause = EventId.fromUuid('6b1a1c2e-1111-4222-8333-444455556666', 9);
    await informer.publish('text', { userInfos: { lang: 'ts' }, causes: [cause], method: 'M' });
    await informer.publish(int64(-5n));
    await informer.publish(Uint8Array.of(1, 2, 3), { scope: '/p/deeper/', userTimes: { t: 1234 } });
    await all;
    expect(events.map((e) => e.data)).toEqual(['text', -5n, Uint8Array.of(1, 2, 3)]);
    expect(events[0]).toMatchObject({ method: 'M', userInfos: { lang: 'ts' } });
    expect(events[0].causes[0].equals(cause)).toBe(true);
    expect(events[2].scope.text).toBe('/p/deeper/');
    expect(events[1].id.sender).toBe(informer.id);
    await Promise.all([listener.close(), informer.close()]);
    await Promise.all([a.close(), b.close()]);
  });

  it('participants that select NATS by configuration share one bus per process', async () => {
    const options = { env: { RSB_TRANSPORT_NATS_ENABLED: '1', RSB_TRANSPORT_NATS_SERVERS: server.url }, configFiles: [] };
    const listener = await Listener.create('/cfg/', options);
    const informer = await Informer.create('/cfg/', options);
    expect(informer.bus).toBe(listener.bus);
    expect(listener.bus.role).toBe('nats');
    const got = new Promise<RsbEvent>((resolve) => listener.addHandler(resolve));
    await informer.publish('local');
    expect((await got).data).toBe('local');
    await Promise.all([listener.close(), informer.close()]);
    expect(listener.bus.status).toBe('closed');
  });
});
