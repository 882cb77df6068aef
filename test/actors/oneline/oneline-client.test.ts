import { afterEach, describe, expect, it } from 'vitest';
import { OnelineClient } from '../../../src/actors/oneline/oneline-client.js';
import { eventually } from '../../helpers/eventually.js';
import { ManualClock } from '../../helpers/manual-clock.js';
import { RawPeer, rawServer } from '../../helpers/raw-peer.js';

/**
 * The peer here is a byte-level stand-in for the original Python server: it answers exactly what
 * the test scripts, so the client's behaviour towards each byte pattern is pinned down.
 */
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  RawPeer.destroyAll();
  for (const close of closers.splice(0)) await close();
});

async function scriptedServer(script: (peer: RawPeer) => void | Promise<void>) {
  const peers: RawPeer[] = [];
  const server = await rawServer((peer) => {
    peers.push(peer);
    void script(peer);
  });
  closers.push(server.close);
  return { port: server.port, peers };
}

/** Answers `ping` with `pong` and every other line with `ack:<line>`, like a well-behaved server. */
function echoServer(peer: RawPeer): void {
  let buffered = '';
  peer.socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('latin1');
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line === 'disconnect' || line === 'shutdown') peer.end();
      else peer.write(line === 'ping' ? 'pong\n' : `ack:${line}\n`);
    }
  });
}

/** A connected client and the server-side peer of its connection (an echo server). */
async function connectedToEchoServer(): Promise<{ server: RawPeer; client: OnelineClient }> {
  const { port, peers } = await scriptedServer(echoServer);
  const client = new OnelineClient({ port });
  expect(await client.connect()).toBe(true);
  return { server: peers[0], client };
}

describe('OnelineClient', () => {
  it('connects with ping/pong, sends commands with 0x0A, receives stripped lines, disconnects', async () => {
    const { port, peers } = await scriptedServer(echoServer);
    const client = new OnelineClient({ port });
    expect(await client.connect()).toBe(true);
    expect(client.connected).toBe(true);
    client.send('cmd01');
    expect(await client.recv()).toBe('ack:cmd01');
    client.send('ping\ncmd02'); // two commands in one send, as tp-006 does
    expect(await client.recv()).toBe('pong');
    expect(await client.recv()).toBe('ack:cmd02');
    await client.disconnect();
    expect(client.connected).toBe(false);
    expect(peers[0].text).toBe('ping\ncmd01\nping\ncmd02\ndisconnect\n');
  });

  it('strips whitespace as the Python client does (CRLF answers are fine)', async () => {
    const { port } = await scriptedServer(async (peer) => {
      await peer.waitForText('ping\n');
      peer.write(' pong\r\n\x1cspaced\x1f \t\r\n');
    });
    const client = new OnelineClient({ port });
    expect(await client.connect()).toBe(true);
    expect(await client.recv()).toBe('spaced');
  });

  it('returns false and closes the socket when the answer is not pong', async () => {
    const { port, peers } = await scriptedServer(async (peer) => {
      await peer.waitForText('ping\n');
      peer.write('PONG\n');
    });
    const client = new OnelineClient({ port });
    expect(await client.connect()).toBe(false);
    expect(client.connected).toBe(false);
    await peers[0].waitForEnd();
  });

  it('returns false when nothing answers within the deadline (a held second client)', async () => {
    const { port } = await scriptedServer(() => undefined);
    const client = new OnelineClient({ port, recvTimeoutMs: 200 });
    expect(await client.connect()).toBe(false);
  });

  it('returns false at once when nobody listens', async () => {
    const { port } = await scriptedServer(() => undefined);
    await closers.pop()!();
    const client = new OnelineClient({ port });
    expect(await client.connect()).toBe(false);
  });

  it('recv() gives "" on timeout and keeps a partial line until it is complete', async () => {
    const clock = new ManualClock();
    const { port, peers } = await scriptedServer(echoServer);
    const client = new OnelineClient({ port, clock });
    expect(await client.connect()).toBe(true);
    const waiting = client.recv(100);
    peers[0].write('ab');
    // The partial line is in the client (pong\n, then ab) before its deadline comes.
    await eventually(() => client.stats().bytesIn === 7, 'the partial line reaching the client');
    clock.advance(100);
    expect(await waiting).toBe('');
    peers[0].write('c\n');
    expect(await client.recv()).toBe('abc');
  });

  it('sees the server going away: recv gives "" at once and connected turns false', async () => {
    const { server, client } = await connectedToEchoServer();
    server.end();
    expect(await client.recv(10_000)).toBe('');
    await eventually(() => !client.connected, 'the client seeing the close');
    expect(client.connected).toBe(false);
    expect(() => client.send('x')).toThrowError(expect.objectContaining({ code: 'CLOSED' }));
  });

  it('decodes bad UTF-8 in a response with replacement characters', async () => {
    const { server, client } = await connectedToEchoServer();
    server.write(Buffer.from([0x61, 0xff, 0x62, 0x0a]));
    expect(await client.recv()).toBe('a\ufffdb');
  });

  it('connect() on a connected client disconnects first, as the original does', async () => {
    const { port, peers } = await scriptedServer(echoServer);
    const client = new OnelineClient({ port });
    expect(await client.connect()).toBe(true);
    expect(await client.connect()).toBe(true);
    await peers[0].waitForEnd();
    expect(peers[0].text).toBe('ping\ndisconnect\n');
    await client.shutdown();
    expect(peers[1].text).toBe('ping\nshutdown\n');
  });
});
