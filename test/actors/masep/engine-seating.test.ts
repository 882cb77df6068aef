import { describe, expect, it } from 'vitest';
import { Seating } from '../../../src/actors/masep/engine-seating.js';
import { RESOURCE_GRID, createInProcessLinks, demoGames, type MasepEngineEvent } from '../../../src/actors/masep/index.js';
import { createLogger } from '../../../src/logger.js';
import { defineMessage, registerMessage } from '../../../src/protocols/masep/index.js';

function seating(options: { game?: string; maxInterfaces?: number } = {}) {
  const events: MasepEngineEvent[] = [];
  const seats = new Seating({
    engineId: 'engine',
    games: demoGames,
    game: options.game,
    maxInterfaces: options.maxInterfaces ?? 10,
    log: createLogger('test.seating'),
    emit: (event) => events.push(event),
  });
  const join = (id: string) => seats.add(id, createInProcessLinks({ aId: id, bId: 'engine' }).b);
  return { seats, events, join };
}

describe('Seating', () => {
  it('admits unique idents up to the limit', () => {
    const { seats, join } = seating({ maxInterfaces: 2 });
    expect(seats.admission(undefined)).toBe('no hello ident');
    join('a');
    expect(seats.admission('a')).toBe('duplicate ident');
    join('b');
    expect(seats.admission('c')).toBe('connection limit 2 reached');
  });

  it('takes the game from the first DEFINE, and refuses other games and names outside the allow-list', () => {
    const { seats, join } = seating();
    const [a, b, c] = ['a', 'b', 'c'].map(join);
    expect(seats.define(a, defineMessage('a', 'os.system'))).toMatchObject({ kind: 'refuse', reason: expect.stringMatching(/unknown game/) });
    expect(seats.game).toBeUndefined();
    expect(seats.define(b, defineMessage('b', RESOURCE_GRID))).toEqual({ kind: 'game' });
    expect(seats.define(b, defineMessage('b', RESOURCE_GRID))).toEqual({ kind: 'drop', reason: 'second DEFINE' });
    expect(seats.define(c, defineMessage('c', 'other.Game'))).toEqual({ kind: 'refuse', reason: `this engine runs ${RESOURCE_GRID}, not other.Game` });
    expect(seats.define(c, defineMessage('c', RESOURCE_GRID))).toEqual({ kind: 'ok' });
  });

  it('seats Actors in the first free seat, not Observers, and frees a seat on QUIT or release', () => {
    const { seats, join } = seating({ game: RESOURCE_GRID });
    const [a, b, o] = ['a', 'b', 'o'].map(join);
    expect(seats.register(a, registerMessage('a', 'Actor'))).toEqual({ kind: 'ok' });
    expect(seats.register(a, registerMessage('a', 'Actor'))).toEqual({ kind: 'drop', reason: 'second REGISTER' });
    expect(seats.register(b, registerMessage('b', 'Actor', { id: 'a' }))).toEqual({ kind: 'drop', reason: 'REGISTER id is not the connection ident' });
    expect(seats.register(b, registerMessage('b', 'Actor'))).toEqual({ kind: 'ok' });
    expect(seats.register(o, registerMessage('o', 'Observer'))).toEqual({ kind: 'ok' });
    expect([...seats.seats]).toEqual([['player0', 'a'], ['player1', 'b']]);
    expect([seats.actors, seats.observers, seats.ready]).toEqual([2, 1, true]);
    seats.quit(a);
    expect([...seats.recipients()].map((m) => m.id)).toEqual(['b', 'o']);
    expect(seats.release(b)).toBe(true);
    expect(seats.release(b)).toBe(false);
    expect([[...seats.seats], seats.actors, seats.size]).toEqual([[], 1, 2]);
    const late = join('late');
    seats.register(late, registerMessage('late', 'Actor'));
    expect(late.agent).toBe('player0');
  });

  it('refuses an Actor when every seat is taken, and reports each refusal', () => {
    const { seats, events, join } = seating({ game: RESOURCE_GRID });
    const max = seats.game!.maxPlayers;
    for (let i = 0; i < max; i++) seats.register(join(`p${i}`), registerMessage(`p${i}`, 'Actor'));
    const extra = join('extra');
    const verdict = seats.register(extra, registerMessage('extra', 'Actor'));
    expect(verdict).toEqual({ kind: 'refuse', reason: `no free seat (${max} players)` });
    seats.refuse(extra.link, extra.id, 'no free seat');
    expect([seats.refused, events]).toEqual([1, [{ type: 'refused', id: 'extra', reason: 'no free seat' }]]);
  });
});
