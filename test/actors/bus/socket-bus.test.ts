import { afterEach, describe, expect, it } from 'vitest';
import type { Bus } from '../../../src/actors/bus/bus.js';
import { SocketBusClient } from '../../../src/actors/bus/socket-bus-client.js';
import { Bus as BusClass } from '../../../src/actors/bus/bus.js';
import { decodeNotification, encodeNotification, encodeNotificationFrame } from '../../../src/protocols/rsb/index.js';
import { captureLogs } from '../../helpers/capture-logs.js';
import { RawPeer, rawServer } from '../../helpers/raw-peer.js';
import { Collector, notification, startClientBus, startServerBus } from './helpers.js';

const open: Bus[] = [];
async function track<T extends Bus>(bus: Promise<T>): Promise<T> {
  const b = await bus;
  open.push(b);
  return b;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((b) => b.transport.close()));
});

/** Reads complete frames a raw peer has received after the 4 handshake bytes. */
function framesOf(peer: RawPeer): Buffer[] {
  const bytes = peer.bytes.subarray(4);
  const frames: Buffer[] = [];
  let at = 0;
  while (at + 4 <= bytes.length) {
    const length = bytes.readUInt32LE(at);
    if (at + 4 + length > bytes.length) break;
    frames.push(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return frames;
}

describe('socket bus server', () => {
  it('sends 4 zero bytes first, and nothing is expected from the client', async () => {
    const server = await track(startServerBus());
    const peer = await RawPeer.connect(server.transport.address!.port);
    await peer.waitForBytes(4);
    expect([...peer.bytes]).toEqual([0, 0, 0, 0]);
    peer.reset();
  });

  it('forwards each frame verbatim to every other client, never back to its origin, and delivers locally', async () => {
    const server = await track(startServerBus());
    const local = new Collector(server, '/');
    const a = await RawPeer.connect(server.transport.address!.port);
    const b = await RawPeer.connect(server.transport.address!.port);
    const c = await RawPeer.connect(server.transport.address!.port);
    await Promise.all([a, b, c].map((p) => p.waitForBytes(4)));
    const body = encodeNotification(notification('/x/y', 'from a', 7));
    const frame = Buffer.concat([Buffer.from([body.length, 0, 0, 0]), body]);
    // Split across writes: the server must reassemble.
    a.write(frame.subarray(0, 2));
    a.write(frame.subarray(2, 20));
    a.write(frame.subarray(20));
    await b.waitForBytes(4 + frame.length);
    await c.waitForBytes(4 + frame.length);
    await local.waitFor(1);
    expect(framesOf(b)).toEqual([Buffer.from(body)]);
    expect(framesOf(c)).toEqual([Buffer.from(body)]);
    expect(local.texts).toEqual(['from a']);
    // The server's own publish goes to all three; a must not have got its own frame back.
    server.publish(notification('/x', 'from server', 1));
    await a.until((p) => framesOf(p).length === 1);
    expect(framesOf(a).map((f) => Buffer.from(decodeNotification(f).data).toString())).toEqual(['from server']);
    await b.until((p) => framesOf(p).length === 2);
    expect(framesOf(b).map((f) => Buffer.from(decodeNotification(f).data).toString())).toEqual(['from a', 'from server']);
    for (const p of [a, b, c]) p.reset();
  });

  it('drops a bad notification (logged, not forwarded) and keeps that connection', async () => {
    const server = await track(startServerBus());
    const port = server.transport.address!.port;
    const sender = await RawPeer.connect(port);
    const other = await RawPeer.connect(port);
    await Promise.all([sender.waitForBytes(4), other.waitForBytes(4)]);
    const truncated = encodeNotification(notification('/a', 'x')).subarray(0, 10);
    sender.write(Buffer.concat([Buffer.from([truncated.length, 0, 0, 0]), truncated]));
    sender.write(encodeNotificationFrame(notification('/a', 'good')));
    await other.until((p) => framesOf(p).length === 1);
    expect(Buffer.from(decodeNotification(framesOf(other)[0]).data).toString()).toBe('good');
    expect(server.stats().badNotifications).toBe(1);
    expect(sender.ended).toBeUndefined();
    sender.reset();
    other.reset();
  });

  it('closes a connection that announces a 4 GiB frame with a clear error, and keeps serving the others', async () => {
    const lines = captureLogs('warn');
    const server = await track(startServerBus());
    const port = server.transport.address!.port;
    const attacker = await RawPeer.connect(port);
    const client = await track(startClientBus(server));
    const listener = new Collector(client, '/');
    await attacker.waitForBytes(4);
    attacker.write(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    await attacker.waitForEnd();
    server.publish(notification('/still', 'served'));
    await listener.waitFor(1);
    expect(listener.texts).toEqual(['served']);
    expect(client.status).toBe('open');
    expect(lines.some((line) => line.includes('FRAME_TOO_LARGE'))).toBe(true);
  });

  it('closes a peer that speaks another protocol (wrong first bytes), and keeps serving the others', async () => {
    const server = await track(startServerBus());
    const stranger = await RawPeer.connect(server.transport.address!.port);
    const client = await track(startClientBus(server));
    const listener = new Collector(client, '/');
    stranger.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'); // "GET " read as a 541 MB length prefix
    await stranger.waitForEnd();
    expect(stranger.bytes.subarray(0, 4)).toEqual(Buffer.alloc(4));
    server.publish(notification('/still', 'served'));
    await listener.waitFor(1);
    expect(listener.texts).toEqual(['served']);
  });

  it('closes a connection that sends a zero-length frame, and keeps serving the others', async () => {
    const server = await track(startServerBus());
    const attacker = await RawPeer.connect(server.transport.address!.port);
    const client = await track(startClientBus(server));
    const listener = new Collector(client, '/');
    await attacker.waitForBytes(4);
    attacker.write(Buffer.from([0, 0, 0, 0]));
    await attacker.waitForEnd();
    server.publish(notification('/still', 'served'));
    await listener.waitFor(1);
    expect(listener.texts).toEqual(['served']);
  });

  it('survives a client that disconnects in the middle of a frame; the partial frame goes nowhere', async () => {
    const server = await track(startServerBus());
    const quitter = await RawPeer.connect(server.transport.address!.port);
    const client = await track(startClientBus(server));
    const listener = new Collector(client, '/');
    await quitter.waitForBytes(4);
    const frame = encodeNotificationFrame(notification('/half', 'never'));
    quitter.write(frame.subarray(0, frame.length - 3));
    quitter.reset();
    await quitter.waitForEnd();
    server.publish(notification('/after', 'ok'));
    await listener.waitFor(1);
    expect(listener.texts).toEqual(['ok']);
    expect(server.stats().notificationsIn).toBe(0);
  });

  it('closes its clients in order (half-close) when it is closed', async () => {
    const server = await startServerBus();
    const peer = await RawPeer.connect(server.transport.address!.port);
    await peer.waitForBytes(4);
    const closing = server.close();
    await peer.waitForEnd();
    expect(peer.ended).toBe('fin');
    peer.end();
    await closing;
    expect(server.status).toBe('closed');
  });
});

describe('socket bus client', () => {
  it('exchanges events with the server and other clients, with local delivery and no echo', async () => {
    const server = await track(startServerBus());
    const a = await track(startClientBus(server));
    const b = await track(startClientBus(server));
    const atServer = new Collector(server, '/');
    const atA = new Collector(a, '/');
    const atB = new Collector(b, '/');
    a.publish(notification('/t', 'a1'));
    await atB.waitFor(1);
    await atServer.waitFor(1);
    b.publish(notification('/t', 'b1'));
    await atA.waitFor(2);
    await atServer.waitFor(2);
    expect(atA.texts).toEqual(['a1', 'b1']);
    expect(atB.texts).toEqual(['a1', 'b1']);
    expect(atServer.texts).toEqual(['a1', 'b1']);
  });

  it('rejects a server whose handshake bytes are not zero, with a clear error', async () => {
    const fake = await rawServer((peer) => peer.write(Buffer.from([1, 2, 3, 4])));
    try {
      const attempt = BusClass.create('bad', (hooks) => SocketBusClient.connect({ host: '127.0.0.1', port: fake.port, connectTimeoutMs: 2000 }, hooks));
      await expect(attempt).rejects.toMatchObject({ code: 'CONNECT_FAILED', message: expect.stringMatching(/handshake byte 0x01/) });
    } finally {
      await fake.close();
    }
  });

  it('sees a clear closed state when the server goes away', async () => {
    const server = await startServerBus();
    const client = await track(startClientBus(server));
    await server.close();
    const end = await client.closed;
    expect(end.reason).toBe('lost');
    expect(end.error).toMatchObject({ code: 'BUS_CLOSED' });
    expect(client.status).toBe('closed');
    expect(() => client.publish(notification('/x', 'late'))).toThrow(/closed/);
  });
});
