import { afterEach, describe, expect, it } from 'vitest';
import { firstValueFrom, toArray } from 'rxjs';
import { dial } from '../../../src/actors/client.js';
import type { Connection } from '../../../src/actors/connection/connection.js';
import type { ConnectionOptions } from '../../../src/actors/connection/options.js';
import { Server } from '../../../src/actors/server.js';
import { eventually, turns } from '../../helpers/eventually.js';
import { ManualClock } from '../../helpers/manual-clock.js';
import { RawPeer, rawServer } from '../../helpers/raw-peer.js';
import { textFrame, textProtocol } from '../../helpers/test-protocols.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  RawPeer.destroyAll();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A server of the text protocol whose accepted connections are handed to the test. */
async function textServer(protocol = textProtocol(), connection: ConnectionOptions = {}) {
  const server = new Server({ protocol, connection });
  const accepted: Array<Connection<string, string>> = [];
  const waiters: Array<() => void> = [];
  server.connections$.subscribe((c) => {
    accepted.push(c);
    waiters.splice(0).forEach((w) => w());
  });
  const { port } = await server.listen();
  cleanups.push(() => server.close());
  const next = async (): Promise<Connection<string, string>> => {
    while (accepted.length === 0) await new Promise<void>((r) => waiters.push(r));
    return accepted.shift()!;
  };
  return { server, port, next };
}

describe('Connection', () => {
  it('delivers decoded messages in order and completes on the peer FIN', async () => {
    const { port, next } = await textServer();
    const peer = await RawPeer.connect(port);
    const connection = await next();
    const all = firstValueFrom(connection.messages$.pipe(toArray()));
    const bytes = Buffer.concat(['one', 'two', 'three'].map(textFrame));
    for (const b of bytes) peer.write(Uint8Array.of(b)); // one byte per write
    peer.end();
    expect(await all).toEqual(['one', 'two', 'three']);
    expect(await connection.closed).toEqual({ reason: 'peer-end' });
  });

  it('keeps messages that arrive before anyone subscribes', async () => {
    const { port, next } = await textServer();
    const peer = await RawPeer.connect(port);
    const connection = await next();
    peer.write(Buffer.concat([textFrame('early'), textFrame('bird')]));
    await eventually(() => connection.stats().framesIn === 2, 'both frames read');
    const got: string[] = [];
    connection.messages$.subscribe((m) => got.push(m));
    expect(got).toEqual(['early', 'bird']);
  });

  it('holds the socket unread once the early buffer is full, and releases it to the first subscriber', async () => {
    const { port, next } = await textServer(textProtocol(), { maxEarlyMessages: 2 });
    const peer = await RawPeer.connect(port);
    const connection = await next();
    peer.write(Buffer.concat(['1', '2', '3', '4', '5'].map(textFrame)));
    await eventually(() => (connection.state as { open?: { receiving?: string } }).open?.receiving === 'holding', 'holding');
    const got: string[] = [];
    connection.messages$.subscribe((m) => got.push(m));
    expect(connection.state).toEqual({ open: { receiving: 'flowing', sending: 'idle' } });
    await eventually(() => got.length === 5, 'all five frames');
    expect(got).toEqual(['1', '2', '3', '4', '5']);
  });

  it('reports each status once, in order, to status$ subscribers and whenOpen()', async () => {
    const { port, next } = await textServer(textProtocol({ handshake: 'hello' }), { localId: 'engine' });
    const peer = await RawPeer.connect(port);
    const connection = await next();
    const seen: string[] = [];
    connection.status$.subscribe({ next: (s) => seen.push(s), complete: () => seen.push('complete') });
    const opened = connection.whenOpen();
    peer.write(textFrame('HELLO:agent'));
    await opened;
    const closed = connection.drain();
    await peer.waitForEnd();
    peer.end();
    await closed;
    expect(seen).toEqual(['handshaking', 'open', 'closing', 'closed', 'complete']);
    await expect(connection.whenOpen()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('writes the frames sent in one tick with one socket write', async () => {
    const { port, next } = await textServer();
    const peer = await RawPeer.connect(port);
    const connection = await next();
    const before = connection.stats().socketWrites;
    for (let i = 0; i < 100; i++) connection.send(`m${i}`);
    const expected = Buffer.concat(Array.from({ length: 100 }, (_, i) => textFrame(`m${i}`)));
    await peer.waitForBytes(expected.length);
    expect(peer.bytes.equals(expected)).toBe(true);
    expect(connection.stats().socketWrites - before).toBe(1);
    expect(connection.stats().framesOut).toBe(100);
  });

  it('reports the machine state: open with receiving and sending regions', async () => {
    const { port, next } = await textServer();
    await RawPeer.connect(port);
    const connection = await next();
    expect(connection.status).toBe('open');
    expect(connection.state).toEqual({ open: { receiving: 'flowing', sending: 'idle' } });
    connection.pause();
    expect(connection.state).toEqual({ open: { receiving: 'paused', sending: 'idle' } });
    connection.resume();
    expect(connection.state).toEqual({ open: { receiving: 'flowing', sending: 'idle' } });
  });

  it('does not read while paused, and reads again on resume', async () => {
    const { port, next } = await textServer();
    const peer = await RawPeer.connect(port);
    const connection = await next();
    const got: string[] = [];
    connection.messages$.subscribe((m) => got.push(m));
    connection.pause();
    await new Promise<void>((resolve) => peer.socket.write(textFrame('held'), () => resolve()));
    // The bytes are in our socket's receive buffer; a paused connection must leave them there.
    await turns(50);
    expect(connection.stats().bytesIn).toBe(0);
    expect(got).toEqual([]);
    connection.resume();
    await eventually(() => got.length === 1, 'the held frame after resume');
    expect(got).toEqual(['held']);
  });

  it('fails on a protocol error, closes with FIN and reports the error code', async () => {
    const { port, next } = await textServer(textProtocol({ maxFrameBytes: 10 }));
    const peer = await RawPeer.connect(port);
    const connection = await next();
    peer.write(Buffer.from([0xff, 0x00])); // announces 255 bytes, limit 10
    const end = await connection.closed;
    expect(end.reason).toBe('error');
    expect(end.error).toMatchObject({ code: 'FRAME_TOO_LARGE' });
    expect(connection.status).toBe('failed');
    await peer.waitForEnd();
    expect(peer.ended).toBe('fin');
  });

  it('drain() flushes the queue, sends the bye and half-closes', async () => {
    const { port, next } = await textServer(textProtocol({ bye: true }));
    const peer = await RawPeer.connect(port);
    const connection = await next();
    connection.send('last words');
    const closed = connection.drain();
    expect(connection.status).toBe('closing');
    expect(() => connection.send('too late')).toThrowError(expect.objectContaining({ code: 'CLOSED' }));
    await peer.waitForEnd();
    expect(peer.bytes.equals(Buffer.concat([textFrame('last words'), textFrame('BYE')]))).toBe(true);
    peer.end();
    expect(await closed).toEqual({ reason: 'drained' });
  });

  it("answers the peer's bye with its own and closes", async () => {
    const { port, next } = await textServer(textProtocol({ bye: true }));
    const peer = await RawPeer.connect(port);
    const connection = await next();
    peer.write(Buffer.concat([textFrame('hi'), textFrame('BYE'), textFrame('ignored')]));
    await peer.waitForEnd();
    expect(peer.bytes.equals(textFrame('BYE'))).toBe(true);
    peer.end();
    expect(await connection.closed).toEqual({ reason: 'peer-bye' });
  });

  it('close() is immediate and discards the queue', async () => {
    const { port, next } = await textServer();
    const peer = await RawPeer.connect(port);
    const connection = await next();
    connection.send('never sent');
    expect(await connection.close()).toEqual({ reason: 'local-close' });
    await peer.waitForEnd();
    expect(peer.bytes.length).toBe(0);
  });

  it('closes an idle connection after the idle timeout of the injected clock, and traffic postpones it', async () => {
    const clock = new ManualClock();
    const { port, next } = await textServer(textProtocol(), { idleTimeoutMs: 1_000, clock });
    const peer = await RawPeer.connect(port);
    const connection = await next();
    clock.advance(750);
    peer.write(textFrame('activity'));
    await eventually(() => connection.stats().framesIn === 1, 'the frame read');
    clock.advance(750);
    expect(connection.status).toBe('open');
    clock.advance(1_000);
    expect(connection.status).toBe('closing');
    await peer.waitForEnd();
    peer.end();
    expect(await connection.closed).toEqual({ reason: 'idle-timeout' });
  });

  it('ends an orderly close that the peer never answers when the close timeout passes', async () => {
    const clock = new ManualClock();
    const { port, next } = await textServer(textProtocol(), { closeTimeoutMs: 2_000, clock });
    const peer = await RawPeer.connect(port);
    const connection = await next();
    void connection.drain();
    await peer.waitForEnd();
    clock.advance(1_999);
    expect(connection.status).toBe('closing');
    clock.advance(1);
    expect(await connection.closed).toEqual({ reason: 'drained' });
    expect(connection.status).toBe('closed');
  });

  it('a server-sent preamble opens the client; wrong preamble bytes fail it', async () => {
    const good = await textServer(textProtocol({ handshake: 'preamble' }));
    const client = await dial(textProtocol({ handshake: 'preamble' }), { port: good.port });
    cleanups.push(() => client.close());
    const server = await good.next();
    server.send('after handshake');
    expect(await firstValueFrom(client.messages$)).toBe('after handshake');

    const liar = await rawServer((peer) => peer.write(Buffer.from([0, 0, 1, 0])));
    cleanups.push(() => liar.close());
    await expect(dial(textProtocol({ handshake: 'preamble' }), { port: liar.port })).rejects.toMatchObject({
      code: 'CONNECT_FAILED',
      cause: { code: 'BAD_HANDSHAKE' },
    });
  });

  it('delivers frames that arrive in the same chunk as the preamble', async () => {
    const raw = await rawServer((peer) => peer.write(Buffer.concat([Buffer.alloc(4), textFrame('a'), textFrame('b')])));
    cleanups.push(() => raw.close());
    const client = await dial(textProtocol({ handshake: 'preamble' }), { port: raw.port });
    cleanups.push(() => client.close());
    const got: string[] = [];
    client.messages$.subscribe((m) => got.push(m));
    await eventually(() => got.length === 2, 'both frames');
    expect(got).toEqual(['a', 'b']);
  });

  it('exchanges hellos: the responder learns the initiator id and answers with its own', async () => {
    const { port, next } = await textServer(textProtocol({ handshake: 'hello' }), { localId: 'engine-1' });
    const client = await dial(textProtocol({ handshake: 'hello' }), { port, connection: { localId: 'agent-7' } });
    cleanups.push(() => client.close());
    const server = await next();
    await server.whenOpen();
    expect(server.peerId).toBe('agent-7');
    expect(client.peerId).toBe('engine-1');
  });

  it('fails the handshake when no hello arrives in time', async () => {
    const clock = new ManualClock();
    const { port, next } = await textServer(textProtocol({ handshake: 'hello' }), { localId: 'engine', handshakeTimeoutMs: 100, clock });
    const peer = await RawPeer.connect(port);
    const connection = await next();
    clock.advance(100);
    const end = await connection.closed;
    expect(end.error).toMatchObject({ code: 'HANDSHAKE_TIMEOUT' });
    await peer.waitForEnd();
  });

  it('rejects a bad hello', async () => {
    const { port, next } = await textServer(textProtocol({ handshake: 'hello' }), { localId: 'engine' });
    const peer = await RawPeer.connect(port);
    const connection = await next();
    peer.write(textFrame('GREETINGS'));
    expect((await connection.closed).error).toMatchObject({ code: 'BAD_HANDSHAKE' });
  });
});

describe('Connection send queue with a peer that never reads', () => {
  async function stalledPair(options: ConnectionOptions) {
    const { port, next } = await textServer(textProtocol(), options);
    const peer = await RawPeer.connect(port);
    peer.socket.pause(); // never reads: the kernel buffers fill up, then the socket pushes back
    const connection = await next();
    return { peer, connection };
  }

  const matchesBackpressured = (c: Connection<string, string>): boolean =>
    (c.state as { open?: { sending?: string } }).open?.sending === 'backpressured';

  /** Sends 1 KiB frames until `stop` says so or 20 000 were tried, yielding to I/O now and then. */
  async function flood(connection: Connection<string, string>, stop: (accepted: boolean) => boolean): Promise<number> {
    const payload = 'x'.repeat(1024);
    for (let i = 0; i < 20_000; i++) {
      let accepted: boolean;
      try {
        accepted = connection.send(payload);
      } catch {
        return i;
      }
      if (stop(accepted)) return i;
      if (i % 64 === 0) await new Promise((r) => setImmediate(r));
    }
    return 20_000;
  }

  it('block: refuses sends once full, stays within its bound, and recovers when the peer reads', async () => {
    const maxQueuedBytes = 64 * 1024;
    const { peer, connection } = await stalledPair({ maxQueuedBytes, overflow: 'block' });
    await flood(connection, (accepted) => !accepted && matchesBackpressured(connection));
    expect(connection.state).toMatchObject({ open: { sending: 'backpressured' } });
    const stats = connection.stats();
    expect(stats.refusedSends).toBeGreaterThan(0);
    expect(stats.peakQueuedBytes).toBeLessThanOrEqual(maxQueuedBytes);
    const writable = connection.whenWritable();
    peer.socket.resume();
    await writable;
    await connection.sendAsync('after');
    await peer.waitForText('after', 10_000);
  });

  it('drop-oldest: evicts old frames and counts them', async () => {
    const { connection } = await stalledPair({ maxQueuedBytes: 16 * 1024, overflow: 'drop-oldest' });
    await flood(connection, () => connection.stats().droppedFrames > 100);
    const stats = connection.stats();
    expect(stats.droppedFrames).toBeGreaterThan(100);
    expect(stats.queuedBytes).toBeLessThanOrEqual(16 * 1024);
  });

  it('disconnect: drops the slow peer with SLOW_CONSUMER', async () => {
    const { connection } = await stalledPair({ maxQueuedBytes: 16 * 1024, overflow: 'disconnect' });
    await flood(connection, (accepted) => !accepted);
    const end = await connection.closed;
    expect(end.error).toMatchObject({ code: 'SLOW_CONSUMER' });
  });
});

describe('Connection frame timeout (a peer that starts a request and never finishes it)', () => {
  it('fails with FRAME_TIMEOUT when a started frame is not completed in time, on the injected clock', async () => {
    const clock = new ManualClock();
    const { port, next } = await textServer(textProtocol(), { frameTimeoutMs: 1_000, clock });
    const peer = await RawPeer.connect(port);
    const connection = await next();
    peer.write(Buffer.from([5])); // half a 2-byte header
    await eventually(() => connection.stats().bytesIn === 1, 'the half header read');
    clock.advance(999);
    expect(connection.status).toBe('open');
    clock.advance(1);
    const end = await connection.closed;
    expect(end.error).toMatchObject({ code: 'FRAME_TIMEOUT' });
    await peer.waitForEnd();
  });

  it('never cuts a peer that completes its frames, however slowly it starts the next, nor an idle one', async () => {
    const clock = new ManualClock();
    const { port, next } = await textServer(textProtocol(), { frameTimeoutMs: 1_000, clock });
    const peer = await RawPeer.connect(port);
    const connection = await next();
    const got: string[] = [];
    connection.messages$.subscribe((m) => got.push(m));
    const frame = textFrame('slow but steady');
    peer.write(frame.subarray(0, 3));
    await eventually(() => connection.stats().bytesIn === 3, 'the first part');
    clock.advance(900);
    peer.write(frame.subarray(3));
    await eventually(() => got.length === 1, 'the frame completed');
    clock.advance(5_000); // idle between frames: no frame started, no deadline
    expect(connection.status).toBe('open');
  });

  it('gives each frame its own time when frames stream back to back with one always in flight', async () => {
    const clock = new ManualClock();
    const { port, next } = await textServer(textProtocol(), { frameTimeoutMs: 1_000, clock });
    const peer = await RawPeer.connect(port);
    const connection = await next();
    const stream = Buffer.concat(['a', 'b', 'c', 'd'].map(textFrame));
    // Each write completes one frame and starts the next, so the decoder is never empty.
    const cuts = [4, 7, 10, 11];
    let from = 0;
    for (const cut of cuts) {
      peer.write(stream.subarray(from, cut));
      from = cut;
      await eventually(() => connection.stats().bytesIn === cut, `${cut} bytes read`);
      clock.advance(600);
      expect(connection.status).toBe('open');
    }
    expect(connection.stats().framesIn).toBe(3);
    // The last frame stalls: no frame completes for a whole period, and the connection is cut.
    clock.advance(2_000);
    expect((await connection.closed).error).toMatchObject({ code: 'FRAME_TIMEOUT' });
  });
});
