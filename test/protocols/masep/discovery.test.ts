import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../src/protocols/errors.js';
import {
  DISCOVERY_GROUP,
  DISCOVERY_PORT,
  DISCOVERY_QUERY,
  decodeDiscoveryReply,
  encodeDiscoveryReply,
  isDiscoveryQuery,
  resolveDiscoveredAddress,
} from '../../../src/protocols/masep/index.js';
import { expectCode } from './expect-code.js';

const ascii = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));

describe('discovery datagrams (spec §4)', () => {
  it('use pymasep group, port and the 15-byte query', () => {
    expect(DISCOVERY_GROUP).toBe('224.3.29.71');
    expect(DISCOVERY_PORT).toBe(10000);
    expect(Buffer.from(DISCOVERY_QUERY).toString('latin1')).toBe('pymasep server?');
    expect(DISCOVERY_QUERY).toHaveLength(15);
  });

  it.each([['pymasep server?', true], ['stop', false], ['pymasep server', false], ['pymasep server?\n', false], ['PYMASEP SERVER?', false], ['', false]])(
    'answers %j: %s',
    (text, expected) => {
      expect(isDiscoveryQuery(ascii(text))).toBe(expected);
    },
  );

  it('writes and reads the reply "<ip>:<port>"', () => {
    const reply = encodeDiscoveryReply({ host: '192.168.1.23', port: 60000 });
    expect(Buffer.from(reply).toString('latin1')).toBe('192.168.1.23:60000');
    expect(decodeDiscoveryReply(reply)).toEqual({ host: '192.168.1.23', port: 60000 });
  });

  it.each([
    ['no colon', '192.168.1.23'],
    ['a host name', 'localhost:60000'],
    ['an octet over 255', '192.168.1.256:60000'],
    ['a port over 65535', '10.0.0.1:65536'],
    ['port 0', '10.0.0.1:0'],
    ['a port with a leading zero', '10.0.0.1:060000'],
    ['whitespace', '10.0.0.1:60000\n'],
    ['two colons', '10.0.0.1:1:2'],
    ['non-ASCII', '10.0.0.1:6000\u00e9'],
  ])('rejects a reply with %s', (_, text) => {
    expectCode(() => decodeDiscoveryReply(Buffer.from(text, 'utf8')), 'MASEP_BAD_DISCOVERY');
  });

  it.each([
    [{ host: '::1', port: 1 }],
    [{ host: '10.0.0.1', port: 0 }],
    [{ host: '10.0.0.1', port: 1.5 }],
  ])('refuses to write %j', (address) => {
    expectCode(() => encodeDiscoveryReply(address), 'MASEP_BAD_DISCOVERY');
  });

  it('dials the source of a pymasep reply that names our own address', () => {
    const ours = new Set(['192.168.1.10', '127.0.0.1']);
    expect(resolveDiscoveredAddress({ host: '192.168.1.10', port: 60000 }, '192.168.1.20', ours)).toEqual({
      host: '192.168.1.20',
      port: 60000,
    });
    expect(resolveDiscoveredAddress({ host: '192.168.1.30', port: 60000 }, '192.168.1.20', ours)).toEqual({
      host: '192.168.1.30',
      port: 60000,
    });
    expect(resolveDiscoveredAddress({ host: '127.0.0.1', port: 60000 }, '127.0.0.1', ours)).toEqual({
      host: '127.0.0.1',
      port: 60000,
    });
  });

  it('takes a reply from this host as written: an engine on loopback announcing 127.0.0.1 from our LAN address', () => {
    const ours = new Set(['192.168.1.10', '127.0.0.1']);
    expect(resolveDiscoveredAddress({ host: '127.0.0.1', port: 60000 }, '192.168.1.10', ours)).toEqual({ host: '127.0.0.1', port: 60000 });
  });

  it('round-trips any address and throws nothing but ProtocolError on garbage (property)', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(fc.tuple(octet, octet, octet, octet), fc.integer({ min: 1, max: 65535 }), fc.uint8Array({ maxLength: 40 }), (ip, port, garbage) => {
        const address = { host: ip.join('.'), port };
        expect(decodeDiscoveryReply(encodeDiscoveryReply(address))).toEqual(address);
        try {
          decodeDiscoveryReply(garbage);
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError);
        }
      }),
      { seed: 3, numRuns: 300 },
    );
  });
});
