import { firstValueFrom, filter } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '../../../src/actors/bus/bus.js';
import type { NatsBusEvent } from '../../../src/actors/bus/transports/nats-events.js';
import type { NatsBusOptions } from '../../../src/actors/bus/transports/nats-options.js';
import { NatsBusTransport } from '../../../src/actors/bus/transports/nats-transport.js';
import { encodeNotification } from '../../../src/protocols/rsb/index.js';
import { NatsServerProcess, natsServerAvailable } from '../../helpers/nats-server.js';
import { Collector, notification } from './helpers.js';

const SENDER = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

async function natsBus(options: NatsBusOptions): Promise<{ bus: Bus; nats: NatsBusTransport; events: NatsBusEvent[] }> {
  const bus = await Bus.create('nats-restart', (hooks) => NatsBusTransport.connect(options, hooks));
  const nats = bus.transport as NatsBusTransport;
  const events: NatsBusEvent[] = [];
  nats.events$.subscribe((e) => events.push(e));
  return { bus, nats, events };
}

const next = (nats: NatsBusTransport, type: NatsBusEvent['type']): Promise<NatsBusEvent> => firstValueFrom(nats.events$.pipe(filter((e) => e.type === type)));

describe.skipIf(!natsServerAvailable())('NATS transport across a server restart', () => {
  let server: NatsServerProcess;
  beforeAll(async () => {
    server = await NatsServerProcess.start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reconnects, buffers publishes within bounds, keeps order, reports every loss', { timeout: 60_000 }, async () => {
    const payload = 'x'.repeat(1000);
    const bodyBytes = encodeNotification(notification('/r/', payload, 0, SENDER)).length;
    const maxReconnectBufferBytes = 50 * bodyBytes + bodyBytes / 2;
    const fast = { servers: [server.url], reconnectDelayMs: 20, maxReconnectDelayMs: 100 };
    const receiver = await natsBus(fast);
    const sender = await natsBus({ ...fast, maxReconnectBufferBytes });
    const received = new Collector(receiver.bus, '/r/');
    await receiver.bus.whenSubscribed();

    let seq = 0;
    const publish = (n: number): void => {
      for (let i = 0; i < n; i++, seq++) sender.bus.publish(notification('/r/', payload, seq, SENDER));
    };
    publish(100);
    await received.waitFor(100);

    const down = Promise.all([next(sender.nats, 'disconnected'), next(receiver.nats, 'disconnected')]);
    await server.stop('SIGKILL');
    await down;
    publish(80);
    // Within bounds: 50 wait for the reconnect, 30 are dropped and reported; producers that
    // respect backpressure are told to wait.
    expect(sender.nats.stats()).toMatchObject({ buffered: 50, lost: 30 });
    expect(sender.nats.stats().backlogBytes).toBeLessThanOrEqual(maxReconnectBufferBytes);
    expect(sender.bus.writable).toBe(false);
    const dropped = sender.events.filter((e) => e.type === 'publish-dropped');
    expect(dropped.reduce((sum, e) => sum + (e.type === 'publish-dropped' ? e.count : 0), 0)).toBe(30);

    const up = Promise.all([next(sender.nats, 'reconnected'), next(receiver.nats, 'reconnected')]);
    await server.start();
    await up;
    expect(sender.bus.writable).toBe(true);
    await receiver.bus.whenSubscribed();
    // A last event after both are back, so that any gap before it is seen.
    publish(1);
    await new Promise<void>((resolve) => {
      const sub = receiver.bus.subscribe(notification('/r/', '', 0).scope, (n) => {
        if (n.eventId.sequenceNumber === seq - 1) {
          sub();
          resolve();
        }
      });
    });

    const seqs = received.received.map((n) => n.eventId.sequenceNumber);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    // Whatever the receiver missed (the sender may flush before the receiver is back) is
    // reported as a gap, and what the sender dropped as a loss: nothing vanishes silently.
    const missing = receiver.nats.stats().missing;
    expect(seqs.length + missing).toBe(seq - 0);
    expect(missing).toBeGreaterThanOrEqual(30);
    expect(receiver.events.filter((e) => e.type === 'sequence-gap').length).toBeGreaterThan(0);
    expect(sender.nats.stats().reconnects).toBe(1);
    await Promise.all([receiver.bus.close(), sender.bus.close()]);
  });
});
