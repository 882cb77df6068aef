import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { RemoteCallError } from '../../../src/actors/rsb/errors.js';
import { Informer } from '../../../src/actors/rsb/informer.js';
import { Listener } from '../../../src/actors/rsb/listener.js';
import { LocalServer } from '../../../src/actors/rsb/local-server.js';
import { RemoteServer } from '../../../src/actors/rsb/remote-server.js';
import { TimeoutError } from '../../../src/actors/errors.js';
import { Scope, int32 } from '../../../src/protocols/rsb/index.js';
import { startClientBus, startServerBus } from '../bus/helpers.js';

const inprocess = { transport: 'inprocess' as const };

describe('LocalServer / RemoteServer', () => {
  it('puts REQUEST and REPLY on S/m/, with the reply caused by the request', async () => {
    const server = await LocalServer.create('/demo/rpc', inprocess);
    await server.addMethod('echoString', (data) => data);
    const spy = await Listener.create('/demo/rpc', inprocess);
    const trace = firstValueFrom(spy.events$.pipe(take(2), toArray()));
    const remote = await RemoteServer.create('/demo/rpc', inprocess);
    expect(await remote.call('echoString', 'hi')).toBe('hi');
    const [request, reply] = await trace;
    expect(request.scope.text).toBe('/demo/rpc/echoString/');
    expect(request.method).toBe('REQUEST');
    expect(reply.scope.text).toBe('/demo/rpc/echoString/');
    expect(reply.method).toBe('REPLY');
    expect(reply.causes).toHaveLength(1);
    expect(reply.causes[0].equals(request.id)).toBe(true);
    expect(reply.id.sender).not.toBe(request.id.sender);
    await Promise.all([server.close(), remote.close(), spy.close()]);
  });

  it('passes payloads of every fundamental type, and void both ways', async () => {
    const server = await LocalServer.create('/types', inprocess);
    await server.addMethod('echo', (data) => data);
    await server.addMethod('addone', (data) => (data as bigint) + 1n);
    await server.addMethod('nothing', () => undefined);
    const remote = await RemoteServer.create('/types', inprocess);
    expect(await remote.call('addone', 41n)).toBe(42n);
    expect(await remote.call('echo', 1e300)).toBe(1e300);
    expect(await remote.call('echo', true)).toBe(true);
    expect((await remote.call('echo', Scope.parse('/a/b'))) as Scope).toBe(Scope.parse('/a/b/'));
    expect([...((await remote.call('echo', Uint8Array.of(1, 2, 3))) as Uint8Array)]).toEqual([1, 2, 3]);
    expect(await remote.call('echo', int32(-1))).toBe(-1);
    expect(await remote.call('nothing')).toBeNull();
    const reply = await remote.callForEvent('nothing', null);
    expect(reply.wireSchema).toBe('void');
    await Promise.all([server.close(), remote.close()]);
  });

  it('turns a failing method into an error reply with rsb:error?, and the call into a RemoteCallError', async () => {
    const server = await LocalServer.create('/err', inprocess);
    await server.addMethod('error', () => {
      throw new Error('intentional error');
    });
    await server.addMethod('rejects', async () => Promise.reject(new Error('later')));
    const spy = await Listener.create('/err/error', { ...inprocess, filters: [(e) => e.method === 'REPLY'] });
    const replyEvent = firstValueFrom(spy.events$);
    const remote = await RemoteServer.create('/err', inprocess);
    const failure = await remote.call('error').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RemoteCallError);
    expect(failure).toMatchObject({ code: 'RSB_REMOTE_ERROR', message: 'intentional error' });
    const reply = await replyEvent;
    expect(reply.userInfos).toEqual({ 'rsb:error?': '1' });
    expect(reply.wireSchema).toBe('utf-8-string');
    await expect(remote.call('rejects')).rejects.toMatchObject({ message: 'later' });
    await Promise.all([server.close(), remote.close(), spy.close()]);
  });

  it('treats the presence of rsb:error? as the error marker, whatever its value (rsb-cpp sends "")', async () => {
    const remote = await RemoteServer.create('/cpp', inprocess);
    const fakeServer = await Listener.create('/cpp/m', { ...inprocess, filters: [(e) => e.method === 'REQUEST'] });
    const informer = await Informer.create('/cpp/m', inprocess);
    fakeServer.addHandler((request) => {
      void informer.publish('std::runtime_error: bad', { method: 'REPLY', causes: [request.id], userInfos: { 'rsb:error?': '' } });
    });
    await expect(remote.call('m')).rejects.toMatchObject({ code: 'RSB_REMOTE_ERROR', message: 'std::runtime_error: bad' });
    await Promise.all([remote.close(), fakeServer.close(), informer.close()]);
  });

  it('times out with a clear TimeoutError when no server has the method', async () => {
    const server = await LocalServer.create('/t', inprocess);
    await server.addMethod('known', () => 1);
    const remote = await RemoteServer.create('/t', { ...inprocess, timeoutMs: 30 });
    const error = await remote.call('unknown').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'RSB_CALL_TIMEOUT', message: expect.stringContaining('/t/unknown/') });
    await Promise.all([server.close(), remote.close()]);
  });

  it('matches concurrent calls to their replies by cause, ignoring replies to other callers', async () => {
    const serverBus = await startServerBus();
    const clientA = await startClientBus(serverBus);
    const clientB = await startClientBus(serverBus);
    const server = await LocalServer.create('/c', { bus: serverBus });
    // Replies in reverse arrival order of their requests, to defeat any FIFO assumption.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let arrived = 0;
    await server.addMethod('slowEcho', async (data) => {
      const mine = ++arrived;
      if (mine === 40) release();
      await gate;
      if (mine % 2 === 0) await Promise.resolve();
      return data;
    });
    const a = await RemoteServer.create('/c', { bus: clientA });
    const b = await RemoteServer.create('/c', { bus: clientB });
    const calls = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).call('slowEcho', BigInt(i)));
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 40 }, (_, i) => BigInt(i)));
    await Promise.all([server.close(), a.close(), b.close()]);
    await Promise.all([clientA.close(), clientB.close()]);
    await serverBus.close();
  });

  it('takes the first reply when several servers serve the same method', async () => {
    const one = await LocalServer.create('/dup', inprocess);
    const two = await LocalServer.create('/dup', inprocess);
    await one.addMethod('who', () => 'one');
    await two.addMethod('who', () => 'two');
    const remote = await RemoteServer.create('/dup', inprocess);
    expect(['one', 'two']).toContain(await remote.call('who'));
    await Promise.all([one.close(), two.close(), remote.close()]);
  });

  it('rejects method names that are not scope components', async () => {
    const server = await LocalServer.create('/bad', inprocess);
    await expect(server.addMethod('no spaces', () => 1)).rejects.toMatchObject({ code: 'RSB_INVALID_SCOPE' });
    const remote = await RemoteServer.create('/bad', inprocess);
    await expect(remote.call('ä')).rejects.toMatchObject({ code: 'RSB_INVALID_SCOPE' });
    await Promise.all([server.close(), remote.close()]);
  });

  it('fails calls in flight with BUS_CLOSED when the bus server goes away', async () => {
    const serverBus = await startServerBus();
    const client = await startClientBus(serverBus);
    const remote = await RemoteServer.create('/gone', { bus: client });
    const call = remote.call('m', 'x').catch((e: unknown) => e);
    await serverBus.close();
    expect(await call).toMatchObject({ code: 'BUS_CLOSED' });
    await remote.close();
  });
});
