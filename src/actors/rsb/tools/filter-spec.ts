import { Scope, uuidToBytes } from '../../../protocols/rsb/index.js';
import { methodFilter, originFilter, scopeFilter, type EventFilter } from '../filters.js';
import { RsbToolError } from './errors.js';

/** What a filter spec can test: the event's scope, sender, wire schema or method. */
export const FILTER_KINDS = ['scope', 'origin', 'schema', 'method'] as const;

/**
 * Reads a `--filter` spec (docs/RSB.md, "rsb logger"): `kind=value` keeps the events that match,
 * `kind!=value` those that do not. Kinds: `scope=/a/` (that scope or below), `origin=<uuid>`
 * (the sender participant), `schema=<wire schema>` (`type=` too), `method=<name>` (`method=`
 * with nothing after it: events without a method).
 *
 * @example
 * ```ts
 * const keep = parseFilterSpec('schema!=utf-8-string');
 * ```
 */
export function parseFilterSpec(spec: string): EventFilter {
  const match = /^([a-z]+)(!?=)(.*)$/s.exec(spec);
  if (!match) throw new RsbToolError('RSB_BAD_FILTER', `filter '${spec}' is not kind=value or kind!=value (kinds: ${FILTER_KINDS.join(', ')})`);
  const [, kind, operator, value] = match;
  const invert = operator === '!=';
  let keep: EventFilter;
  switch (kind) {
    case 'scope': {
      let scope: Scope;
      try {
        scope = Scope.parse(value);
      } catch (err) {
        throw new RsbToolError('RSB_BAD_FILTER', `filter '${spec}': ${(err as Error).message}`);
      }
      keep = scopeFilter(scope);
      break;
    }
    case 'origin':
      try {
        uuidToBytes(value);
      } catch {
        throw new RsbToolError('RSB_BAD_FILTER', `filter '${spec}': give the sender's UUID, as the logger prints it`);
      }
      return originFilter(value, { invert });
    case 'schema':
    case 'type':
      keep = (event) => event.wireSchema === value;
      break;
    case 'method':
      if (value === '') keep = (event) => event.method === undefined;
      else return methodFilter(value, { invert });
      break;
    default:
      throw new RsbToolError('RSB_BAD_FILTER', `filter '${spec}': unknown kind '${kind}' (kinds: ${FILTER_KINDS.join(', ')})`);
  }
  return invert ? (event) => !keep(event) : keep;
}
