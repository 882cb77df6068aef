import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { dial } from '../../../src/actors/client.js';
import { MasepEngine, MasepInterface, type MasepEngineEvent } from '../../../src/actors/masep/index.js';
import { Action, Value, actionMessage, createMasepProtocol } from '../../../src/protocols/masep/index.js';
import { ProtocolError } from '../../../src/protocols/errors.js';
import { RawPeer } from '../../helpers/raw-peer.js';
import {
  LONG_GRID,
  LONG_GRID_TURNS,
  RawInterface,
  frame,
  moreSteps,
  nextEvent,
  pacedGreedy,
  parseFrames,
  playingEngine,
  raw,
  testGames,
} from './masep-test-kit.js';

const engines: MasepEngine[] = [];
afterEach(async () => {
  RawPeer.destroyAll();
  for (const engine of engines.splice(0)) await engine.stop();
});

async function setup(options: Parameters<typeof playingEngine>[0] = {}) {
  const started = await playingEngine(options);
  engines.push(started.engine);
  return started;
}

/** A raw interface past hello, DEFINE and REGISTER as an Observer. */
async function rawObserver(port: number, game = LONG_GRID): Promise<RawInterface> {
  const peer = await RawInterface.connect(port, randomUUID());
  await peer.hello();
  peer.send(raw.define(peer.id, game));
  peer.send(raw.register(peer.id, 'Observer'));
  return peer;
}

/** Expects one dropped message whose reason matches, then the game to go on. */
async function expectDroppedAndPlaying(engine: MasepEngine, dropped: Promise<MasepEngineEvent>, reason: RegExp) {
  const event = await dropped;
  expect(event.type === 'dropped' && event.reason).toMatch(reason);
  await moreSteps(engine, 3);
  expect(engine.phase).toBe('playing');
  expect(engine.stats().actors).toBe(2);
}

describe('MasepEngine against bad input', () => {
  it('reassembles a client stream split at every byte boundary', async () => {
    const { engine, port } = await setup();
    const peer = await RawPeer.connect(port);
    peer.socket.setNoDelay(true);
    const id = randomUUID();
    const stream = Buffer.concat([frame(id), frame(raw.define(id, LONG_GRID)), frame(raw.register(id, 'Observer'))]);
    const joined = nextEvent(engine.events$, 'joined', (e) => e.id === id);
    for (let i = 0; i < stream.length; i++) {
      await new Promise<void>((resolve) => peer.socket.write(stream.subarray(i, i + 1), () => resolve()));
    }
    expect((await joined).role).toBe('Observer');
    await peer.until((p) => parseFrames(p.bytes).frames.some((f) => f.includes('msg_type="observation"')), 5_000, 'an observation');
    await moreSteps(engine, 2);
  });

  it('drops a 65 535-byte garbage frame and refuses to send more than 65 535 bytes', async () => {
    const { engine, port } = await setup();
    const peer = await rawObserver(port);
    const dropped = nextEvent(engine.events$, 'dropped', (e) => e.id === peer.id);
    peer.send(Buffer.alloc(65_535, 0x41));
    await expectDroppedAndPlaying(engine, dropped, /malformed/);

    const id = randomUUID();
    const connection = await dial(createMasepProtocol(), { port, connection: { localId: id } });
    const huge = actionMessage(id, new Action(1, { blob: Value.str('x'.repeat(70_000)) }));
    let thrown: unknown;
    try {
      connection.send({ kind: 'message', message: huge });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ProtocolError);
    expect((thrown as ProtocolError).code).toBe('FRAME_TOO_LARGE');
    expect(connection.status).toBe('open');
    await connection.drain();
    await moreSteps(engine, 2);
  });

  it.each([
    ['malformed XML', (id: string) => `<Message msg_type="action" src_sub_app="${id}"><dict>`, /malformed/i],
    [
      'a DOCTYPE with entities',
      (id: string) =>
        `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><Message msg_type="quit" src_sub_app="${id}">&lol2;</Message>`,
      /DOCTYPE/,
    ],
    ['a missing msg_type', (id: string) => `<Message src_sub_app="${id}" />`, /msg_type/],
    ['a missing src_sub_app', () => `<Message msg_type="quit" />`, /src_sub_app/],
    ['params that are not a dict', (id: string) => `<Message msg_type="action" src_sub_app="${id}"><list /></Message>`, /not a <dict>/],
    [
      'a REGISTER without id',
      (id: string) => `<Message msg_type="register" src_sub_app="${id}"><dict><item key="role"><str>Actor</str></item></dict></Message>`,
      /missing id/,
    ],
    [
      'a REGISTER without role',
      (id: string) => `<Message msg_type="register" src_sub_app="${id}"><dict><item key="id"><str>${id}</str></item></dict></Message>`,
      /missing role/,
    ],
  ])('drops %s and keeps playing', async (_name, payload, reason) => {
    const { engine, port } = await setup();
    const peer = await RawInterface.connect(port, randomUUID());
    await peer.hello();
    peer.send(raw.define(peer.id, LONG_GRID));
    const dropped = nextEvent(engine.events$, 'dropped', (e) => e.id === peer.id);
    peer.send(payload(peer.id));
    await expectDroppedAndPlaying(engine, dropped, reason);
  });

  it('drops a message whose src_sub_app is another interface (spoofing)', async () => {
    const { engine, port, agents } = await setup();
    const peer = await rawObserver(port);
    const dropped = nextEvent(engine.events$, 'dropped', (e) => e.id === peer.id);
    peer.send(raw.move(agents[0].id, 'left'));
    await expectDroppedAndPlaying(engine, dropped, /src_sub_app/);
  });

  it('drops anything sent before DEFINE', async () => {
    const { engine, port } = await setup();
    const peer = await RawInterface.connect(port, randomUUID());
    await peer.hello();
    const dropped = nextEvent(engine.events$, 'dropped', (e) => e.id === peer.id);
    peer.send(raw.register(peer.id, 'Actor'));
    await expectDroppedAndPlaying(engine, dropped, /before DEFINE/);
    expect(engine.stats().interfaces).toBe(3);
  });

  it('drops an ACTION out of turn, then skips the silent player after the action timeout', async () => {
    const engine = new MasepEngine({ games: testGames, game: LONG_GRID_TURNS, port: 0, players: 2, actionTimeoutMs: 100, episodes: 1 });
    engines.push(engine);
    const { port } = await engine.listen();
    const outOfTurn = nextEvent(engine.events$, 'dropped', (e) => /out of turn/.test(e.reason));
    // The well-behaved player0 waits until the engine has dropped player1's early action.
    const agent = await MasepInterface.connect({
      game: LONG_GRID_TURNS,
      port,
      policy: async (observation) => {
        await outOfTurn;
        return pacedGreedy(observation);
      },
    });
    const peer = await RawInterface.connect(port, randomUUID());
    await peer.hello();
    peer.send(raw.define(peer.id, LONG_GRID_TURNS));
    const started = nextEvent(engine.events$, 'episode-started');
    peer.send(raw.register(peer.id, 'Actor'));
    expect((await started).players).toEqual(['player0', 'player1']);
    await peer.waitForFrame((f) => f.includes('msg_type="observation"'), 'first observation');
    peer.send(raw.move(peer.id, 'up'));
    expect((await outOfTurn).id).toBe(peer.id);
    const timeout = await nextEvent(engine.events$, 'timeout');
    expect(timeout.agents).toEqual(['player1']);
    await moreSteps(engine, 4);
    expect(agent.id).not.toBe(peer.id);
  });

  it('removes a silent Actor with end and BYE when the timeout policy is remove', async () => {
    const engine = new MasepEngine({
      games: testGames, game: LONG_GRID, port: 0, players: 2, actionTimeoutMs: 100, onActionTimeout: 'remove',
    });
    engines.push(engine);
    const { port } = await engine.listen();
    await MasepInterface.connect({ game: LONG_GRID, port, policy: pacedGreedy });
    const peer = await RawInterface.connect(port, randomUUID());
    await peer.hello();
    peer.send(raw.define(peer.id, LONG_GRID));
    peer.send(raw.register(peer.id, 'Actor'));
    const refused = await nextEvent(engine.events$, 'refused', (e) => e.id === peer.id);
    expect(refused.reason).toMatch(/did not act/);
    await peer.peer.waitForEnd();
    const frames = peer.frames;
    expect(frames.at(-1)).toBe('BYE');
    expect(frames.at(-2)).toBe(`<Message msg_type="end" src_sub_app="${engine.id}" />`);
    await moreSteps(engine, 3);
    expect(engine.stats().actors).toBe(1);
  });

  it('treats a peer that closes without BYE as a departure and plays on', async () => {
    const { engine, port } = await setup({ players: 2, agents: 2 });
    const peer = await RawInterface.connect(port, randomUUID());
    await peer.hello();
    peer.send(raw.define(peer.id, LONG_GRID));
    const joined = nextEvent(engine.events$, 'joined', (e) => e.id === peer.id);
    peer.send(raw.register(peer.id, 'Actor'));
    expect((await joined).agent).toBe('player2');
    const left = nextEvent(engine.events$, 'left', (e) => e.id === peer.id);
    peer.peer.end();
    expect((await left).reason).toMatch(/peer/);
    await moreSteps(engine, 3);
    expect(engine.stats().actors).toBe(2);
  });

  it('serves other clients while one holds its handshake, and closes the silent one on timeout', async () => {
    const { engine, port } = await setup({ handshakeTimeoutMs: 200 });
    const silent = await RawPeer.connect(port);
    const observer = await rawObserver(port);
    await observer.waitForFrame((f) => f.includes('msg_type="observation"'), 'an observation');
    await silent.waitForEnd();
    expect(silent.bytes.length).toBe(0);
    await moreSteps(engine, 2);
  });

  it.each([
    ['an invalid hello ident', Buffer.concat([frame('bad\u0001ident')])],
    ['a hello that is not UTF-8', frame(Buffer.from([0xff, 0xfe, 0x41]))],
    ['a zero-length frame after the hello', Buffer.concat([frame(randomUUID()), Buffer.from([0, 0])])],
  ])('closes a connection that sends %s and keeps playing', async (_name, bytes) => {
    const { engine, port } = await setup();
    const peer = await RawPeer.connect(port);
    peer.write(bytes);
    await peer.waitForEnd();
    await moreSteps(engine, 3);
    expect(engine.stats().actors).toBe(2);
    expect(engine.phase).toBe('playing');
  });

  it('refuses the (max+1)th client with hello, end, BYE and close', async () => {
    const { engine, port } = await setup({ maxConnections: 3 });
    await rawObserver(port);
    const extra = await RawInterface.connect(port, randomUUID());
    const engineHello = await extra.hello();
    expect(engineHello).toBe(engine.id);
    await extra.peer.waitForEnd();
    expect(extra.frames).toEqual([engine.id, `<Message msg_type="end" src_sub_app="${engine.id}" />`, 'BYE']);
    expect(engine.stats().refused).toBe(1);
    await moreSteps(engine, 3);
  });

  it('refuses a client with a duplicate ident and one that defines another game', async () => {
    const { engine, port, agents } = await setup();
    const twin = await RawInterface.connect(port, agents[0].id);
    await twin.hello();
    await twin.peer.waitForEnd();
    expect(twin.frames.slice(1)).toEqual([`<Message msg_type="end" src_sub_app="${engine.id}" />`, 'BYE']);
    const other = await RawInterface.connect(port, randomUUID());
    await other.hello();
    other.send(raw.define(other.id, 'evil.module.Game'));
    await other.peer.waitForEnd();
    expect(other.frames.at(-1)).toBe('BYE');
    await moreSteps(engine, 3);
    expect(engine.stats().actors).toBe(2);
  });
});

describe('MasepEngine against a stream of junk', () => {
  it('disconnects an interface after its error budget of malformed messages, and keeps playing', async () => {
    const { engine, port } = await setup();
    const peer = await rawObserver(port);
    await nextEvent(engine.events$, 'joined', (e) => e.id === peer.id);
    for (let i = 0; i < 50; i++) peer.send(Buffer.from('<a>'));
    await peer.peer.waitForEnd();
    expect(engine.stats().badPeersClosed).toBe(1);
    expect(engine.stats().messagesDropped).toBeLessThanOrEqual(50);
    await moreSteps(engine, 3);
    expect(engine.phase).toBe('playing');
  });
});
