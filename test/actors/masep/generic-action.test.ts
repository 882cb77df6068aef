import { describe, expect, it } from 'vitest';
import { parseActionSpec, toAction } from '../../../src/actors/masep/index.js';
import { Action, Value, actionMessage, encodeMessageText } from '../../../src/protocols/masep/index.js';
import { ACTION_EXAMPLE, INTERFACE_ID } from '../../protocols/masep/spec-examples.js';

describe('toAction', () => {
  it("builds the spec's ACTION example from a type number and plain params", () => {
    const action = toAction({ type: 5, params: { direction: 'up', count: 2 } })!;
    expect(encodeMessageText(actionMessage(INTERFACE_ID, action))).toBe(ACTION_EXAMPLE.payload);
  });

  it('types plain params as pymasep writes them, and keeps typed values as given', () => {
    const action = toAction({
      type: 3,
      params: { weight: 0.5, sure: true, nothing: null, cells: [1, 'x'], where: { row: 0 }, exact: Value.float(1) },
    })!;
    expect(Object.fromEntries(action.parameters)).toEqual({
      weight: Value.float(0.5),
      sure: Value.bool(true),
      nothing: Value.none(),
      cells: Value.list(Value.int(1), Value.str('x')),
      where: Value.dict({ row: Value.int(0) }),
      exact: Value.float(1),
    });
    const given = new Action(1);
    expect(toAction(given)).toBe(given);
    expect(toAction(null)).toBeNull();
  });

  it('refuses what is no action', () => {
    expect(() => toAction({ type: 1.5 })).toThrowError(expect.objectContaining({ code: 'MASEP_BAD_POLICY' }));
    expect(() => toAction({ type: 1, params: { x: Number.NaN } })).toThrowError(expect.objectContaining({ code: 'MASEP_BAD_POLICY' }));
  });
});

describe('parseActionSpec', () => {
  it('reads `<type> key=value …` with values as Python literals', () => {
    expect(parseActionSpec('1 row=0 col=2')).toEqual({ type: 1, params: { row: 0, col: 2 } });
    expect(parseActionSpec(" 5  direction=up label='7' ok=True none=None w=0.5 f=1.0 ")).toEqual({
      type: 5,
      params: { direction: 'up', label: '7', ok: true, none: null, w: Value.float(0.5), f: Value.float(1) },
    });
    expect(parseActionSpec('0')).toEqual({ type: 0, params: {} });
  });

  it('refuses a spec without an integer type or with a word that is not key=value', () => {
    for (const bad of ['', 'up', '1.5 a=1', '1 row', '1 =3']) {
      expect(() => parseActionSpec(bad)).toThrowError(expect.objectContaining({ code: 'MASEP_BAD_POLICY' }));
    }
  });
});
