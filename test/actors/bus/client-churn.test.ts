import { describe, expect, it } from 'vitest';
import type { Bus } from '../../../src/actors/bus/bus.js';
import { Collector, notification, startClientBus, startServerBus } from './helpers.js';

describe('bus server under client churn', () => {
  it('loses and duplicates nothing for steady listeners while 50 clients join and leave', async () => {
    const server = await startServerBus();
    const steady = await Promise.all([startClientBus(server), startClientBus(server), startClientBus(server)]);
    const listeners = [...steady.map((b) => new Collector(b, '/churn')), new Collector(server, '/churn')];
    const producer = await startClientBus(server);
    const minimum = 2000;
    let churnDone = false;

    const churn = (async () => {
      for (let i = 0; i < 50; i++) {
        const transient: Bus = await startClientBus(server);
        const seen = new Collector(transient, '/');
        // Some leave as soon as they joined, others after seeing traffic; half close in order, half abruptly.
        if (i % 2 === 0) await seen.waitFor(1);
        await (i % 4 < 2 ? transient.close() : transient.transport.close());
      }
      churnDone = true;
    })();

    // Publish until the churn is over (transients wait for traffic), and at least `minimum` events.
    let count = 0;
    for (let i = 0; !churnDone || i < minimum; i++, count++) {
      if (!producer.writable) await producer.whenWritable();
      producer.publish(notification('/churn/events', String(i), i));
      // Let connections come and go between batches.
      if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
    }
    await churn;
    await Promise.all(listeners.map((l) => l.waitFor(count)));
    const expected = Array.from({ length: count }, (_, i) => i);
    for (const listener of listeners) {
      expect(listener.received.map((n) => n.eventId.sequenceNumber)).toEqual(expected);
      expect(listener.texts).toEqual(expected.map(String));
    }
    expect(server.stats().notificationsIn).toBe(count);
    await Promise.all([...steady, producer].map((b) => b.close()));
    await server.close();
  });
});
