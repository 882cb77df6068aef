import { describe, expect, it } from 'vitest';
import { firstValueFrom, toArray } from 'rxjs';
import { createInProcessLinks } from '../../../src/actors/masep/index.js';
import { encodeMessage, quitMessage, endMessage } from '../../../src/protocols/masep/index.js';

describe('createInProcessLinks', () => {
  it('crosses the idents and keeps messages that arrive before anyone subscribes', async () => {
    const { a, b } = createInProcessLinks({ aId: 'iface', bId: 'engine' });
    expect(a.peerId).toBe('engine');
    expect(b.peerId).toBe('iface');
    a.send({ kind: 'message', message: quitMessage('iface') });
    a.send({ kind: 'payload', payload: encodeMessage(endMessage('iface')) });
    const received = firstValueFrom(b.messages$.pipe(toArray()));
    await a.drain();
    expect(await received).toEqual([
      { kind: 'message', message: quitMessage('iface') },
      { kind: 'message', message: { msgType: 'end', srcSubApp: 'iface', params: null } },
    ]);
    expect(await b.closed).toEqual({ reason: 'peer-bye' });
    expect(await a.closed).toEqual({ reason: 'drained' });
  });

  it('ends both sides on close and refuses later sends', async () => {
    const { a, b } = createInProcessLinks({ aId: 'x', bId: 'y' });
    expect(await b.close()).toEqual({ reason: 'local-close' });
    expect(await a.closed).toEqual({ reason: 'peer-closed' });
    expect(() => a.send({ kind: 'bye' })).toThrow(/closed/);
  });
});
