import { describe, expect, it } from 'vitest';
import { ReceivedEvent } from '../../../../src/actors/rsb/event.js';
import { EventLogger } from '../../../../src/actors/rsb/tools/event-logger.js';
import type { LoggerStyle } from '../../../../src/actors/rsb/tools/event-styles.js';
import type { TappedNotification } from '../../../../src/actors/rsb/tools/bus-tap.js';
import { ConverterRegistry, EventId, Scope, notificationSize, type Notification } from '../../../../src/protocols/rsb/index.js';
import { ManualClock } from '../../../helpers/manual-clock.js';

const SENDER = 'd8fbfef4-4eb0-4c89-9716-c425ded3c527';
const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 678) * 1000;
const converters = ConverterRegistry.withDefaults();

function tapped(scope: string, value: unknown, sequenceNumber: number, latencyUs = 1500, extra: Partial<Notification> = {}): TappedNotification {
  const payload = converters.encode(value);
  const notification: Notification = {
    eventId: EventId.fromUuid(SENDER, sequenceNumber),
    scope: Scope.parse(scope),
    wireSchema: payload.wireSchema,
    data: payload.data,
    causes: [],
    metaData: { createTime: T0, sendTime: T0, userInfos: [{ key: 'lang', value: 'ts' }], userTimes: [] },
    ...extra,
  };
  return { notification, receiveTime: T0 + latencyUs, header: new ReceivedEvent(notification, T0 + latencyUs) };
}

function run(style: LoggerStyle, events: TappedNotification[], clock = new ManualClock()): { text: string; logger: EventLogger } {
  let text = '';
  const logger = new EventLogger({ style, write: (t) => void (text += t), clock, stopAfter: events.length });
  for (const e of events) logger.log(e);
  return { text, logger };
}

describe('rsb logger styles', () => {
  const events = [tapped('/demo/a/', 'hello', 0), tapped('/demo/b/', 41n, 1, 2500, { method: 'REQUEST' })];

  it('compact: a line per event with time, scope, schema, sender and size', () => {
    const { text } = run('compact', events);
    const size = notificationSize(events[0].notification);
    expect(text).toBe(`03:04:05.679 /demo/a/ utf-8-string d8fbfef4:0 ${size} B "hello"\n03:04:05.680 /demo/b/ int64 REQUEST d8fbfef4:1 ${notificationSize(events[1].notification)} B 41\n`);
  });

  it('detailed: every field and the payload', () => {
    const { text } = run('detailed', events.slice(0, 1));
    expect(text).toContain(`Event ${SENDER}:0\n  Scope        /demo/a/\n  Method       -\n  Wire schema  utf-8-string\n`);
    expect(text).toContain('  Create time  2026-01-02T03:04:05.678Z\n');
    expect(text).toContain('  Info         lang = ts\n');
    expect(text.endsWith('  Payload\n    hello\n\n')).toBe(true);
  });

  it('json: one JSON object per line', () => {
    const lines = run('json', events).text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.scope, l.wireSchema, l.data, l.method, l.sender, l.sequenceNumber])).toEqual([
      ['/demo/a/', 'utf-8-string', 'hello', null, SENDER, 0],
      ['/demo/b/', 'int64', 41, 'REQUEST', SENDER, 1],
    ]);
  });

  it('payload: the payloads alone', () => {
    expect(run('payload', [...events, tapped('/x/', Uint8Array.of(1, 255), 2)]).text).toBe('hello\n41\n01ff\n');
  });

  it('statistics: a per-scope table every refresh, totals at the end', () => {
    const clock = new ManualClock();
    let text = '';
    const logger = new EventLogger({ style: 'statistics', write: (t) => void (text += t), clock, stopAfter: 3 });
    logger.log(events[0]);
    logger.log(events[1]);
    clock.advance(1000);
    const first = text;
    expect(first).toMatch(/^-- 1\.0 s --\nscope\s+events\s+events\/s\s+bytes\/s\s+mean size B\s+latency ms\n/);
    expect(first).toMatch(/^\/demo\/a\/\s+1\s+1\.0\s+\d+\.0\s+\d+\.0\s+1\.500$/m);
    expect(first).toMatch(/^\/demo\/b\/\s+1\s+1\.0\s+\d+\.0\s+\d+\.0\s+2\.500$/m);
    expect(first).toMatch(/^total\s+2\s+2\.0\s+[\d.]+\s+[\d.]+\s+2\.000$/m);
    clock.advance(1000);
    expect(text.slice(first.length)).toMatch(/^-- 1\.0 s --\n.*\ntotal\s+0\s+0\.0/);
    logger.log(events[0]);
    // Stopped after 3: the totals over the whole run, and no more timers.
    expect(text).toMatch(/-- 2\.0 s --\n(.*\n)*\/demo\/a\/\s+2\s+1\.0/);
    expect(clock.pending).toBe(0);
  });

  it('monitor: a scope tree with the events and rate below each node', async () => {
    const { text, logger } = run('monitor', [...events, tapped('/demo/a/', 'again', 2), tapped('/other/', true, 3)]);
    await logger.done;
    const lines = text.trim().split('\n');
    expect(lines[0]).toMatch(/^-- \d+\.\d s --$/);
    expect(lines.slice(1).map((l) => l.replace(/\s+[\d.]+\/s$/, '').replace(/\s+/g, ' '))).toEqual([
      '/ 4 events',
      ' demo/ 3 events',
      ' a/ 2 events',
      ' b/ 1 events',
      ' other/ 1 events',
    ]);
    expect(lines[3]).toMatch(/^    a\/ /);
  });

  it('stops after n events and ignores the rest', async () => {
    let text = '';
    const logger = new EventLogger({ style: 'payload', write: (t) => void (text += t), stopAfter: 1 });
    logger.log(events[0]);
    logger.log(events[1]);
    await logger.done;
    expect(text).toBe('hello\n');
    expect(logger.count).toBe(1);
  });
});
