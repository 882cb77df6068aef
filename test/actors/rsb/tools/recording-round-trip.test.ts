import { mkdtempSync, rmSync, truncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bus } from '../../../../src/actors/bus/bus.js';
import { NatsBusTransport } from '../../../../src/actors/bus/transports/nats-transport.js';
import { Bus as BusClass } from '../../../../src/actors/bus/bus.js';
import type { RsbEvent } from '../../../../src/actors/rsb/event.js';
import { Informer } from '../../../../src/actors/rsb/informer.js';
import { Listener } from '../../../../src/actors/rsb/listener.js';
import { LocalServer } from '../../../../src/actors/rsb/local-server.js';
import { BusTap } from '../../../../src/actors/rsb/tools/bus-tap.js';
import { readRecording } from '../../../../src/actors/rsb/tools/recording-reader.js';
import { summariseRecording } from '../../../../src/actors/rsb/tools/recording-info.js';
import { RecordingPlayer } from '../../../../src/actors/rsb/tools/recording-player.js';
import { RecordingWriter } from '../../../../src/actors/rsb/tools/recording-writer.js';
import { decodeNotification, encodeNotification, EventId } from '../../../../src/protocols/rsb/index.js';
import { runPython } from '../../../helpers/cli.js';
import { eventually } from '../../../helpers/eventually.js';
import { natsServerAvailable, useNatsServer } from '../../../helpers/nats-server.js';
import { startClientBus, startServerBus } from '../../bus/helpers.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'actorwire-rec-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CAUSE = EventId.fromUuid('6b1a1c2e-1111-4222-8333-444455556666', 9);

/** Records what an informer publishes, plays it back under /x/, and checks what a listener hears. */
async function roundTrip(newBus: () => Promise<Bus>, file: string): Promise<void> {
  const [recordBus, sendBus, playBus, listenBus] = [await newBus(), await newBus(), await newBus(), await newBus()];
  const writer = await RecordingWriter.open(file);
  const tap = await BusTap.create(['/rec/', '/rec/a/'], { bus: recordBus });
  tap.notifications$.subscribe(({ notification, receiveTime }) => writer.write(notification, receiveTime));

  const informer = await Informer.create('/rec', { bus: sendBus });
  const sent = [
    await informer.publish('hello', { scope: '/rec/a', userInfos: { lang: 'ts' }, userTimes: { t: 1_700_000_000_000_000 } }),
    await informer.publish(41n, { scope: '/rec/b', method: 'SURVEY', causes: [CAUSE] }),
    await informer.publish(Uint8Array.of(0, 1, 2, 255), { scope: '/rec/a/deep' }),
  ];
  // Overlapping scopes (/rec/ and /rec/a/) record each event once.
  await eventually(() => writer.count === 3, 'three events recorded', 20_000);
  await tap.close();
  await writer.close();

  const summary = await summariseRecording(file);
  expect(summary.events).toBe(3);
  expect(summary.end.tail).toBe('none');
  expect(summary.scopes.map((s) => [s.name, s.events])).toEqual([
    ['/rec/a/', 1],
    ['/rec/a/deep/', 1],
    ['/rec/b/', 1],
  ]);
  expect(summary.wireSchemas.map((s) => s.name)).toEqual(['.*', 'int64', 'utf-8-string']);

  const listener = await Listener.create('/x/', { bus: listenBus });
  const heard: RsbEvent[] = [];
  const all = new Promise<void>((resolve) => listener.addHandler((e) => void (heard.push(e) === 3 && resolve())));
  const player = await RecordingPlayer.create({ bus: playBus });
  const result = await player.play(file, { rate: 1000, scopePrefix: '/x/' });
  expect(result).toMatchObject({ events: 3, skipped: 0, passes: 1 });
  await all;

  const originals: Array<ReturnType<typeof decodeNotification>> = [];
  await readRecording(file, (r) => void originals.push(decodeNotification(r.body)));
  expect(heard.map((e) => [e.scope.text, e.wireSchema, e.method ?? null])).toEqual([
    ['/x/rec/a/', 'utf-8-string', null],
    ['/x/rec/b/', 'int64', 'SURVEY'],
    ['/x/rec/a/deep/', '.*', null],
  ]);
  expect(heard[0].data).toBe('hello');
  expect(heard[1].data).toBe(41n);
  expect([...(heard[2].data as Uint8Array)]).toEqual([0, 1, 2, 255]);
  expect(heard[0].userInfos).toEqual({ lang: 'ts' });
  expect(heard[0].userTimes).toEqual({ t: 1_700_000_000_000_000 });
  expect(heard[1].causes.map((c) => c.toString())).toEqual([CAUSE.toString()]);
  heard.forEach((e, i) => {
    // Fresh ids from the player, the recorded create time, a new send time.
    expect(e.id.sender).toBe(player.senderId);
    expect(e.id.sequenceNumber).toBe(i);
    expect(e.id.sender).not.toBe(sent[i].sender);
    expect(e.createTime).toBe(originals[i].metaData!.createTime);
    expect(e.sendTime).toBeGreaterThanOrEqual(e.createTime);
  });
  await Promise.all([listener.close(), player.close(), informer.close()]);
  await Promise.all([recordBus, sendBus, playBus, listenBus].map((b) => b.close()));
}

describe('record -> play -> listener', () => {
  it('on a socket bus', { timeout: 30_000 }, async () => {
    const server = await startServerBus();
    await roundTrip(() => startClientBus(server), join(dir, 'socket.awrec'));
    await server.close();
  });

  describe.skipIf(!natsServerAvailable())('on NATS', () => {
    const nats = useNatsServer();
    it('the same', { timeout: 30_000 }, async () => {
      await roundTrip(() => BusClass.create('nats', (hooks) => NatsBusTransport.connect({ servers: [nats().url] }, hooks)), join(dir, 'nats.awrec'));
    });
  });
});

describe('an interrupted recording', () => {
  it('reads back to its last complete record, and is continued by --append after cutting the torn one', async () => {
    const server = await startServerBus();
    const file = join(dir, 'torn.awrec');
    const writer = await RecordingWriter.open(file);
    const informer = await Informer.create('/t', { bus: server });
    const tap = await BusTap.create(['/t/'], { bus: server });
    tap.notifications$.subscribe(({ notification, receiveTime }) => writer.write(notification, receiveTime));
    for (const text of ['one', 'two', 'three']) await informer.publish(text);
    await writer.close();
    // A crash in the middle of the last record's write.
    truncateSync(file, statSync(file).size - 3);

    const info = await summariseRecording(file);
    expect(info.events).toBe(2);
    expect(info.end.tail).toBe('incomplete');
    expect(info.end.trailingBytes).toBeGreaterThan(0);
    const texts: string[] = [];
    await readRecording(file, (r) => void texts.push(Buffer.from(decodeNotification(r.body).data).toString()));
    expect(texts).toEqual(['one', 'two']);

    const more = await RecordingWriter.open(file, { append: true });
    expect(more.continued).toMatchObject({ records: 2, tail: 'incomplete', validBytes: info.end.validBytes });
    tap.notifications$.subscribe(({ notification, receiveTime }) => more.write(notification, receiveTime));
    await informer.publish('four');
    await more.close();
    texts.length = 0;
    const end = await readRecording(file, (r) => void texts.push(Buffer.from(decodeNotification(r.body).data).toString()));
    expect(texts).toEqual(['one', 'two', 'four']);
    expect(end.tail).toBe('none');

    await expect(RecordingWriter.open(file)).rejects.toMatchObject({ code: 'EEXIST' });
    await Promise.all([tap.close(), informer.close()]);
    await server.close();
  });
});

describe('a recording of a byte-level peer (Python, from the spec)', () => {
  it('keeps its notifications: scopes, schemas, user infos and ids as it sent them', { timeout: 30_000 }, async () => {
    const bus = await startServerBus();
    const file = join(dir, 'python.awrec');
    const writer = await RecordingWriter.open(file);
    const tap = await BusTap.create([], { bus });
    tap.notifications$.subscribe(({ notification, receiveTime }) => writer.write(notification, receiveTime));
    const echo = await LocalServer.create('/ts/rpc', { bus });
    await echo.addMethod('echo', (data) => data);
    const peer = runPython('rsb_peer.py', ['127.0.0.1', String(bus.transport.address!.port)]);
    await peer.line(/"reply": "ping"/, 20_000);
    const done = await Informer.create('/ts/done', { bus });
    await done.publish(null);
    expect(await peer.exited).toBe(0);
    await Promise.all([tap.close(), echo.close(), done.close()]);
    await writer.close();
    await bus.close();

    const records: Array<{ body: Uint8Array; n: ReturnType<typeof decodeNotification> }> = [];
    const end = await readRecording(file, (r) => void records.push({ body: r.body, n: decodeNotification(r.body) }));
    expect(end.tail).toBe('none');
    const fromPeer = records.filter((r) => r.n.scope.text.startsWith('/py/') || r.n.method === 'REQUEST');
    expect(fromPeer.map((r) => [r.n.scope.text, r.n.wireSchema, r.n.method ?? null, r.n.eventId.sequenceNumber])).toEqual([
      ['/py/out/', 'utf-8-string', null, 0],
      ['/ts/rpc/echo/', 'utf-8-string', 'REQUEST', 1],
    ]);
    expect(fromPeer[0].n.eventId.sender).toBe(fromPeer[1].n.eventId.sender);
    expect(Buffer.from(fromPeer[0].n.data).toString()).toBe('hello from python');
    expect(fromPeer[0].n.metaData!.userInfos).toEqual([{ key: 'lang', value: 'py' }]);
    // The peer writes fields in field-number order, as protobuf serialisers do: the stored body
    // is the encoding it sent (re-encoding what we decoded changes no byte).
    for (const r of fromPeer) expect(Buffer.from(encodeNotification(r.n)).equals(Buffer.from(r.body))).toBe(true);
    const info = await summariseRecording(file);
    expect(info.scopes.map((s) => s.name)).toEqual(['/py/out/', '/ts/done/', '/ts/rpc/echo/']);
  });
});
