import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMO_RUN_SPEC } from '../../src/obe/index.js';
import { parseEngineCommand } from '../../src/obe/engine-commands.js';
import { PythonInt, pythonJsonLoads, type PythonJsonObject } from '../../src/protocols/obe/index.js';

const loads = (text: string): PythonJsonObject => pythonJsonLoads(text, { keepInts: true }) as PythonJsonObject;

describe('parseEngineCommand', () => {
  it('types the fields the engine needs: JSON ints become numbers', () => {
    expect(parseEngineCommand('newdat', loads('{"command": "newdata", "x": [2, 0.5], "y": 7, "s": [1, 2.5]}'))).toEqual({ op: 'newdat', x: [2, 0.5], y: 7, s: [1, 2.5] });
    expect(parseEngineCommand('goodset', loads('{"command": "goodset", "pickiness": 6}'))).toEqual({ op: 'goodset', pickiness: 6 });
    expect(parseEngineCommand('goodset', loads('{"command": "goodset", "pickiness": null}'))).toEqual({ op: 'goodset' });
    expect(parseEngineCommand('getmean', loads('{"command": "getmean", "extra": 1}'))).toEqual({ op: 'getmean' });
    expect(parseEngineCommand('newrun', loads('{"command": "newrun", "user": "key"}'))).toEqual({ op: 'newrun' });
    expect(parseEngineCommand('newrun', loads('{"command": "newrun", "lolim": 2, "hilim": 3.0, "steps": 200}'))).toEqual({ op: 'newrun', grid: { lolim: 2, hilim: 3, steps: 200 } });
  });

  it('parses a newrun spec at the boundary, keeping which values were ints', () => {
    const command = parseEngineCommand('newrun', loads('{"command": "newrun", "spec": {"model": "line", "settings": [[0, 1, 2]], "constants": [1, 2.5], "prior": [{"dist": "uniform", "low": 0, "high": 1}, {"dist": "uniform", "low": 0, "high": 1}]}}'));
    expect(command).toMatchObject({ op: 'startrun', spec: { constants: [1, 2.5], ints: { constants: [true, false], settings: [true] } } });
  });

  it('refuses what the original would crash on, with stable codes and messages', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['newdat', '{"x": [2.5], "y": 1.0}', /^newdat: the request has no 's' key$/],
      ['newdat', '{"x": "f", "y": 1.0, "s": 0.1}', /^newdat: 'x' must be a number or a list of numbers$/],
      ['newdat', '{"x": [2.5, "a"], "y": 1.0, "s": 0.1}', /^newdat: 'x'\[1\] must be a number$/],
      ['goodset', '{"pickiness": "high"}', /^goodset: 'pickiness' must be a number or null$/],
      ['newrun', '{"lolim": 2}', /^newrun: 'hilim' must be a number$/],
      ['newrun', '{"lolim": 2, "hilim": 3, "steps": 2.5}', /^newrun: 'steps' must be a positive integer$/],
      ['newrun', '{"lolim": 2, "hilim": Infinity, "steps": 2}', /^newrun: 'hilim' must be a number$/],
    ];
    for (const [op, text, message] of cases) {
      expect(() => parseEngineCommand(op as 'newdat', loads(text))).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT', message: expect.stringMatching(message) }));
    }
    expect(() => parseEngineCommand('newrun', loads('{"spec": {"model": "nope"}}'))).toThrow(expect.objectContaining({ code: 'INVALID_RUN_SPEC' }));
    // Module models are for config files only.
    expect(() => parseEngineCommand('newrun', { spec: { ...DEMO_RUN_SPEC, model: { module: '/tmp/m.mjs' } } as never })).toThrow(/config file/);
  });

  it('gives commands that a structured clone copies unchanged (fast-check)', () => {
    const num = fc.oneof(fc.double({ noNaN: true }), fc.integer().map((n) => new PythonInt(n)));
    const field = fc.oneof(num, fc.array(num, { maxLength: 4 }));
    fc.assert(
      fc.property(field, field, field, fc.option(num), (x, y, s, pickiness) => {
        for (const command of [parseEngineCommand('newdat', { x, y, s }), parseEngineCommand('goodset', pickiness === null ? {} : { pickiness })]) {
          expect(structuredClone(command)).toEqual(command);
          // Only plain numbers inside: nothing for the worker to rebuild.
          expect(JSON.stringify(command, (_k, v: unknown) => (v instanceof PythonInt ? 'PythonInt' : v))).not.toContain('PythonInt');
        }
      }),
    );
  });
});
