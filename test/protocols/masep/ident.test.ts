import { describe, expect, it } from 'vitest';
import { MAX_IDENT_BYTES, createSubAppId, validateIdent } from '../../../src/protocols/masep/index.js';
import { expectCode } from './expect-code.js';
import { INTERFACE_ID } from './spec-examples.js';

describe('validateIdent', () => {
  it('accepts pymasep UUIDs and names in the same alphabet up to the limit', () => {
    expect(validateIdent(INTERFACE_ID)).toBe(INTERFACE_ID);
    expect(validateIdent('agent-7.b_2')).toBe('agent-7.b_2');
    expect(validateIdent('x'.repeat(MAX_IDENT_BYTES))).toHaveLength(MAX_IDENT_BYTES);
  });

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(MAX_IDENT_BYTES + 1)],
    ['not ASCII', 'interface é'],
    ['with a space', 'a b'],
    ['a whole DEFINE document', '<Message msg_type="define" src_sub_app="x"><dict /></Message>'],
    ['with an @ (it would split Agent@controller)', 'a@b'],
    ['with a newline', 'a\nb'],
    ['with NUL', 'a\0'],
    ['with DEL', 'a\x7f'],
    ['with a C1 control', 'a\x85'],
    ['with a lone surrogate', 'a\ud800'],
    ['the bye payload', 'BYE'],
  ])('rejects an ident that is %s', (_, ident) => {
    expectCode(() => validateIdent(ident), 'MASEP_BAD_IDENT');
  });

  it('creates ids shaped like str(uuid.uuid4())', () => {
    const id = createSubAppId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(validateIdent(id)).toBe(id);
  });
});
