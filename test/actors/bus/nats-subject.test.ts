import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rpcSubject, scopeToSubject, subjectToScope, subscriptionSubjects } from '../../../src/protocols/rsb/nats/nats-subject.js';
import { Scope } from '../../../src/protocols/rsb/index.js';

const component = fc.stringMatching(/^[-_a-zA-Z0-9]{1,12}$/);

describe('scope <-> NATS subject', () => {
  it('maps scopes to subjects under the prefix, root included', () => {
    expect(scopeToSubject(Scope.parse('/a/b/'))).toBe('rsb.a.b');
    expect(scopeToSubject(Scope.ROOT)).toBe('rsb');
    expect(scopeToSubject(Scope.parse('/x-y/_z/'), 'lab.rsb')).toBe('lab.rsb.x-y._z');
  });

  it('subscribes a scope and its sub-scopes with two disjoint subjects', () => {
    expect(subscriptionSubjects(Scope.parse('/a/'))).toEqual(['rsb.a', 'rsb.a.>']);
    expect(subscriptionSubjects(Scope.ROOT)).toEqual(['rsb', 'rsb.>']);
  });

  it('puts RPC presence probes in a namespace of their own', () => {
    expect(rpcSubject(Scope.parse('/srv/echo/'))).toBe('rsb_rpc.srv.echo');
    expect(subjectToScope(rpcSubject(Scope.parse('/srv/echo/')))).toBeUndefined();
  });

  it('rejects subjects that are not RSB scopes', () => {
    expect(subjectToScope('other.a')).toBeUndefined();
    expect(subjectToScope('rsbx.a')).toBeUndefined();
    expect(subjectToScope('rsb.a.*')).toBeUndefined();
    expect(subjectToScope('rsb.a..b')).toBeUndefined();
  });

  it('is one-to-one: every scope reads back, `-` and `_` unchanged, never a wildcard or an extra token', () => {
    fc.assert(
      fc.property(fc.array(component, { maxLength: 6 }), (components) => {
        const scope = Scope.fromComponents(components);
        const subject = scopeToSubject(scope);
        expect(subject.split('.')).toHaveLength(components.length + 1);
        expect(subject).not.toMatch(/[*> \t]/);
        expect(subjectToScope(subject)?.text).toBe(scope.text);
      }),
      { seed: 7 },
    );
  });
});
