import { randomUUID } from 'node:crypto';
import { MasepError } from './errors.js';

/** Longest ident accepted in a hello, in UTF-8 bytes (pymasep's own are 36-byte UUIDs). */
export const MAX_IDENT_BYTES = 255;

// C0 controls, DEL and C1 controls: they cannot be carried in XML attributes or break them.
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Checks a sub-app ident (the hello payload, `src_sub_app`, `REGISTER.id`): non-empty, at most
 * {@link MAX_IDENT_BYTES} UTF-8 bytes, no control characters, no lone surrogates, and not `BYE`
 * (which would read as a bye frame). Returns it; throws `MASEP_BAD_IDENT`.
 */
export function validateIdent(ident: string): string {
  const reason =
    ident.length === 0 ? 'is empty'
    : Buffer.byteLength(ident, 'utf8') > MAX_IDENT_BYTES ? `is longer than ${MAX_IDENT_BYTES} bytes`
    : CONTROL.test(ident) ? 'contains control characters'
    : LONE_SURROGATE.test(ident) ? 'contains a lone surrogate'
    : ident === 'BYE' ? 'is the bye payload'
    : undefined;
  if (reason !== undefined) {
    throw new MasepError('MASEP_BAD_IDENT', `ident ${JSON.stringify(ident.slice(0, 64))} ${reason}`);
  }
  return ident;
}

/** A new sub-app id as pymasep makes them: `str(uuid.uuid4())`, 36 ASCII characters. */
export function createSubAppId(): string {
  return randomUUID();
}
