import { randomUUID } from 'node:crypto';
import { MasepError } from './errors.js';

/** Longest ident accepted in a hello (pymasep's own are 36-character UUIDs). */
export const MAX_IDENT_BYTES = 64;

// What pymasep sends is str(uuid.uuid4()); readable names in the same alphabet are allowed too.
// Nothing else: no markup, spaces or quotes (an ident lands in XML attributes and in
// `Agent@controller` values, and a whole DEFINE document was once accepted as one), and no `@`.
const IDENT = /^[A-Za-z0-9._-]+$/;

/**
 * Checks a sub-app ident (the hello payload, `src_sub_app`, `REGISTER.id`): 1 to
 * {@link MAX_IDENT_BYTES} characters of `A-Z a-z 0-9 . _ -` (a UUID, or a name like `agent-7`),
 * and not `BYE` (which would read as a bye frame). Returns it; throws `MASEP_BAD_IDENT`.
 */
export function validateIdent(ident: string): string {
  const reason =
    ident.length === 0 ? 'is empty'
    : ident.length > MAX_IDENT_BYTES ? `is longer than ${MAX_IDENT_BYTES} characters`
    : !IDENT.test(ident) ? 'may only contain letters, digits, ".", "_" and "-" (pymasep sends a UUID)'
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
