import { describe, expect, it } from 'vitest';
import { randomUuidBytes, uuidToBytes, uuidToString, uuidV5 } from '../../../src/protocols/rsb/index.js';

describe('uuid helpers', () => {
  it('parses and formats RFC 4122 byte order (Python uuid.bytes)', () => {
    const bytes = uuidToBytes('D8FBFEF4-4EB0-4C89-9716-C425DED3C527');
    expect(Buffer.from(bytes).toString('hex')).toBe('d8fbfef44eb04c899716c425ded3c527');
    expect(uuidToString(bytes)).toBe('d8fbfef4-4eb0-4c89-9716-c425ded3c527');
    expect(() => uuidToBytes('d8fbfef44eb04c899716c425ded3c527')).toThrow(expect.objectContaining({ code: 'RSB_BAD_SENDER_ID' }));
    expect(() => uuidToString(new Uint8Array(17))).toThrow(expect.objectContaining({ code: 'RSB_BAD_SENDER_ID' }));
  });

  it('matches the RFC 4122 appendix uuid5 of the DNS namespace and "python.org"', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
    const dns = uuidToBytes('6ba7b810-9dad-11d1-80b4-00c04fd430c8');
    expect(uuidToString(uuidV5(dns, Buffer.from('python.org')))).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('makes random version 4 ids', () => {
    const a = uuidToString(randomUuidBytes());
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidToString(randomUuidBytes())).not.toBe(a);
  });
});
