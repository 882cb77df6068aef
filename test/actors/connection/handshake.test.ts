import { afterEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { Connection } from '../../../src/actors/connection/connection.js';
import { ConnectionTemplate } from '../../../src/actors/connection/connection-template.js';
import { handshakePlan, PreambleMatcher } from '../../../src/actors/connection/handshake-plan.js';
import type { ConnectionOptions } from '../../../src/actors/connection/options.js';
import { Server } from '../../../src/actors/server.js';
import { eventually } from '../../helpers/eventually.js';
import { ManualClock } from '../../helpers/manual-clock.js';
import { RawPeer, rawServer } from '../../helpers/raw-peer.js';
import { textFrame, textProtocol } from '../../helpers/test-protocols.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  RawPeer.destroyAll();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A server whose accepted connections are handed to the test, one at a time. */
async function serverOf(handshake: 'preamble' | 'hello', options: ConnectionOptions = {}) {
  const server = new Server({ protocol: textProtocol({ handshake }), connection: options });
  const accepted: Array<Connection<string, string>> = [];
  server.connections$.subscribe((c) => accepted.push(c));
  const { port } = await server.listen();
  cleanups.push(() => server.close());
  const next = async (): Promise<Connection<string, string>> => {
    await eventually(() => accepted.length > 0, 'a connection accepted');
    return accepted.shift()!;
  };
  return { port, next };
}

/** A client connection to `port`, wrapped before the socket has connected. */
function clientOf(port: number, handshake: 'preamble' | 'hello', options: ConnectionOptions = {}): Connection<string, string> {
  const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  const connection = Connection.fromClientSocket(socket, textProtocol({ handshake }), options);
  cleanups.push(() => connection.close());
  return connection;
}

describe('handshakes as data: each side, against a peer speaking bytes', () => {
  it('preamble sender (server): the four zero bytes go out first, before any frame', async () => {
    const { port, next } = await serverOf('preamble');
    const peer = await RawPeer.connect(port);
    const connection = await next();
    expect(connection.status).toBe('open');
    connection.send('first');
    await peer.waitForBytes(4 + textFrame('first').length);
    expect(peer.bytes).toEqual(Buffer.concat([Buffer.alloc(4), textFrame('first')]));
  });

  it('preamble receiver (client): takes the preamble one byte at a time, then the frames behind it in the same chunk', async () => {
    const raw = await rawServer((peer) => {
      peer.write(Buffer.alloc(1));
      peer.write(Buffer.alloc(1));
      peer.write(Buffer.alloc(1));
      peer.write(Buffer.concat([Buffer.alloc(1), textFrame('a'), textFrame('b')]));
    });
    cleanups.push(() => raw.close());
    const client = clientOf(raw.port, 'preamble');
    expect(client.status).toBe('connecting');
    const got: string[] = [];
    client.messages$.subscribe((m) => got.push(m));
    await client.whenOpen();
    await eventually(() => got.length === 2, 'both frames');
    expect(got).toEqual(['a', 'b']);
    expect(client.stats().bytesIn).toBe(4 + textFrame('a').length + textFrame('b').length);
  });

  it('preamble receiver: a wrong byte fails the handshake with its offset, and nothing is delivered', async () => {
    const raw = await rawServer((peer) => peer.write(Buffer.concat([Buffer.from([0, 0, 7, 0]), textFrame('x')])));
    cleanups.push(() => raw.close());
    const client = clientOf(raw.port, 'preamble');
    const got: string[] = [];
    client.messages$.subscribe((m) => got.push(m));
    const end = await client.closed;
    expect(end.reason).toBe('error');
    expect(end.error).toMatchObject({ code: 'BAD_HANDSHAKE', message: expect.stringMatching(/0x07 at offset 2/) });
    expect(got).toEqual([]);
    expect(client.status).toBe('failed');
  });

  it('hello initiator (client): its hello is the first frame, it opens on the peer hello and learns the id', async () => {
    let serverPeer: RawPeer | undefined;
    const raw = await rawServer((peer) => (serverPeer = peer));
    cleanups.push(() => raw.close());
    const client = clientOf(raw.port, 'hello', { localId: 'agent-7' });
    client.send('queued during the handshake');
    await eventually(() => serverPeer !== undefined, 'the raw server accepted');
    await serverPeer!.waitForBytes(textFrame('HELLO:agent-7').length);
    expect(serverPeer!.bytes).toEqual(textFrame('HELLO:agent-7'));
    expect(client.status).toBe('handshaking');
    serverPeer!.write(textFrame('HELLO:engine-1'));
    await client.whenOpen();
    expect(client.peerId).toBe('engine-1');
    const after = textFrame('HELLO:agent-7').length + textFrame('queued during the handshake').length;
    await serverPeer!.waitForBytes(after);
    expect(serverPeer!.bytes).toEqual(Buffer.concat([textFrame('HELLO:agent-7'), textFrame('queued during the handshake')]));
  });

  it('hello responder (server): waits for the hello, answers with its own bytes, then delivers', async () => {
    const { port, next } = await serverOf('hello', { localId: 'engine-1' });
    const peer = await RawPeer.connect(port);
    const connection = await next();
    expect(connection.state).toEqual({ handshaking: 'awaitingPeer' });
    connection.send('held until open');
    const got: string[] = [];
    connection.messages$.subscribe((m) => got.push(m));
    peer.write(Buffer.concat([textFrame('HELLO:agent-7'), textFrame('after hello')]));
    const answer = textFrame('HELLO:engine-1');
    await peer.waitForBytes(answer.length + textFrame('held until open').length);
    expect(peer.bytes).toEqual(Buffer.concat([answer, textFrame('held until open')]));
    expect(connection.peerId).toBe('agent-7');
    await eventually(() => got.length === 1, 'the frame after the hello');
    expect(got).toEqual(['after hello']);
  });

  it('hello responder: a first frame that is no hello fails with BAD_HANDSHAKE and no answer goes out', async () => {
    const { port, next } = await serverOf('hello', { localId: 'engine-1' });
    const peer = await RawPeer.connect(port);
    const connection = await next();
    peer.write(textFrame('GREETINGS'));
    expect((await connection.closed).error).toMatchObject({ code: 'BAD_HANDSHAKE' });
    await peer.waitForEnd();
    expect(peer.bytes.length).toBe(0);
  });

  it('times a handshake out on the injected clock, and not before', async () => {
    const clock = new ManualClock();
    const { port, next } = await serverOf('hello', { localId: 'engine', handshakeTimeoutMs: 1_000, clock });
    const peer = await RawPeer.connect(port);
    const connection = await next();
    clock.advance(999);
    expect(connection.status).toBe('handshaking');
    clock.advance(1);
    expect(connection.status).toBe('failed');
    expect((await connection.closed).error).toMatchObject({ code: 'HANDSHAKE_TIMEOUT' });
    await peer.waitForEnd();
  });

  it('a completed handshake cancels its deadline', async () => {
    const clock = new ManualClock();
    const { port, next } = await serverOf('hello', { localId: 'engine', handshakeTimeoutMs: 1_000, clock });
    const peer = await RawPeer.connect(port);
    const connection = await next();
    peer.write(textFrame('HELLO:agent'));
    await connection.whenOpen();
    expect(clock.holding).toBe(0);
    clock.advance(5_000);
    expect(connection.status).toBe('open');
  });

  it('a hello side without localId fails at once with HANDSHAKE_FAILED', async () => {
    const raw = await rawServer(() => undefined);
    cleanups.push(() => raw.close());
    const socket = connect({ host: '127.0.0.1', port: raw.port, allowHalfOpen: true });
    await new Promise((resolve) => socket.once('connect', resolve));
    const client = Connection.fromClientSocket(socket, textProtocol({ handshake: 'hello' }));
    expect((await client.closed).error).toMatchObject({ code: 'HANDSHAKE_FAILED' });
  });
});

describe('handshake plans', () => {
  it('derive who speaks, who waits and who answers from the protocol and the role', () => {
    const facts = (handshake: 'preamble' | 'hello' | undefined, role: 'client' | 'server') => {
      const plan = handshakePlan(textProtocol({ handshake }), role, 'me');
      return [plan.speaksFirst, plan.awaitsPeer, plan.answers];
    };
    expect(facts(undefined, 'server')).toEqual([false, false, false]);
    expect(facts('preamble', 'server')).toEqual([true, false, false]);
    expect(facts('preamble', 'client')).toEqual([false, true, false]);
    expect(facts('hello', 'client')).toEqual([true, true, false]);
    expect(facts('hello', 'server')).toEqual([false, true, true]);
  });

  it('encode the hello once per plan, so every connection of a server shares its bytes', () => {
    const template = new ConnectionTemplate(textProtocol({ handshake: 'hello' }), 'server', { localId: 'engine-1' });
    const first = template.handshake.greeting();
    expect(Buffer.from(first)).toEqual(textFrame('HELLO:engine-1'));
    expect(template.handshake.greeting()).toBe(first);
  });

  it('a preamble matcher takes only its own bytes from a chunk and reports the first wrong one', () => {
    const matcher = new PreambleMatcher(Uint8Array.of(1, 2, 3));
    expect(matcher.consume(Uint8Array.of(1))).toBe(1);
    expect(matcher.complete).toBe(false);
    expect(matcher.consume(Uint8Array.of(2, 3, 9, 9))).toBe(2);
    expect(matcher.complete).toBe(true);
    expect(() => new PreambleMatcher(Uint8Array.of(1, 2)).consume(Uint8Array.of(1, 5))).toThrowError(
      expect.objectContaining({ code: 'BAD_HANDSHAKE', message: expect.stringContaining('0x05 at offset 1') }),
    );
  });
});
