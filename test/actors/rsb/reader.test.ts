import { describe, expect, it } from 'vitest';
import { Informer } from '../../../src/actors/rsb/informer.js';
import { Reader } from '../../../src/actors/rsb/reader.js';
import { startClientBus, startServerBus } from '../bus/helpers.js';

describe('Reader', () => {
  it.each([
    ['drop-oldest', [7, 8, 9], 7],
    ['drop-newest', [0, 1, 2], 7],
  ] as const)('keeps at most maxPending events (%s) and counts the dropped ones', async (overflow, kept, dropped) => {
    const reader = await Reader.create('/bound', { transport: 'inprocess', maxPending: 3, overflow });
    const informer = await Informer.create('/bound', { transport: 'inprocess' });
    for (let i = 0; i < 10; i++) await informer.publish(i);
    expect(reader.pending).toBe(3);
    expect(reader.dropped).toBe(dropped);
    const got = [];
    for (let i = 0; i < 3; i++) got.push((await reader.read())?.data);
    expect(got).toEqual(kept);
    await Promise.all([reader.close(), informer.close()]);
  });

  it("'error' policy: the reader stops, what waited is still read, then reads fail with QUEUE_FULL", async () => {
    const reader = await Reader.create('/bound-error', { transport: 'inprocess', maxPending: 2, overflow: 'error' });
    const informer = await Informer.create('/bound-error', { transport: 'inprocess' });
    for (let i = 0; i < 5; i++) await informer.publish(i);
    expect((await reader.read())?.data).toBe(0);
    expect((await reader.read())?.data).toBe(1);
    await expect(reader.read()).rejects.toMatchObject({ code: 'QUEUE_FULL' });
    await informer.close();
  });

  it('stays bounded under a flood a slow consumer never catches up with (the default policy)', async () => {
    const reader = await Reader.create('/flood', { transport: 'inprocess', maxPending: 100 });
    const informer = await Informer.create('/flood', { transport: 'inprocess' });
    for (let i = 0; i < 20_000; i++) await informer.publish(i);
    expect(reader.pending).toBe(100);
    expect(reader.dropped).toBe(19_900);
    expect((await reader.read())?.data).toBe(19_900);
    await Promise.all([reader.close(), informer.close()]);
  });

  it('queues events until read, in order', async () => {
    const reader = await Reader.create('/r', { transport: 'inprocess' });
    const informer = await Informer.create('/r', { transport: 'inprocess' });
    for (const v of ['a', 'b', 'c']) await informer.publish(v);
    expect(reader.pending).toBe(3);
    expect((await reader.read())?.data).toBe('a');
    expect((await reader.read())?.data).toBe('b');
    expect((await reader.read())?.data).toBe('c');
    await Promise.all([reader.close(), informer.close()]);
  });

  it('waits for the next event, and times out with RSB_READ_TIMEOUT', async () => {
    const reader = await Reader.create('/r', { transport: 'inprocess' });
    const informer = await Informer.create('/r', { transport: 'inprocess' });
    const next = reader.read();
    await informer.publish(1.5);
    expect((await next)?.data).toBe(1.5);
    await expect(reader.read(20)).rejects.toMatchObject({ code: 'RSB_READ_TIMEOUT' });
    await Promise.all([reader.close(), informer.close()]);
  });

  it('iterates with for await until closed', async () => {
    const reader = await Reader.create('/r', { transport: 'inprocess' });
    const informer = await Informer.create('/r', { transport: 'inprocess' });
    for (let i = 0; i < 5; i++) await informer.publish(BigInt(i));
    const seen: unknown[] = [];
    for await (const event of reader) {
      seen.push(event.data);
      if (seen.length === 3) await reader.close();
    }
    expect(seen).toEqual([0n, 1n, 2n, 3n, 4n]);
    await informer.close();
  });

  it('rejects reads with BUS_CLOSED once the bus server is gone', async () => {
    const server = await startServerBus();
    const client = await startClientBus(server);
    const reader = await Reader.create('/', { bus: client });
    const pending = reader.read().catch((err: unknown) => err);
    await server.close();
    expect(await pending).toMatchObject({ code: 'BUS_CLOSED' });
    await expect(reader.read()).rejects.toMatchObject({ code: 'BUS_CLOSED' });
    await reader.close();
  });
});
