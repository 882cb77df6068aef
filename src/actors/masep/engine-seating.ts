import type { Subscription } from 'rxjs';
import { SubAppRole, endMessage, readDefine, readRegister, type Message } from '../../protocols/masep/index.js';
import type { ConnectionEnd } from '../connection/connection.js';
import { ErrorBudget } from '../error-budget.js';
import type { Logger } from '../../logger.js';
import type { MasepEngineEvent } from './engine-options.js';
import { findGame, type GameDefinition, type GameRegistry } from './game.js';
import type { MasepLink } from './link.js';

/** One interface an engine serves, from its admission to its departure. */
export interface Member {
  /** Its hello ident. */
  readonly id: string;
  /** Its end of the conversation. */
  readonly link: MasepLink;
  /** Sent a DEFINE naming the engine's game. */
  defined: boolean;
  /** Its REGISTER role (`Actor`, `Observer`, ...), once registered. */
  role: string | undefined;
  /** The agent it controls (`player0`, ...), for an Actor with a seat. */
  agent: string | undefined;
  /** Sent QUIT: no seat, no more observations; waiting for its BYE or EOF. */
  leaving: boolean;
  /** The engine's subscription to its messages. */
  subscription: Subscription | undefined;
  /** Malformed messages it may still send before it is disconnected. */
  readonly errorBudget: ErrorBudget;
}

/**
 * What became of a DEFINE or REGISTER: accepted (`game`: the DEFINE chose the engine's game),
 * ignored (`drop`), or the interface is to be turned away (`refuse`).
 */
export type Verdict =
  | { readonly kind: 'ok' }
  | { readonly kind: 'game' }
  | { readonly kind: 'drop'; readonly reason: string }
  | { readonly kind: 'refuse'; readonly reason: string };

/** Options of a {@link Seating}. */
export interface SeatingOptions {
  /** The engine's ident, the `src_sub_app` of the `end` sent to refused interfaces. */
  readonly engineId: string;
  /** The games a DEFINE may name. */
  readonly games: GameRegistry;
  /** The game to run before any DEFINE (a registry name); DEFINEs must then name it. */
  readonly game?: string;
  /** Actors to seat before an episode starts (bounded by the game's `minPlayers` and `maxPlayers`). */
  readonly players?: number;
  /** Interfaces served at once. */
  readonly maxInterfaces: number;
  /** Where refusals are logged. */
  readonly log: Logger;
  /** Reports `refused` events. */
  readonly emit: (event: MasepEngineEvent) => void;
}

/**
 * Who an engine serves (spec §5 "define()" and "REGISTER", §6.1 items 6 to 10): the interfaces by
 * hello ident, admission (ident present and unique, the connection limit), the game a DEFINE names
 * (from the allow-list only), the seats `player0…` given to Actors on REGISTER, the interfaces
 * observations go to, and the graceful refusal (`end`, `BYE`, close) a Python interface survives. It knows nothing of episodes (docs/ARCHITECTURE.md,
 * "pymasep: the engine's parts").
 */
export class Seating {
  private readonly options: SeatingOptions;
  private readonly counts = { actors: 0, observers: 0, refused: 0 };
  private readonly members = new Map<string, Member>();
  /** Interface id by seated agent. */
  private readonly seatMap = new Map<string, string>();
  private chosen: GameDefinition<unknown> | undefined;

  /** Throws `MASEP_UNKNOWN_GAME` or `MASEP_BAD_GAME` for a configured game it cannot run. */
  constructor(options: SeatingOptions) {
    this.options = options;
    if (options.game !== undefined) this.chosen = findGame(options.games, options.game);
  }

  /** The game being run, once configured or defined. */
  get game(): GameDefinition<unknown> | undefined {
    return this.chosen;
  }

  /** Whether enough Actors are seated for an episode of the game. */
  get ready(): boolean {
    const game = this.chosen;
    if (game === undefined) return false;
    return this.seatMap.size >= Math.min(game.maxPlayers, Math.max(1, game.minPlayers, this.options.players ?? 0));
  }

  /** Actors registered (seated or leaving). */
  get actors(): number {
    return this.counts.actors;
  }

  /** Other registered interfaces. */
  get observers(): number {
    return this.counts.observers;
  }

  /** Interfaces turned away. */
  get refused(): number {
    return this.counts.refused;
  }

  /** Interfaces served. */
  get size(): number {
    return this.members.size;
  }

  /** Seated agents and the interface controlling each. */
  get seats(): ReadonlyMap<string, string> {
    return this.seatMap;
  }

  /** The member `id`, if served. */
  get(id: string): Member | undefined {
    return this.members.get(id);
  }

  /** Why an interface with this hello ident cannot be served now; `undefined` if it can. */
  admission(id: string | undefined): string | undefined {
    if (id === undefined) return 'no hello ident';
    if (this.members.has(id)) return 'duplicate ident';
    if (this.members.size >= this.options.maxInterfaces) return `connection limit ${this.options.maxInterfaces} reached`;
    return undefined;
  }

  /** Serves the interface `id` on `link` (after {@link admission} said yes). */
  add(id: string, link: MasepLink): Member {
    const member: Member = { id, link, defined: false, role: undefined, agent: undefined, leaving: false, subscription: undefined, errorBudget: new ErrorBudget() };
    this.members.set(id, member);
    return member;
  }

  /** A DEFINE from `member`: the first one chooses the game if none was configured; later ones must name it. */
  define(member: Member, message: Message): Verdict {
    if (member.defined) return { kind: 'drop', reason: 'second DEFINE' };
    const name = readDefine(message);
    if (this.chosen === undefined) {
      let game: GameDefinition<unknown>;
      try {
        game = findGame(this.options.games, name);
      } catch (err) {
        return { kind: 'refuse', reason: (err as Error).message };
      }
      member.defined = true;
      this.chosen = game;
      return { kind: 'game' };
    }
    if (name !== this.chosen.name) return { kind: 'refuse', reason: `this engine runs ${this.chosen.name}, not ${name.slice(0, 200)}` };
    member.defined = true;
    return { kind: 'ok' };
  }

  /** A REGISTER from a defined `member`: a seat for an Actor while one is free. */
  register(member: Member, message: Message): Verdict {
    if (member.role !== undefined) return { kind: 'drop', reason: 'second REGISTER' };
    const params = readRegister(message);
    if (params.id !== member.id) return { kind: 'drop', reason: 'REGISTER id is not the connection ident' };
    if (params.role === SubAppRole.ACTOR) {
      const max = this.chosen?.maxPlayers ?? 0;
      const seat = this.freeSeat(max);
      if (seat === undefined) return { kind: 'refuse', reason: `no free seat (${max} players)` };
      member.agent = seat;
      this.seatMap.set(seat, member.id);
      this.counts.actors++;
    } else {
      this.counts.observers++;
    }
    member.role = params.role;
    return { kind: 'ok' };
  }

  /** `member` sent QUIT: it gives up its seat and is sent nothing more. */
  quit(member: Member): void {
    member.leaving = true;
    if (member.agent !== undefined) this.seatMap.delete(member.agent);
  }

  /** Forgets `member`: its entry, its counts and its seat. False if already forgotten. */
  release(member: Member): boolean {
    if (this.members.get(member.id) !== member) return false;
    this.members.delete(member.id);
    member.subscription?.unsubscribe();
    if (member.role === SubAppRole.ACTOR) this.counts.actors--;
    else if (member.role !== undefined) this.counts.observers--;
    if (member.agent !== undefined) this.seatMap.delete(member.agent);
    return true;
  }

  /** The links observations go to: registered interfaces that have not sent QUIT. */
  *recipients(): IterableIterator<Member> {
    for (const member of this.members.values()) {
      if (member.role !== undefined && !member.leaving) yield member;
    }
  }

  /** Turns an interface away: counted, logged, reported, then `end`, `BYE`, close. */
  refuse(link: MasepLink, id: string | undefined, reason: string): void {
    this.counts.refused++;
    this.options.log.info('refusing interface', { id, reason });
    this.options.emit({ type: 'refused', id, reason });
    this.sayGoodbye(link);
  }

  /** `end` and `BYE` to every interface served; settles when all their links have ended. */
  goodbyeAll(): Promise<ConnectionEnd>[] {
    const members = [...this.members.values()];
    for (const member of members) this.sayGoodbye(member.link);
    return members.map((member) => member.link.closed);
  }

  /** The graceful goodbye Python interfaces exit cleanly on: `end`, `BYE`, close. */
  private sayGoodbye(link: MasepLink): void {
    try {
      link.send({ kind: 'message', message: endMessage(this.options.engineId) });
      void link.drain();
    } catch {
      void link.close();
    }
  }

  private freeSeat(max: number): string | undefined {
    for (let i = 0; i < max; i++) {
      const name = `player${i}`;
      if (!this.seatMap.has(name)) return name;
    }
    return undefined;
  }
}
