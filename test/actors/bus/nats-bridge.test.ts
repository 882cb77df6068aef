import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '../../../src/actors/bus/bus.js';
import { acquireBus } from '../../../src/actors/bus/bus-registry.js';
import { NatsBridgeTransport, type NatsBridgeStats } from '../../../src/actors/bus/transports/nats-bridge.js';
import { SocketBusClient } from '../../../src/actors/bus/socket-bus-client.js';
import { runCli, type CliProcess } from '../../helpers/cli.js';
import { NatsServerProcess, natsServerAvailable, startNatsCluster, untilHeard } from '../../helpers/nats-server.js';
import { Collector, notification } from './helpers.js';

const ONE = Uint8Array.from({ length: 16 }, (_, i) => 0x10 + i);
const TWO = Uint8Array.from({ length: 16 }, (_, i) => 0x40 + i);

function bridge(natsUrl: string): Promise<Bus> {
  return Bus.create('bridge', (hooks) => NatsBridgeTransport.start({ host: '127.0.0.1', port: 0 }, { servers: [natsUrl] }, hooks));
}

function socketClient(port: number): Promise<Bus> {
  return Bus.create('client', (hooks) => SocketBusClient.connect({ host: '127.0.0.1', port }, hooks));
}

/** Sends `count` events each way between two socket clients and checks each arrives once, in order. */
async function exchange(c1: Bus, c2: Bus, count: number): Promise<void> {
  const at1 = new Collector(c1, '/b/');
  const at2 = new Collector(c2, '/b/');
  for (let i = 0; i < count; i++) {
    c1.publish(notification('/b/one/', `1:${i}`, 1000 + i, ONE));
    c2.publish(notification('/b/two/', `2:${i}`, 1000 + i, TWO));
  }
  // End markers: once they are in, anything duplicated or looping would be in too.
  c1.publish(notification('/b/one/', 'end1', 1000 + count, ONE));
  c2.publish(notification('/b/two/', 'end2', 1000 + count, TWO));
  await Promise.all([at1.waitFor(2 * count + 2), at2.waitFor(2 * count + 2)]);
  const expected = (who: number): string[] => [...Array.from({ length: count }, (_, i) => `${who}:${i}`), `end${who}`];
  for (const at of [at1, at2]) {
    expect(at.texts.filter((t) => t.startsWith('1:') || t === 'end1')).toEqual(expected(1));
    expect(at.texts.filter((t) => t.startsWith('2:') || t === 'end2')).toEqual(expected(2));
    expect(at.texts).toHaveLength(2 * count + 2);
  }
}

describe.skipIf(!natsServerAvailable())('socket bus bridged through NATS', () => {
  let server: NatsServerProcess;
  beforeAll(async () => {
    server = await NatsServerProcess.start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('two bridged socket buses, a socket client on each: events both ways, once each, no loop', async () => {
    const [b1, b2] = await Promise.all([bridge(server.url), bridge(server.url)]);
    const [c1, c2] = await Promise.all([socketClient(b1.transport.address!.port), socketClient(b2.transport.address!.port)]);
    const localSink = new Collector(b1, '/b/');
    await exchange(c1, c2, 200);
    // The bridge process's own sinks see everything once too.
    expect(localSink.texts).toHaveLength(402);
    const s1 = b1.transport.stats() as NatsBridgeStats;
    const s2 = b2.transport.stats() as NatsBridgeStats;
    // Each bridge published what its client sent, received what the other's sent, sent nothing back.
    expect([s1.toNats, s1.fromNats, s2.toNats, s2.fromNats]).toEqual([201, 201, 201, 201]);
    expect(s1.nats.duplicates + s2.nats.duplicates).toBe(0);
    await Promise.all([c1.close(), c2.close()]);
    await Promise.all([b1.close(), b2.close()]);
  });
});

describe.skipIf(!natsServerAvailable())('bridges on a 3-node NATS cluster', () => {
  let cluster: NatsServerProcess[] = [];
  let cli: CliProcess | undefined;
  beforeAll(async () => {
    cluster = await startNatsCluster(3);
  }, 10_000);
  afterAll(async () => {
    cli?.child.kill('SIGTERM');
    await cli?.exited;
    await Promise.all(cluster.map((s) => s.stop()));
  });

  it('an in-process bridge on node 1 and `actorwire rsb bus --bridge` on node 3 share one bus', { timeout: 60_000 }, async () => {
    const lease = await acquireBus({ transport: 'socket', host: '127.0.0.1', port: 0, server: 'server', bridge: { servers: [cluster[0].url] } });
    cli = runCli(['rsb', 'bus', '--port', '0', '--bridge', cluster[2].url]);
    const [, port] = await cli.line(/rsb listening on [\d.]+:(\d+)/);
    const [c1, c2] = await Promise.all([socketClient(lease.bus.transport.address!.port), socketClient(Number(port))]);
    await untilHeard(c1, c2, ONE);
    await untilHeard(c2, c1, TWO);
    await exchange(c1, c2, 100);
    await Promise.all([c1.close(), c2.close()]);
    await lease.release();
  });
});
