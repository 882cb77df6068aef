import { Scope } from '../scope.js';

/** The subject prefix of RSB traffic on NATS: scope `/a/b/` travels on `rsb.a.b`. */
export const DEFAULT_SUBJECT_PREFIX = 'rsb';

/**
 * The NATS subject of `scope`: the prefix, then one token per scope component
 * (`/a/b/` -> `rsb.a.b`, the root `/` -> `rsb`).
 *
 * Scope components are `[-_a-zA-Z0-9]+` (the scope parser guarantees it). NATS tokens may hold
 * any printable character except `.`, `*`, `>` and whitespace, so every component is already a
 * valid, literal token: `-` and `_` are carried unchanged, never escaped. The mapping is
 * therefore one-to-one, no RSB scope can produce a wildcard or an extra token, and a subject
 * from another RSB implementation that maps scopes the same way reads back identically.
 */
export function scopeToSubject(scope: Scope, prefix: string = DEFAULT_SUBJECT_PREFIX): string {
  return scope.components.length === 0 ? prefix : `${prefix}.${scope.components.join('.')}`;
}

/**
 * The two subjects a subscription on `scope` needs: the scope itself and every sub-scope
 * (`rsb.a` and `rsb.a.>` for `/a/`). They are disjoint, so one message matches at most one.
 */
export function subscriptionSubjects(scope: Scope, prefix: string = DEFAULT_SUBJECT_PREFIX): readonly [string, string] {
  const subject = scopeToSubject(scope, prefix);
  return [subject, `${subject}.>`];
}

/**
 * The scope of a subject produced by {@link scopeToSubject}, or undefined when `subject` is not
 * under `prefix` or one of its tokens is not a scope component.
 */
export function subjectToScope(subject: string, prefix: string = DEFAULT_SUBJECT_PREFIX): Scope | undefined {
  if (subject === prefix) return Scope.ROOT;
  if (!subject.startsWith(`${prefix}.`)) return undefined;
  const text = `/${subject.slice(prefix.length + 1).split('.').join('/')}/`;
  return Scope.isValid(text) ? Scope.parse(text) : undefined;
}

/**
 * The subject of RPC presence probes for the method on `scope`: `rsb_rpc.a.m` for `/a/m/`.
 * A namespace of its own, so that listeners on `rsb.>` (bridges) never see the probes.
 */
export function rpcSubject(scope: Scope, prefix: string = DEFAULT_SUBJECT_PREFIX): string {
  return scopeToSubject(scope, `${prefix}_rpc`);
}
