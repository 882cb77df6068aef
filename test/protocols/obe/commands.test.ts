import { describe, expect, it } from 'vitest';
import { matchObeCommand, OBE_COMMANDS, ObeMessageError, parseObeRequest } from '../../../src/protocols/obe/index.js';

describe('OBE command matching (Q6)', () => {
  it('matches every exact name to itself', () => {
    for (const name of OBE_COMMANDS) expect(matchObeCommand(name)).toBe(name);
  });

  it.each([
    ['newdata', 'newdat'],
    ['getsettings', 'getset'],
    ['goodsetting', 'goodset'],
    ['optsetting', 'optset'],
    ['getparameters', 'getpar'],
    ['xgetpdfw', 'getpdf'],
    ['getpdfw2', 'getpdf'],
    ['xgetwgt_getpar', 'getpar'],
    ['ready?', 'ready'],
    ['all done', 'done'],
  ])('falls back to the first substring in dispatch order: %s -> %s', (sent, expected) => {
    expect(matchObeCommand(sent)).toBe(expected);
  });

  it('matches getpdfw by its exact name only (Q15)', () => {
    expect(matchObeCommand('getpdfw')).toBe('getpdfw');
    expect(parseObeRequest({ command: 'getpdfw' }).command).toBe('getpdfw');
    // Lists: the original's names keep their priority; getpdfw only when none of them is there.
    expect(matchObeCommand(['getpdfw'])).toBe('getpdfw');
    expect(matchObeCommand(['getpdfw', 'getpdf'])).toBe('getpdf');
    expect(matchObeCommand('GETPDFW')).toBeUndefined();
  });

  it('is case-sensitive and matches lists by element', () => {
    expect(matchObeCommand('READY')).toBeUndefined();
    expect(matchObeCommand(['x', 'getmean', 'getset'])).toBe('getset');
    expect(matchObeCommand(['newdata'])).toBeUndefined();
  });

  it.each([
    [[1, 2], 'NOT_AN_OBJECT'],
    [5, 'NOT_AN_OBJECT'],
    ['ready', 'NOT_AN_OBJECT'],
    [{}, 'MISSING_COMMAND'],
    [{ command: 5 }, 'BAD_COMMAND'],
    [{ command: null }, 'BAD_COMMAND'],
    [{ command: 'READY' }, 'UNKNOWN_COMMAND'],
  ])('rejects %j with %s', (value, code) => {
    expect(() => parseObeRequest(value as never)).toThrow(ObeMessageError);
    try {
      parseObeRequest(value as never);
    } catch (err) {
      expect((err as ObeMessageError).code).toBe(code);
    }
  });

  it('keeps the whole message for hooks', () => {
    const message = { command: 'newrun', lolim: 2, hilim: 3, steps: 25, extra: 'x' };
    expect(parseObeRequest(message)).toEqual({ command: 'newrun', sentCommand: 'newrun', message });
  });
});
