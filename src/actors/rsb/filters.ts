import { Scope, uuidToBytes, type EventId } from '../../protocols/rsb/index.js';
import type { RsbEventHeader } from './event.js';

/**
 * A listener-side filter, evaluated before the payload is decoded: true keeps the event. The
 * socket transport never filters on the wire; every filter runs in the receiving process.
 */
export type EventFilter = (event: RsbEventHeader) => boolean;

/** Keeps events on `scope` or below it (rsb `ScopeFilter`). */
export function scopeFilter(scope: Scope | string): EventFilter {
  const parsed = typeof scope === 'string' ? Scope.parse(scope) : scope;
  return (event) => event.scope.equals(parsed) || event.scope.isSubScopeOf(parsed);
}

/** Keeps events sent by the participant `sender` (UUID text or 16 bytes), or all others when `invert` (rsb `OriginFilter`). */
export function originFilter(sender: string | Uint8Array, options: { invert?: boolean } = {}): EventFilter {
  const bytes = typeof sender === 'string' ? uuidToBytes(sender) : sender;
  const invert = options.invert === true;
  return (event) => {
    const id = event.id.senderId;
    let same = true;
    for (let i = 0; i < 16 && same; i++) same = id[i] === bytes[i];
    return same !== invert;
  };
}

/** Keeps events whose causes include `cause`, or those that do not when `invert` (rsb `CauseFilter`). */
export function causeFilter(cause: EventId, options: { invert?: boolean } = {}): EventFilter {
  const invert = options.invert === true;
  return (event) => event.causes.some((c) => c.equals(cause)) !== invert;
}

/**
 * Keeps events whose method is exactly `method` (rsb `MethodFilter`), or all others when
 * `invert`. An event without a method never matches a method name.
 */
export function methodFilter(method: string, options: { invert?: boolean } = {}): EventFilter {
  const invert = options.invert === true;
  return (event) => (event.method === method) !== invert;
}
