import { describe, expect, it } from 'vitest';
import { acquireBus } from '../../../src/actors/bus/bus-registry.js';
import { Informer } from '../../../src/actors/rsb/informer.js';
import { Listener } from '../../../src/actors/rsb/listener.js';
import { RemoteServer } from '../../../src/actors/rsb/remote-server.js';

describe('a bus counts the participants of its process', () => {
  it('by kind and scope, from creation until close; RPC servers show as what they are made of', async () => {
    const lease = await acquireBus({ transport: 'inprocess' });
    try {
      const bus = lease.bus;
      const informers = await Promise.all([Informer.create('/p/a/', { bus }), Informer.create('/p/a/', { bus })]);
      const listener = await Listener.create('/p/', { bus });
      const remote = await RemoteServer.create('/p/service/', { bus });
      const byKey = () => Object.fromEntries(bus.participants().map((p) => [`${p.kind} ${p.scope}`, p.count]));
      expect(byKey()).toMatchObject({ 'informer /p/a/': 2, 'listener /p/': 1 });
      await Promise.all([...informers.map((i) => i.close()), informers[0].close()]);
      await listener.close();
      await remote.close();
      expect(bus.participants()).toEqual([]);
    } finally {
      await lease.release();
    }
  });
});
