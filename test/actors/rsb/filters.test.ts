import { describe, expect, it } from 'vitest';
import { causeFilter, methodFilter, originFilter, scopeFilter } from '../../../src/actors/rsb/filters.js';
import type { RsbEventHeader } from '../../../src/actors/rsb/event.js';
import { EventId, Scope } from '../../../src/protocols/rsb/index.js';
import { Informer } from '../../../src/actors/rsb/informer.js';
import { Listener } from '../../../src/actors/rsb/listener.js';

const A = 'd8fbfef4-4eb0-4c89-9716-c425ded3c527';
const B = 'bf948d47-618f-4b04-aac5-0ab5a1a79267';

function header(overrides: Partial<RsbEventHeader>): RsbEventHeader {
  return {
    id: EventId.fromUuid(A, 1),
    scope: Scope.parse('/a/b'),
    method: undefined,
    wireSchema: 'utf-8-string',
    causes: [],
    userInfos: {},
    userTimes: {},
    createTime: 0,
    sendTime: 0,
    receiveTime: 0,
    ...overrides,
  };
}

describe('filters', () => {
  it('scopeFilter keeps the scope and everything below it', () => {
    const f = scopeFilter('/a');
    expect(f(header({ scope: Scope.parse('/a') }))).toBe(true);
    expect(f(header({ scope: Scope.parse('/a/b/c') }))).toBe(true);
    expect(f(header({ scope: Scope.parse('/ab') }))).toBe(false);
    expect(f(header({ scope: Scope.ROOT }))).toBe(false);
  });

  it('originFilter compares the sender id, optionally inverted', () => {
    expect(originFilter(A)(header({}))).toBe(true);
    expect(originFilter(B)(header({}))).toBe(false);
    expect(originFilter(B, { invert: true })(header({}))).toBe(true);
    expect(originFilter(EventId.fromUuid(A, 0).senderId)(header({}))).toBe(true);
  });

  it('causeFilter looks for an event id among the causes (both parts must match)', () => {
    const cause = EventId.fromUuid(B, 378);
    expect(causeFilter(cause)(header({ causes: [EventId.fromUuid(A, 0), EventId.fromUuid(B, 378)] }))).toBe(true);
    expect(causeFilter(cause)(header({ causes: [EventId.fromUuid(B, 377)] }))).toBe(false);
    expect(causeFilter(cause, { invert: true })(header({ causes: [] }))).toBe(true);
  });

  it('methodFilter matches the exact method; an event without method never matches', () => {
    expect(methodFilter('REQUEST')(header({ method: 'REQUEST' }))).toBe(true);
    expect(methodFilter('REQUEST')(header({ method: 'REPLY' }))).toBe(false);
    expect(methodFilter('REQUEST')(header({}))).toBe(false);
    expect(methodFilter('REQUEST', { invert: true })(header({}))).toBe(true);
  });

  it('a listener applies all its filters before decoding', async () => {
    const listener = await Listener.create('/f', { transport: 'inprocess', filters: [methodFilter('REPLY', { invert: true })] });
    const informer = await Informer.create('/f', { transport: 'inprocess' });
    listener.addFilter(originFilter(informer.id));
    const seen: unknown[] = [];
    listener.events$.subscribe((e) => seen.push(e.data));
    const stranger = await Informer.create('/f', { transport: 'inprocess' });
    await informer.publish('kept');
    await informer.publish('reply', { method: 'REPLY' });
    await stranger.publish('other sender');
    // A payload that cannot decode is never looked at when a filter rejects the event first.
    await informer.publish(Uint8Array.of(9), { wireSchema: 'bytes', method: 'REPLY' });
    expect(seen).toEqual(['kept']);
    await Promise.all([listener.close(), informer.close(), stranger.close()]);
  });
});
