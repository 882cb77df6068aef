import { describe, expect, it } from 'vitest';
import { ConnectionEndings, MAX_ERROR_CODES, NAMED_PER_SECOND, NAMED_SAMPLE_EVERY, RECENT_ENDINGS } from '../../../src/actors/connection/connection-endings.js';
import { ActorwireError } from '../../../src/errors.js';

const ended = (reason: 'peer-closed' | 'error' | 'drained', error?: Error, port = 1) => ({ remoteAddress: '127.0.0.1', remotePort: port, end: { reason, error } });

describe('ConnectionEndings', () => {
  it('counts endings by reason and errors by code, and keeps the recent ones newest first', () => {
    const endings = new ConnectionEndings();
    endings.record(ended('peer-closed'));
    endings.record(ended('error', new ActorwireError('SLOW_CONSUMER', 'slow'), 2));
    endings.record(ended('error', Object.assign(new Error('reset'), { code: 'ECONNRESET' }), 3));
    endings.record(ended('error', new Error('no code'), 4));
    endings.record({ remoteAddress: undefined, remotePort: undefined, end: undefined });
    expect(endings.byReason).toEqual({ 'peer-closed': 1, error: 3 });
    expect(Object.fromEntries(endings.errorsByCode)).toEqual({ SLOW_CONSUMER: 1, ECONNRESET: 1, ERROR: 1 });
    expect(endings.recent().map((e) => [e.peer, e.reason, e.code])).toEqual([
      ['127.0.0.1:4', 'error', 'ERROR'],
      ['127.0.0.1:3', 'error', 'ECONNRESET'],
      ['127.0.0.1:2', 'error', 'SLOW_CONSUMER'],
      ['127.0.0.1:1', 'peer-closed', undefined],
    ]);
  });

  it('reads the peer of an admitted connection only once peers are tracked (one getpeername each)', () => {
    const endings = new ConnectionEndings();
    let reads = 0;
    const connection = {
      get remoteAddress(): string {
        reads++;
        return '127.0.0.1';
      },
    };
    endings.admitted(connection, 0);
    expect(reads).toBe(0);
    endings.trackPeers();
    endings.admitted(connection, 0);
    expect(reads).toBe(1);
  });

  it('names every peer of a quiet server, and under load the first of each second, then one in NAMED_SAMPLE_EVERY', () => {
    const endings = new ConnectionEndings();
    endings.trackPeers();
    let reads = 0;
    const connection = {
      get remoteAddress(): string {
        reads++;
        return '127.0.0.1';
      },
    };
    // A quiet server: one connection every 100 ms for 10 s, all named.
    for (let t = 0; t < 10_000; t += 100) endings.admitted(connection, t);
    expect(reads).toBe(100);
    // A busy second: NAMED_PER_SECOND named, then one in NAMED_SAMPLE_EVERY of the rest.
    reads = 0;
    const busy = NAMED_PER_SECOND + 10 * NAMED_SAMPLE_EVERY;
    for (let i = 0; i < busy; i++) endings.admitted(connection, 20_000 + i / busy);
    expect(reads).toBe(NAMED_PER_SECOND + 10);
    // The next second starts over.
    reads = 0;
    endings.admitted(connection, 21_000);
    expect(reads).toBe(1);
  });

  it('is bounded: the last RECENT_ENDINGS endings, MAX_ERROR_CODES codes and then OTHER', () => {
    const endings = new ConnectionEndings();
    for (let i = 0; i < MAX_ERROR_CODES + 10; i++) endings.record(ended('error', new ActorwireError(`CODE_${i}`, 'x'), i));
    expect(endings.errorsByCode.size).toBe(MAX_ERROR_CODES + 1);
    expect(endings.errorsByCode.get('OTHER')).toBe(10);
    const recent = endings.recent();
    expect(recent).toHaveLength(RECENT_ENDINGS);
    expect(recent[0].peer).toBe(`127.0.0.1:${MAX_ERROR_CODES + 9}`);
  });
});
