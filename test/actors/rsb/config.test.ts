import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RSB_SOCKET_OPTIONS,
  parseRsbConfigFile,
  readRsbConfigFiles,
  resolveRsbSocketOptions,
  rsbConfigFileLocations,
  rsbConfigFromEnvironment,
} from '../../../src/actors/rsb/config.js';
import { RsbConfigError } from '../../../src/actors/rsb/errors.js';

const file = (path: string, text: string) => ({ path, text });

describe('parseRsbConfigFile', () => {
  it('maps sections and keys to dotted options, like rsb-python', () => {
    const values = parseRsbConfigFile(
      [
        '# system-wide RSB configuration',
        '; another comment',
        '[transport.socket]',
        'Host = bus.example   ',
        'port: 4444 # the test bus',
        'server = auto',
        '',
        '[introspection]',
        'enabled = 0',
      ].join('\n'),
    );
    expect([...values]).toEqual([
      ['transport.socket.host', 'bus.example'],
      ['transport.socket.port', '4444'],
      ['transport.socket.server', 'auto'],
      ['introspection.enabled', '0'],
    ]);
  });

  it('joins indented continuation lines and handles CRLF', () => {
    const values = parseRsbConfigFile('[a]\r\nkey = one\r\n  two # note\r\n');
    expect(values.get('a.key')).toBe('one\ntwo');
  });

  it('rejects options outside a section and lines without a separator', () => {
    expect(() => parseRsbConfigFile('port = 1\n', '/etc/rsb.conf')).toThrow(RsbConfigError);
    expect(() => parseRsbConfigFile('port = 1\n', '/etc/rsb.conf')).toThrow(/\/etc\/rsb.conf:1/);
    expect(() => parseRsbConfigFile('[transport.socket]\njunk\n')).toThrow(expect.objectContaining({ code: 'RSB_BAD_CONFIG' }));
  });
});

describe('rsbConfigFromEnvironment', () => {
  it('maps RSB_* names to dotted lower-case keys and skips the rest', () => {
    const values = rsbConfigFromEnvironment({
      RSB_TRANSPORT_SOCKET_HOST: 'h',
      RSB_TRANSPORT_SOCKET_NODELAY: '0',
      RSB_CONFIG_FILES: '/x',
      RSB_TRANSPORT_SOCKET_PORT: '',
      PATH: '/bin',
    });
    expect([...values]).toEqual([
      ['transport.socket.host', 'h'],
      ['transport.socket.nodelay', '0'],
    ]);
  });
});

describe('rsbConfigFileLocations', () => {
  it('lists /etc, $prefix/etc, ~/.config and ./ in priority order', () => {
    expect(rsbConfigFileLocations({ home: '/home/u', cwd: '/work', prefix: '/opt/rsb' })).toEqual([
      '/etc/rsb.conf',
      '/opt/rsb/etc/rsb.conf',
      '/home/u/.config/rsb.conf',
      '/work/rsb.conf',
    ]);
    expect(rsbConfigFileLocations({ home: '/home/u' })).toEqual(['/etc/rsb.conf', '/home/u/.config/rsb.conf']);
  });

  it('lets RSB_CONFIG_FILES replace the list, with placeholders; empty means none', () => {
    const env = { RSB_CONFIG_FILES: '/a.conf:%user::%pwd' };
    expect(rsbConfigFileLocations({ env, home: '/h', cwd: '/c' })).toEqual(['/a.conf', '/h/.config/rsb.conf', '/c/rsb.conf']);
    expect(rsbConfigFileLocations({ env: { RSB_CONFIG_FILES: '' }, home: '/h' })).toEqual([]);
  });
});

describe('resolveRsbSocketOptions', () => {
  it('has the documented defaults', () => {
    expect(resolveRsbSocketOptions()).toEqual({ enabled: true, host: 'localhost', port: 55555, server: 'auto', tcpNoDelay: true });
    expect(resolveRsbSocketOptions()).toEqual(DEFAULT_RSB_SOCKET_OPTIONS);
  });

  it('applies defaults < files in order < environment < overrides', () => {
    const options = resolveRsbSocketOptions({
      files: [
        file('/etc/rsb.conf', '[transport.socket]\nhost = system\nport = 1000\nserver = 0\nenabled = 0\n'),
        file('/home/u/.config/rsb.conf', '[transport.socket]\nport = 2000\nenabled = 1\n'),
      ],
      env: { RSB_TRANSPORT_SOCKET_PORT: '3000', RSB_TRANSPORT_SOCKET_SERVER: '1' },
      overrides: { server: 'auto', host: undefined },
    });
    expect(options).toEqual({ enabled: true, host: 'system', port: 3000, server: 'auto', tcpNoDelay: true });
  });

  it('reads server as 1/true → server, 0/false → client, auto', () => {
    const server = (value: string) => resolveRsbSocketOptions({ env: { RSB_TRANSPORT_SOCKET_SERVER: value } }).server;
    expect(['1', 'true', '0', 'false', 'auto', 'AUTO'].map(server)).toEqual(['server', 'server', 'client', 'client', 'auto', 'auto']);
    expect(() => server('maybe')).toThrow(/RSB_TRANSPORT_SOCKET_SERVER/);
  });

  it('accepts both tcpnodelay and Python’s nodelay; the higher-priority source wins', () => {
    const viaPython = resolveRsbSocketOptions({ env: { RSB_TRANSPORT_SOCKET_NODELAY: '0' } });
    expect(viaPython.tcpNoDelay).toBe(false);
    const viaCpp = resolveRsbSocketOptions({ files: [file('f', '[transport.socket]\ntcpnodelay = false\n')] });
    expect(viaCpp.tcpNoDelay).toBe(false);
    const envBeatsFile = resolveRsbSocketOptions({
      files: [file('f', '[transport.socket]\ntcpnodelay = 0\n')],
      env: { RSB_TRANSPORT_SOCKET_NODELAY: '1' },
    });
    expect(envBeatsFile.tcpNoDelay).toBe(true);
    const sameSource = resolveRsbSocketOptions({ files: [file('f', '[transport.socket]\nnodelay = 1\ntcpnodelay = 0\n')] });
    expect(sameSource.tcpNoDelay).toBe(false);
  });

  it('rejects bad values, naming their source', () => {
    expect(() => resolveRsbSocketOptions({ env: { RSB_TRANSPORT_SOCKET_PORT: '70000' } })).toThrow(/RSB_TRANSPORT_SOCKET_PORT/);
    expect(() => resolveRsbSocketOptions({ env: { RSB_TRANSPORT_SOCKET_PORT: 'http' } })).toThrow(RsbConfigError);
    expect(() => resolveRsbSocketOptions({ files: [file('/etc/rsb.conf', '[transport.socket]\nenabled = maybe\n')] })).toThrow(
      /\/etc\/rsb.conf \[transport.socket.enabled\]/,
    );
    expect(() => resolveRsbSocketOptions({ files: [file('x', '[transport.socket]\nhost =   # nothing\n')] })).toThrow(/host is empty/);
    expect(() => resolveRsbSocketOptions({ overrides: { port: -1 } })).toThrow(RsbConfigError);
  });

  it('ignores other transports and unknown socket options', () => {
    const options = resolveRsbSocketOptions({
      files: [file('f', '[transport.inprocess]\nenabled = 0\nport = x\n[transport.socket]\nwait = 0\nportfile = -\n')],
      env: { RSB_INTROSPECTION_ENABLED: '0' },
    });
    expect(options).toEqual(DEFAULT_RSB_SOCKET_OPTIONS);
  });
});

describe('readRsbConfigFiles', () => {
  it('reads the existing files in order and skips missing ones', () => {
    const disk: Record<string, string> = { '/etc/rsb.conf': '[transport.socket]\nport = 1\n', '/c/rsb.conf': '[transport.socket]\nport = 2\n' };
    const files = readRsbConfigFiles(['/etc/rsb.conf', '/h/.config/rsb.conf', '/c/rsb.conf'], { readFile: (p) => disk[p] });
    expect(files.map((f) => f.path)).toEqual(['/etc/rsb.conf', '/c/rsb.conf']);
    expect(resolveRsbSocketOptions({ files }).port).toBe(2);
  });
});
