import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TimeoutError } from '../../src/actors/errors.js';
import { DEMO_RUN_SPEC, ObeClient, ObeCommandError, ObeReplyError, ObeServer } from '../../src/obe/index.js';
import { rawServer } from '../helpers/raw-peer.js';

describe('ObeClient', () => {
  let server: ObeServer;
  let port: number;

  beforeAll(async () => {
    server = new ObeServer({ port: 0, run: { ...DEMO_RUN_SPEC, particles: 1000, seed: 3 }, startRun: false, onDone: 'end-run' });
    ({ port } = await server.start());
  });
  afterAll(() => server.stop());

  it.each(['per-command', 'persistent'] as const)('drives every command (%s)', async (mode) => {
    const obe = new ObeClient({ port, mode, timeoutMs: 10_000 });
    try {
      expect(await obe.ready()).toBe('OK');
      expect(await obe.newrun({ lolim: 2, hilim: 3, steps: 11 })).toBe('OK');
      expect((await obe.getset())[0]).toHaveLength(11);
      expect(await obe.getcon()).toEqual([]);
      expect(await obe.getwgt()).toHaveLength(1000);
      expect((await obe.getpar()).map((r) => r.length)).toEqual([1000, 1000, 1000]);
      expect(await obe.getpdf()).toEqual(await obe.getpar());
      const [particles, weights] = await obe.getpdfw();
      expect(particles).toEqual(await obe.getpar());
      expect(weights).toEqual(await obe.getwgt());
      const [f] = await obe.goodset(6);
      expect(f).toBeGreaterThanOrEqual(2);
      expect(await obe.optset()).toHaveLength(1);
      expect(await obe.goodset()).toHaveLength(1);
      expect(await obe.newdat([f], 0.99, 0.005)).toBe('OK');
      expect(await obe.getmean()).toHaveLength(3);
      expect(await obe.getstd()).toHaveLength(3);
      expect((await obe.getcov()).map((r) => r.length)).toEqual([3, 3, 3]);
      expect(await obe.done()).toBe('OK');
      const err = await obe.getmean().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ObeCommandError);
      expect(err).toMatchObject({ code: 'COMMAND_FAILED', remoteCode: 'NO_RUN', command: 'getmean' });
      await expect(obe.getpdfw()).rejects.toMatchObject({ code: 'COMMAND_FAILED', remoteCode: 'NO_RUN', command: 'getpdfw' });
      // Raw requests return error replies as values.
      expect(await obe.request({ command: 'READY' })).toMatchObject({ code: 'UNKNOWN_COMMAND', command: 'READY' });
    } finally {
      await obe.close();
    }
  });

  it('uses one connection in persistent mode and one per command otherwise', async () => {
    const before = server.stats().connectionsAccepted;
    const persistent = new ObeClient({ port, mode: 'persistent' });
    await Promise.all([persistent.ready(), persistent.ready(), persistent.ready()]);
    await persistent.close();
    expect(server.stats().connectionsAccepted - before).toBe(1);
    const perCommand = new ObeClient({ port });
    await perCommand.ready();
    await perCommand.ready();
    expect(server.stats().connectionsAccepted - before).toBe(3);
  });

  it('times out on a server that never answers, and reports one that hangs up', async () => {
    const silent = await rawServer(() => undefined);
    const hangUp = await rawServer((peer) => void peer.waitForBytes(10).then(() => peer.end()));
    try {
      const err = await new ObeClient({ port: silent.port, timeoutMs: 200 }).ready().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TimeoutError);
      expect(err).toMatchObject({ code: 'REPLY_TIMEOUT' });
      await expect(new ObeClient({ port: hangUp.port }).ready()).rejects.toThrow(ObeReplyError);
    } finally {
      await silent.close();
      await hangUp.close();
    }
  });
});
