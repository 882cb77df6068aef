import { describe, expect, it } from 'vitest';
import { ReceivedEvent } from '../../../../src/actors/rsb/event.js';
import { parseFilterSpec } from '../../../../src/actors/rsb/tools/filter-spec.js';
import { EventId, Scope } from '../../../../src/protocols/rsb/index.js';

const SENDER = 'd8fbfef4-4eb0-4c89-9716-c425ded3c527';

function header(scope: string, wireSchema: string, method?: string): ReceivedEvent {
  return new ReceivedEvent(
    { eventId: EventId.fromUuid(SENDER, 1), scope: Scope.parse(scope), wireSchema, method, data: new Uint8Array(0), causes: [] },
    0,
  );
}

describe('logger filter specs', () => {
  const event = header('/demo/a/', 'utf-8-string', 'REQUEST');
  it.each([
    ['scope=/demo/', true],
    ['scope=/demo/a/b/', false],
    ['scope!=/demo/', false],
    [`origin=${SENDER}`, true],
    ['origin=00000000-0000-0000-0000-000000000000', false],
    ['origin!=00000000-0000-0000-0000-000000000000', true],
    ['schema=utf-8-string', true],
    ['type=int64', false],
    ['schema!=int64', true],
    ['method=REQUEST', true],
    ['method=REPLY', false],
    ['method=', false],
    ['method!=', true],
  ])('%s keeps it: %s', (spec, kept) => {
    expect(parseFilterSpec(spec)(event)).toBe(kept);
  });

  it('method= keeps events without a method', () => {
    expect(parseFilterSpec('method=')(header('/x/', 'bool'))).toBe(true);
  });

  it.each(['scope', 'colour=red', 'origin=not-a-uuid', 'scope=no-slash'])('refuses %s with RSB_BAD_FILTER', (spec) => {
    expect(() => parseFilterSpec(spec)).toThrow(expect.objectContaining({ code: 'RSB_BAD_FILTER' }));
  });
});
