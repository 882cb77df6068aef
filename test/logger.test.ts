import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, getLogLevel, LOG_MAX_LINE_CHARS, setLogLevel, setLogRateLimit, setLogSink } from '../src/logger.js';

const lines: string[] = [];
let now = 0;
let restore: (() => void) | undefined;

/** Sends log lines to `lines`, at level warn, with a rate limit on a clock the test moves. */
function capture(): void {
  lines.length = 0;
  now = 0;
  const sink = setLogSink((line) => lines.push(line));
  const level = getLogLevel();
  setLogLevel('warn');
  setLogRateLimit({ burst: 3, perSecond: 1, now: () => now });
  restore = () => {
    setLogSink(sink);
    setLogLevel(level);
    setLogRateLimit(undefined);
  };
}

afterEach(() => restore?.());

describe('logger', () => {
  it('limits lines of one kind to a burst then a rate, and says how many it suppressed', () => {
    capture();
    const log = createLogger('test.flood');
    for (let i = 0; i < 1_000; i++) log.warn('bad frame', { i });
    expect(lines).toHaveLength(3);
    now += 1_000;
    log.warn('bad frame', { i: 1_000 });
    expect(lines).toHaveLength(4);
    expect(lines[3]).toContain('bad frame (997 similar lines suppressed)');
    // Other kinds of line have their own budget.
    log.warn('something else');
    expect(lines).toHaveLength(5);
  });

  it('cuts long values and lines, and escapes control characters from peers', () => {
    capture();
    const log = createLogger('test.clip');
    log.warn('parser said', { error: new Error('<a>'.repeat(21_000)), peer: 'x\n2026-01-01 ERROR forged\u001b[2J' });
    expect(lines).toHaveLength(1);
    expect(lines[0].length).toBeLessThanOrEqual(LOG_MAX_LINE_CHARS + 40);
    expect(lines[0]).toContain('…(+');
    expect(lines[0]).not.toContain('\n');
    expect(lines[0]).not.toContain('\u001b');
    const many: Record<string, string> = {};
    for (let i = 0; i < 100; i++) many[`k${i}`] = 'v'.repeat(200);
    log.warn('many fields', many);
    expect(lines[1].length).toBeLessThanOrEqual(LOG_MAX_LINE_CHARS + 40);
  });
});
