import { filter, firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '../../../src/actors/bus/bus.js';
import { NatsBusTransport } from '../../../src/actors/bus/transports/nats-transport.js';
import { NatsServerProcess, natsServerAvailable, startNatsCluster, untilHeard } from '../../helpers/nats-server.js';
import { Collector, notification } from './helpers.js';

const SENDER = Uint8Array.from({ length: 16 }, (_, i) => 0xc0 + i);

describe.skipIf(!natsServerAvailable())('the NATS transport on a 3-node cluster', () => {
  let cluster: NatsServerProcess[] = [];
  beforeAll(async () => {
    cluster = await startNatsCluster(3);
  }, 10_000);
  afterAll(async () => {
    await Promise.all(cluster.map((s) => s.stop()));
  });

  it('fails over to another node when its node dies, and the bus carries on in order', { timeout: 60_000 }, async () => {
    const fast = { reconnectDelayMs: 20, maxReconnectDelayMs: 100 };
    // The receiver knows node 1 only: the others it learns from the cluster's gossip.
    const receiver = await Bus.create('r', (hooks) => NatsBusTransport.connect({ servers: [cluster[0].url], ...fast }, hooks));
    const sender = await Bus.create('s', (hooks) => NatsBusTransport.connect({ servers: [cluster[2].url], ...fast }, hooks));
    const got = new Collector(receiver, '/c/');
    let seq = await untilHeard(sender, receiver, SENDER);
    for (let i = 0; i < 50; i++) sender.publish(notification('/c/', `before ${i}`, seq++, SENDER));
    await got.waitFor(50);

    const nats = receiver.transport as NatsBusTransport;
    const back = firstValueFrom(nats.events$.pipe(filter((e) => e.type === 'reconnected')));
    await cluster[0].stop('SIGKILL');
    const reconnected = await back;
    expect(reconnected).toMatchObject({ type: 'reconnected' });
    expect(reconnected.type === 'reconnected' && reconnected.server).not.toContain(String(cluster[0].port));

    seq = await untilHeard(sender, receiver, SENDER, seq);
    for (let i = 0; i < 50; i++) sender.publish(notification('/c/', `after ${i}`, seq++, SENDER));
    await got.waitFor(100);
    expect(got.texts).toEqual([...Array.from({ length: 50 }, (_, i) => `before ${i}`), ...Array.from({ length: 50 }, (_, i) => `after ${i}`)]);
    await Promise.all([receiver.close(), sender.close()]);
  });
});
