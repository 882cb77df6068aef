import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Informer } from '../../../src/actors/rsb/informer.js';
import { Listener } from '../../../src/actors/rsb/listener.js';
import type { RsbEvent } from '../../../src/actors/rsb/event.js';
import { EventId, RawPayload, Scope, encodeNotificationFrame, nowMicros } from '../../../src/protocols/rsb/index.js';
import { RawPeer } from '../../helpers/raw-peer.js';
import { startClientBus, startServerBus } from '../bus/helpers.js';

const inprocess = { transport: 'inprocess' as const };

describe('Listener', () => {
  it('receives events on its scope and sub-scopes, decoded, with ids, times and user data', async () => {
    const listener = await Listener.create('/demo', inprocess);
    const deep = await Listener.create('/demo/a/b', inprocess);
    const sibling = await Listener.create('/demo/x', inprocess);
    const siblingSeen: RsbEvent[] = [];
    sibling.events$.subscribe((e) => siblingSeen.push(e));
    const events = firstValueFrom(listener.events$.pipe(take(2), toArray()));
    const deepEvent = firstValueFrom(deep.events$);
    const informer = await Informer.create('/demo', inprocess);
    const id = await informer.publish(41n, { scope: '/demo/a/b', userInfos: { k: 'v' }, userTimes: { t: 5 } });
    await informer.publish('second');
    const [first, second] = await events;
    expect(first.id.equals(id)).toBe(true);
    expect(first.scope.text).toBe('/demo/a/b/');
    expect(first.data).toBe(41n);
    expect(first.wireSchema).toBe('int64');
    expect(first.userInfos).toEqual({ k: 'v' });
    expect(first.userTimes).toEqual({ t: 5 });
    expect(first.receiveTime).toBeGreaterThanOrEqual(first.sendTime);
    expect(first.deliverTime).toBeGreaterThanOrEqual(first.receiveTime);
    expect(second.data).toBe('second');
    expect((await deepEvent).id.equals(id)).toBe(true);
    expect(siblingSeen).toEqual([]);
    await Promise.all([listener.close(), deep.close(), sibling.close(), informer.close()]);
  });

  it('calls handlers in order and survives a handler that throws or rejects', async () => {
    const listener = await Listener.create('/h', inprocess);
    const calls: string[] = [];
    listener.addHandler(() => {
      throw new Error('sync failure');
    });
    listener.addHandler(async () => {
      throw new Error('async failure');
    });
    const remove = listener.addHandler((e) => void calls.push(`a:${String(e.data)}`));
    listener.addHandler((e) => void calls.push(`b:${String(e.data)}`));
    const informer = await Informer.create('/h', inprocess);
    await informer.publish('1');
    remove();
    await informer.publish('2');
    expect(calls).toEqual(['a:1', 'b:1', 'b:2']);
    await Promise.all([listener.close(), informer.close()]);
  });

  it('delivers an unknown wire schema as raw bytes and drops only an undecodable payload', async () => {
    const server = await startServerBus();
    const listener = await Listener.create('/', { bus: server });
    const got = firstValueFrom(listener.events$.pipe(take(2), toArray()));
    const peer = await RawPeer.connect(server.transport.address!.port);
    await peer.waitForBytes(4);
    const base = {
      eventId: EventId.fromUuid('d8fbfef4-4eb0-4c89-9716-c425ded3c527', 0),
      scope: Scope.parse('/odd'),
      causes: [],
      metaData: { createTime: nowMicros(), sendTime: nowMicros(), userInfos: [], userTimes: [] },
    };
    peer.write(encodeNotificationFrame({ ...base, wireSchema: '.x.Unknown', data: Uint8Array.of(1, 2) }));
    peer.write(encodeNotificationFrame({ ...base, wireSchema: 'bool', data: Uint8Array.of(7) })); // not 00/01
    peer.write(encodeNotificationFrame({ ...base, wireSchema: 'uint32', data: Uint8Array.of(255, 255, 255, 255) }));
    const [unknown, uint] = await got;
    expect(unknown.data).toBeInstanceOf(RawPayload);
    expect((unknown.data as RawPayload).wireSchema).toBe('.x.Unknown');
    expect([...(unknown.data as RawPayload).data]).toEqual([1, 2]);
    expect(uint.data).toBe(4294967295);
    expect(peer.ended).toBeUndefined();
    peer.reset();
    await listener.close();
    await server.close();
  });

  it("tolerates rsb-cpp's extra user info rsb.wire-schema", async () => {
    const listener = await Listener.create('/cpp', inprocess);
    const got = firstValueFrom(listener.events$);
    const informer = await Informer.create('/cpp', inprocess);
    await informer.publish('from c++', { userInfos: { 'rsb.wire-schema': 'utf-8-string' } });
    const event = await got;
    expect(event.data).toBe('from c++');
    expect(event.userInfos['rsb.wire-schema']).toBe('utf-8-string');
    await Promise.all([listener.close(), informer.close()]);
  });

  it('tolerates /__rsb/introspection/ traffic: forwarded by the server, never decoded unless covered', async () => {
    const server = await startServerBus();
    const client = await startClientBus(server);
    const user = await Listener.create('/demo', { bus: client });
    const introspection = await Listener.create('/__rsb/introspection', { bus: client });
    const userSeen: RsbEvent[] = [];
    user.events$.subscribe((e) => userSeen.push(e));
    const hello = firstValueFrom(introspection.events$);
    const peer = await RawPeer.connect(server.transport.address!.port);
    await peer.waitForBytes(4);
    const now = nowMicros();
    peer.write(
      encodeNotificationFrame({
        eventId: EventId.fromUuid('d8fbfef4-4eb0-4c89-9716-c425ded3c527', 0),
        scope: Scope.parse('/__rsb/introspection/participants/d8fbfef4-4eb0-4c89-9716-c425ded3c527'.replace(/-/g, '_')),
        wireSchema: '.rsb.protocol.introspection.Hello',
        data: Uint8Array.of(0x0a, 0x01, 0x41),
        causes: [],
        metaData: { createTime: now, sendTime: now, userInfos: [], userTimes: [] },
      }),
    );
    const event = await hello;
    expect(event.data).toBeInstanceOf(RawPayload);
    expect(userSeen).toEqual([]);
    expect(client.status).toBe('open');
    peer.reset();
    await Promise.all([user.close(), introspection.close()]);
    await client.close();
    await server.close();
  });

  it('completes events$ when closed, and errors with BUS_CLOSED when the bus server goes away', async () => {
    const server = await startServerBus();
    const client = await startClientBus(server);
    const lost = await Listener.create('/', { bus: client });
    const closedOk = await Listener.create('/', { transport: 'inprocess' });
    const completion = firstValueFrom(closedOk.events$, { defaultValue: 'completed' });
    await closedOk.close();
    expect(await completion).toBe('completed');
    const failure = firstValueFrom(lost.events$).catch((err: unknown) => err);
    await server.close();
    expect(await failure).toMatchObject({ code: 'BUS_CLOSED' });
    await lost.close();
  });
});
