import { onTestFinished } from 'vitest';
import { getLogLevel, setLogLevel, setLogSink, type LogLevel } from '../../src/logger.js';

/** Collects the log lines written during the current test at `level`; restores sink and level after it. */
export function captureLogs(level: Exclude<LogLevel, 'silent'> = 'warn'): string[] {
  const lines: string[] = [];
  const sink = setLogSink((line) => lines.push(line));
  const previous = getLogLevel();
  setLogLevel(level);
  onTestFinished(() => {
    setLogSink(sink);
    setLogLevel(previous);
  });
  return lines;
}
