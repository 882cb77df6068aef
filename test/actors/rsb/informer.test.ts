import { describe, expect, it } from 'vitest';
import { Informer } from '../../../src/actors/rsb/informer.js';
import { EventId, Scope, decodeNotification, int32, nowMicros, type Notification } from '../../../src/protocols/rsb/index.js';
import { RawPeer } from '../../helpers/raw-peer.js';
import { startServerBus } from '../bus/helpers.js';

function capture(informer: Informer): Notification[] {
  const seen: Notification[] = [];
  informer.bus.subscribe(Scope.ROOT, (n) => seen.push(n));
  return seen;
}

describe('Informer', () => {
  it('numbers events from 0 with its own participant id', async () => {
    const informer = await Informer.create('/demo/strings', { transport: 'inprocess' });
    const other = await Informer.create('/demo/strings', { transport: 'inprocess' });
    const seen = capture(informer);
    const ids = [await informer.publish('a'), await informer.publish('b'), await other.publish('c')];
    expect(ids.map((id) => id.sequenceNumber)).toEqual([0, 1, 0]);
    expect(ids[0].sender).toBe(informer.id);
    expect(ids[2].sender).toBe(other.id);
    expect(informer.id).not.toBe(other.id);
    expect(informer.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(seen.map((n) => n.eventId.equals(ids[seen.indexOf(n)]))).toEqual([true, true, true]);
    await Promise.all([informer.close(), other.close()]);
  });

  it('sets create and send times in microseconds, and carries method, causes, user infos and times', async () => {
    const informer = await Informer.create('/demo', { transport: 'inprocess' });
    const seen = capture(informer);
    const before = nowMicros();
    const cause = EventId.fromUuid('bf948d47-618f-4b04-aac5-0ab5a1a79267', 378);
    await informer.publish(41n, { scope: '/demo/sub', method: 'SURVEY', causes: [cause], userInfos: { lang: 'ts' }, userTimes: { t0: 1_700_000_000_000_000 } });
    const after = nowMicros();
    const n = seen[0];
    expect(n.scope.text).toBe('/demo/sub/');
    expect(n.method).toBe('SURVEY');
    expect(n.wireSchema).toBe('int64');
    expect([...n.data]).toEqual([0x29, 0, 0, 0, 0, 0, 0, 0]);
    expect(n.causes).toHaveLength(1);
    expect(n.causes[0].equals(cause)).toBe(true);
    expect(n.metaData!.userInfos).toEqual([{ key: 'lang', value: 'ts' }]);
    expect(n.metaData!.userTimes).toEqual([{ key: 't0', timestamp: 1_700_000_000_000_000 }]);
    expect(n.metaData!.createTime).toBeGreaterThanOrEqual(before);
    expect(n.metaData!.sendTime).toBeGreaterThanOrEqual(n.metaData!.createTime);
    expect(n.metaData!.sendTime).toBeLessThanOrEqual(after);
    await informer.close();
  });

  it('uses the explicit JS value mapping and tagged values for wire schemas', async () => {
    const informer = await Informer.create('/m', { transport: 'inprocess' });
    const seen = capture(informer);
    for (const value of ['s', true, 1.5, 2n, new Uint8Array([1]), null, Scope.parse('/a/b'), int32(-1)]) await informer.publish(value);
    await informer.publish(7, { wireSchema: 'uint32' });
    expect(seen.map((n) => n.wireSchema)).toEqual(['utf-8-string', 'bool', 'double', 'int64', '.*', 'void', 'scope', 'int32', 'uint32']);
    expect(Buffer.from(seen[6].data).toString()).toBe('/a/b/');
    await informer.close();
  });

  it('refuses scopes outside its own and non-ASCII methods', async () => {
    const informer = await Informer.create('/a', { transport: 'inprocess' });
    await expect(informer.publish('x', { scope: '/b' })).rejects.toMatchObject({ code: 'RSB_INVALID_SCOPE' });
    await expect(informer.publish('x', { scope: '/a/ü' })).rejects.toMatchObject({ code: 'RSB_INVALID_SCOPE' });
    await expect(informer.publish('x', { method: 'RÉPLY' })).rejects.toMatchObject({ code: 'RSB_NOT_ASCII' });
    await expect(informer.publish('x', { userInfos: { 'clé': 'v' } })).rejects.toMatchObject({ code: 'RSB_NOT_ASCII' });
    await informer.close();
    await expect(informer.publish('x')).rejects.toMatchObject({ code: 'RSB_PARTICIPANT_CLOSED' });
  });

  it('writes each event as one frame in the spec layout to the bus clients', async () => {
    const server = await startServerBus();
    const peer = await RawPeer.connect(server.transport.address!.port);
    await peer.waitForBytes(4);
    const informer = await Informer.create('/demo/strings', { bus: server });
    await informer.publish('hello', { userInfos: { lang: 'py' } });
    await peer.until((p) => p.bytes.length >= 8 && p.bytes.length >= 8 + p.bytes.readUInt32LE(4));
    const length = peer.bytes.readUInt32LE(4);
    const body = peer.bytes.subarray(8, 8 + length);
    // scope, wire schema and data first, in field order, as rsb-python writes them.
    expect(body.subarray(0, 2 + 14 + 2 + 12 + 2 + 5).toString('latin1')).toBe('\x32\x0e/demo/strings/\x3a\x0cutf-8-string\x4a\x05hello');
    const decoded = decodeNotification(body);
    expect(decoded.eventId.sender).toBe(informer.id);
    expect(decoded.metaData!.userInfos).toEqual([{ key: 'lang', value: 'py' }]);
    await informer.close();
    peer.reset();
    await server.close();
  });
});
