import { expect } from 'vitest';
import { ProtocolError } from '../../../src/protocols/errors.js';

/** Asserts that `run` throws a `ProtocolError` with `code`, and returns it. */
export function expectCode(run: () => unknown, code: string): ProtocolError {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ProtocolError);
  expect((caught as ProtocolError).code).toBe(code);
  return caught as ProtocolError;
}
