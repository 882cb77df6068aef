import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '../../../src/actors/bus/bus.js';
import { acquireBus } from '../../../src/actors/bus/bus-registry.js';
import { NatsBusTransport } from '../../../src/actors/bus/transports/nats-transport.js';
import { connect } from '@nats-io/transport-node';
import { forEachNotificationBody } from '../../../src/protocols/rsb/nats/nats-message.js';
import { Scope, decodeNotification, encodeNotification } from '../../../src/protocols/rsb/index.js';
import { runCli } from '../../helpers/cli.js';
import { NatsServerProcess, natsServerAvailable } from '../../helpers/nats-server.js';
import { Collector, notification } from './helpers.js';

const SENDER_B = Uint8Array.from({ length: 16 }, (_, i) => i + 1);

function natsBus(url: string): Promise<Bus> {
  return Bus.create(`nats-test:${url}`, (hooks) => NatsBusTransport.connect({ servers: [url] }, hooks));
}

describe.skipIf(!natsServerAvailable())('NATS transport', () => {
  let server: NatsServerProcess;
  beforeAll(async () => {
    server = await NatsServerProcess.start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('carries notifications between buses, by scope, encoding unchanged', async () => {
    const [a, b] = await Promise.all([natsBus(server.url), natsBus(server.url)]);
    const demo = new Collector(a, '/demo/');
    await a.whenSubscribed();
    const sent = [notification('/demo/', 'one', 0, SENDER_B), notification('/other/', 'no', 1, SENDER_B), notification('/demo/a/b/', 'two', 2, SENDER_B)];
    for (const n of sent) b.publish(n);
    await demo.waitFor(2);
    expect(demo.texts).toEqual(['one', 'two']);
    expect(encodeNotification(demo.received[1])).toEqual(encodeNotification(sent[2]));
    expect(a.role).toBe('nats');
    await Promise.all([a.close(), b.close()]);
  });

  it('delivers once to overlapping sinks (super-scope delivery), with one subscription pair', async () => {
    const [a, b] = await Promise.all([natsBus(server.url), natsBus(server.url)]);
    const root = new Collector(a, '/');
    const demo = new Collector(a, '/demo/');
    const deep = new Collector(a, '/demo/a/');
    await a.whenSubscribed();
    expect((a.transport as NatsBusTransport).stats().subscriptions).toBe(2);
    b.publish(notification('/demo/a/x/', 'deep', 0, SENDER_B));
    b.publish(notification('/demo/', 'demo', 1, SENDER_B));
    b.publish(notification('/', 'root', 2, SENDER_B));
    await root.waitFor(3);
    expect(root.texts).toEqual(['deep', 'demo', 'root']);
    expect(demo.texts).toEqual(['deep', 'demo']);
    expect(deep.texts).toEqual(['deep']);
    await Promise.all([a.close(), b.close()]);
  });

  it('keeps each sender\'s order while sinks come and go', { timeout: 60_000 }, async () => {
    const [a, b] = await Promise.all([natsBus(server.url), natsBus(server.url)]);
    const wide = new Collector(a, '/s/');
    await a.whenSubscribed();
    const count = 2000;
    for (let i = 0; i < count; i++) {
      b.publish(notification(`/s/${i % 3}/`, String(i), i, SENDER_B));
      // Narrower and wider sinks swap the subscriptions underneath while traffic flows.
      if (i === 500) a.subscribe(Scope.parse('/'), () => undefined)();
    }
    await wide.waitFor(count);
    expect(wide.texts).toEqual(Array.from({ length: count }, (_, i) => String(i)));
    await Promise.all([a.close(), b.close()]);
  });

  it('speaks the documented message format with a plain NATS client, both ways', async () => {
    const bus = await natsBus(server.url);
    const got = new Collector(bus, '/raw/');
    await bus.whenSubscribed();
    const nc = await connect({ servers: server.url });
    try {
      // From our bus: one turn of publishes to one scope is one message of framed notifications.
      const seen: Uint8Array[] = [];
      const sub = nc.subscribe('rsb.out', { callback: (_err, msg) => void seen.push(msg.data) });
      await nc.flush();
      const sent = [0, 1, 2].map((i) => notification('/out/', `n${i}`, i, SENDER_B));
      for (const n of sent) bus.publish(n);
      await expect.poll(() => seen.length).toBe(1);
      const bodies: Uint8Array[] = [];
      expect(forEachNotificationBody(seen[0], (body) => bodies.push(body.slice()))).toBe(3);
      expect(bodies).toEqual(sent.map((n) => encodeNotification(n)));
      sub.unsubscribe();

      // To our bus: frames in one message are delivered in order; a bad frame is counted and
      // dropped with the rest of its message; the next message is fine again.
      const frame = (text: string, seq: number): Uint8Array => {
        const body = encodeNotification(notification('/raw/', text, seq, SENDER_B));
        const out = new Uint8Array(4 + body.length);
        new DataView(out.buffer).setUint32(0, body.length, true);
        out.set(body, 4);
        return out;
      };
      nc.publish('rsb.raw', Buffer.concat([frame('a', 10), frame('b', 11)]));
      nc.publish('rsb.raw', Buffer.concat([frame('c', 12), Uint8Array.of(3, 0, 0, 0, 1, 2, 3), frame('lost', 13)]));
      nc.publish('rsb.raw', Buffer.concat([Uint8Array.of(200, 0, 0, 0), frame('x', 14)]));
      nc.publish('rsb.raw', frame('d', 15));
      await nc.flush();
      await got.waitFor(4);
      expect(got.texts).toEqual(['a', 'b', 'c', 'd']);
      expect(decodeNotification(encodeNotification(got.received[3])).eventId.sequenceNumber).toBe(15);
      expect((bus.transport as NatsBusTransport).stats().badNotifications).toBe(2);
    } finally {
      await nc.close();
      await bus.close();
    }
  });

  it('shares one connection per process per endpoint, reference-counted', async () => {
    const endpoint = { transport: 'nats', servers: [server.url] } as const;
    const [one, two] = await Promise.all([acquireBus(endpoint), acquireBus(endpoint)]);
    expect(one.bus).toBe(two.bus);
    await one.release();
    expect(two.bus.status).toBe('open');
    await two.release();
    expect(two.bus.status).toBe('closed');
    const three = await acquireBus(endpoint);
    expect(three.bus).not.toBe(one.bus);
    await three.release();
  });

  it('pub/sub across processes: a CLI listener and a CLI informer on NATS', async () => {
    const bus = await natsBus(server.url);
    const fromChild = new Collector(bus, '/cross/back/');
    await bus.whenSubscribed();
    const listener = runCli(['rsb', 'listen', '--count', '2', '/cross/'], { RSB_TRANSPORT_NATS_ENABLED: '1', RSB_TRANSPORT_NATS_SERVERS: server.url });
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (listener.stderr().includes('rsb listening for /cross/ as nats')) resolve();
      };
      listener.child.stderr!.on('data', check);
      void listener.exited.then((code) => reject(new Error(`listener exited ${code}: ${listener.stderr()}`)));
    });
    bus.publish(notification('/cross/', 'to-child-1', 0, SENDER_B));
    bus.publish(notification('/cross/sub/', 'to-child-2', 1, SENDER_B));
    expect(await listener.exited).toBe(0);
    const lines = listener.stdout().trim().split('\n').map((l) => JSON.parse(l) as { data: unknown; scope: string });
    expect(lines.map((l) => [l.scope, l.data])).toEqual([['/cross/', 'to-child-1'], ['/cross/sub/', 'to-child-2']]);

    const sender = runCli(['rsb', 'send', '--nats', server.url, '/cross/back/', 'from-child']);
    expect(await sender.exited).toBe(0);
    await fromChild.waitFor(1);
    expect(fromChild.texts).toEqual(['from-child']);
    await bus.close();
  }, 15_000);
});
