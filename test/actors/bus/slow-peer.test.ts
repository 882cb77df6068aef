import { describe, expect, it } from 'vitest';
import { RawPeer } from '../../helpers/raw-peer.js';
import { Collector, notification, startClientBus, startServerBus } from './helpers.js';

describe('slow peer policy of the bus server', () => {
  it('disconnects a peer that stops reading, while the other clients receive every event in order', async () => {
    // Small queues and a short grace time so that the stalled peer is detected quickly.
    const server = await startServerBus({ maxQueuedBytes: 64 * 1024, slowPeerTimeoutMs: 200 });
    const port = server.transport.address!.port;
    const stalled = await RawPeer.connect(port);
    await stalled.waitForBytes(4);
    stalled.socket.pause(); // never reads again: kernel buffers fill, then the server's queue
    const producer = await startClientBus(server);
    const steady = await startClientBus(server);
    const received = new Collector(steady, '/');
    const payload = 'x'.repeat(16 * 1024);
    const count = 2000; // 32 MiB: far beyond what socket buffers can hide
    for (let i = 0; i < count; i++) {
      if (!producer.writable) await producer.whenWritable();
      producer.publish(notification('/bulk', `${i}:${payload}`, i));
    }
    await received.waitFor(count);
    const sequence = received.received.map((n) => n.eventId.sequenceNumber);
    expect(sequence).toEqual(Array.from({ length: count }, (_, i) => i));
    // Reading again, the stalled peer finds its connection closed by the server.
    stalled.socket.resume();
    await stalled.waitForEnd(10_000);
    expect(server.stats().slowPeersDropped).toBe(1);
    expect(steady.status).toBe('open');
    await Promise.all([producer.close(), steady.close()]);
    await server.transport.close();
    stalled.reset();
  });

  it('slows a fast producer down instead of dropping a slower but reading peer', async () => {
    const server = await startServerBus({ maxQueuedBytes: 32 * 1024, slowPeerTimeoutMs: 5_000 });
    const producer = await startClientBus(server, { maxQueuedBytes: 32 * 1024 });
    const consumer = await startClientBus(server);
    const received = new Collector(consumer, '/');
    const payload = 'y'.repeat(64 * 1024);
    const count = 300;
    let waited = 0;
    for (let i = 0; i < count; i++) {
      if (!producer.writable) {
        waited++;
        await producer.whenWritable();
      }
      producer.publish(notification('/bulk', payload, i));
    }
    await received.waitFor(count);
    expect(received.received.map((n) => n.eventId.sequenceNumber)).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(waited).toBeGreaterThan(0);
    expect(server.stats().slowPeersDropped).toBe(0);
    await Promise.all([producer.close(), consumer.close()]);
    await server.close();
  });

  it('an orderly close still delivers the frames waiting behind a full send queue', async () => {
    const server = await startServerBus();
    const producer = await startClientBus(server, { maxQueuedBytes: 64 * 1024 });
    const consumer = await startClientBus(server);
    const received = new Collector(consumer, '/');
    const payload = 'z'.repeat(256 * 1024);
    for (let i = 0; i < 40; i++) producer.publish(notification('/bulk', payload, i)); // no waiting: backlog grows
    expect(producer.stats().backlogBytes).toBeGreaterThan(0);
    await producer.close();
    await received.waitFor(40);
    expect(received.received.map((n) => n.eventId.sequenceNumber)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    await consumer.close();
    await server.close();
  });
});
