import { describe, expect, it } from 'vitest';
import { MonitorError, parseMonitorAddress } from '../../src/monitor/index.js';

describe('parseMonitorAddress', () => {
  it('reads port, host:port and [ipv6]:port; the host defaults to 127.0.0.1', () => {
    expect(parseMonitorAddress('4444')).toEqual({ host: '127.0.0.1', port: 4444 });
    expect(parseMonitorAddress('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseMonitorAddress('localhost:9000')).toEqual({ host: 'localhost', port: 9000 });
    expect(parseMonitorAddress('[::1]:80')).toEqual({ host: '::1', port: 80 });
  });

  it.each(['', 'nope', ':80', '1.2.3.4:', '65536', '::1:80', 'host:-1', 'host:8o'])('refuses %j with MONITOR_BAD_ADDRESS', (text) => {
    expect(() => parseMonitorAddress(text)).toThrow(MonitorError);
    try {
      parseMonitorAddress(text);
    } catch (err) {
      expect((err as MonitorError).code).toBe('MONITOR_BAD_ADDRESS');
    }
  });
});
