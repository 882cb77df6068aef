import type { Subscription } from 'rxjs';
import { Subject, type Observable } from 'rxjs';
import { createActor, type Actor as XActor } from 'xstate';
import { createLogger, type Logger } from '../../logger.js';
import {
  MessageType,
  SubAppRole,
  createMasepProtocol,
  createSubAppId,
  encodeMessage,
  endMessage,
  observationMessage,
  readAction,
  readDefine,
  readRegister,
  validateIdent,
  type Action,
  type MasepFrame,
  type MasepOutgoing,
  type Message,
  type ObjectRegistry,
} from '../../protocols/masep/index.js';
import type { Connection } from '../connection/connection.js';
import type { ConnectionOptions } from '../connection/options.js';
import { Server, type ListenAddress } from '../server.js';
import { DiscoveryResponder, type DiscoveryResponderOptions } from './discovery-responder.js';
import { engineLifecycleMachine, type EngineLifecycleEvent } from './engine-lifecycle.js';
import { MasepActorError } from './errors.js';
import type { Coordination, EpisodeContext, GameDefinition, GameRegistry } from './game.js';
import { ErrorBudget } from '../error-budget.js';
import { createInProcessLinks, type MasepLink } from './link.js';
import { buildObservationState, observationInfo } from './observation-state.js';

/** What the engine does with an Actor that has not acted within `actionTimeoutMs`. */
export type ActionTimeoutPolicy = 'skip' | 'remove';

/** Options of a {@link MasepEngine}. */
export interface MasepEngineOptions {
  /** The games a DEFINE may name. */
  readonly games: GameRegistry;
  /** Run this game (a registry name) without waiting for a DEFINE; DEFINEs must then name it. */
  readonly game?: string;
  /** The engine's sub-app id (hello ident). Default: a new UUID. */
  readonly id?: string;
  /**
   * Actors seated before an episode starts: at least the game's `minPlayers`, at most its
   * `maxPlayers`. Default the game's `minPlayers`.
   */
  readonly players?: number;
  /** Episodes to play before sending `end`. Default `Infinity`. */
  readonly episodes?: number;
  /** TCP host for {@link MasepEngine.listen}. Default `127.0.0.1`. */
  readonly host?: string;
  /** TCP port. Default 60000 (pymasep's); 0 picks a free one. */
  readonly port?: number;
  /** Interfaces served at once (Actors and Observers); the next one is refused gracefully. Default 10. */
  readonly maxConnections?: number;
  /** Time a TCP client has to send its hello, in ms. Default 5 000. */
  readonly handshakeTimeoutMs?: number;
  /** Time an Actor has to act, in ms; 0 waits forever (pymasep's behaviour). Default 10 000. */
  readonly actionTimeoutMs?: number;
  /** `skip` the turn (the game gets a `null` action) or `remove` the agent. Default `skip`. */
  readonly onActionTimeout?: ActionTimeoutPolicy;
  /** Steps after which an episode is cut short. Default `Infinity`. */
  readonly maxStepsPerEpisode?: number;
  /** Seed of the games' random numbers. Default 1. */
  readonly seed?: number;
  /** Object classes accepted in received params. Default pymasep's own. */
  readonly objects?: ObjectRegistry;
  /** Options of each accepted TCP connection. */
  readonly connection?: ConnectionOptions;
  /** Answer UDP discovery queries while listening (group and port default to pymasep's). */
  readonly discovery?: Omit<DiscoveryResponderOptions, 'tcpPort'>;
}

/** Something that happened in the engine (one per seat change, step or episode, never per frame). */
export type MasepEngineEvent =
  | { readonly type: 'game-defined'; readonly game: string }
  | { readonly type: 'joined'; readonly id: string; readonly role: string; readonly agent?: string }
  | { readonly type: 'left'; readonly id: string; readonly reason: string }
  | { readonly type: 'refused'; readonly id: string | undefined; readonly reason: string }
  | { readonly type: 'dropped'; readonly id: string; readonly reason: string }
  | { readonly type: 'episode-started'; readonly episode: number; readonly players: readonly string[] }
  | { readonly type: 'step'; readonly episode: number; readonly step: number; readonly rewards: Readonly<Record<string, number>> }
  | { readonly type: 'timeout'; readonly episode: number; readonly step: number; readonly agents: readonly string[] }
  | { readonly type: 'episode-ended'; readonly episode: number; readonly steps: number; readonly rewards: Readonly<Record<string, number>> }
  | { readonly type: 'ended'; readonly episodes: number };

/** Counters of an engine. */
export interface MasepEngineStats {
  interfaces: number;
  actors: number;
  observers: number;
  episodesPlayed: number;
  steps: number;
  actionsApplied: number;
  observationsSent: number;
  /** Messages ignored: malformed, spoofed, out of turn, before DEFINE, ... */
  messagesDropped: number;
  /** Interfaces disconnected because they sent too many malformed messages in a short time. */
  badPeersClosed: number;
  /** Interfaces turned away (limit, duplicate ident, other game, no seat). */
  refused: number;
  timeouts: number;
}

/** The per-episode summary {@link MasepEngine.done} resolves with. */
export interface EpisodeSummary {
  readonly episode: number;
  readonly steps: number;
  readonly rewards: Readonly<Record<string, number>>;
}

interface SubApp {
  readonly id: string;
  readonly link: MasepLink;
  defined: boolean;
  role: string | undefined;
  agent: string | undefined;
  /** Sent QUIT: no seat, no more observations; waiting for its BYE or EOF. */
  leaving: boolean;
  subscription: Subscription | undefined;
  /** Malformed messages it may still send before it is disconnected. */
  readonly errorBudget: ErrorBudget;
}

interface Episode {
  readonly index: number;
  readonly ctx: EpisodeContext;
  readonly control: Map<string, string>;
  readonly active: Set<string>;
  state: unknown;
  step: number;
  head: number;
  readonly pending: Map<string, Action | null>;
  readonly totals: Record<string, number>;
  lastRewards: Readonly<Record<string, number>>;
  timer: NodeJS.Timeout | undefined;
}

const DEFAULT_PORT = 60000;
/** TCP connections beyond the limit still admitted, so that they can be refused gracefully. */
const REFUSAL_SLACK = 8;

/** A small seeded generator (mulberry32) for the games' `random`. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A pymasep engine: the TCP server interfaces connect to (or in-process links), running one game
 * from an allow-list for a number of episodes (spec §5), with the original's weaknesses fixed:
 * per-connection handshakes with a timeout, a connection limit with a graceful refusal (`end`,
 * `BYE`, close), `src_sub_app` checked against the hello ident, bad messages dropped instead of
 * crashing, departures (BYE or EOF) handled, and action timeouts.
 *
 * @example
 * ```ts
 * const engine = new MasepEngine({ games: demoGames, game: 'actorwire.games.ResourceGrid', port: 0, episodes: 3 });
 * const { port } = await engine.listen();
 * const summaries = await engine.done;
 * ```
 */
export class MasepEngine {
  /** The engine's sub-app id, sent in its hello and as `src_sub_app`. */
  readonly id: string;
  /** Seat changes, steps and episodes as they happen. */
  readonly events$: Observable<MasepEngineEvent>;
  /** Resolves with every episode's summary once the engine has ended. */
  readonly done: Promise<EpisodeSummary[]>;

  private readonly options: MasepEngineOptions;
  private readonly log: Logger;
  private readonly events = new Subject<MasepEngineEvent>();
  private readonly subApps = new Map<string, SubApp>();
  private readonly seats = new Map<string, string>();
  private readonly summaries: EpisodeSummary[] = [];
  private readonly lifecycle: XActor<typeof engineLifecycleMachine>;
  private readonly counters: MasepEngineStats = {
    interfaces: 0,
    actors: 0,
    observers: 0,
    episodesPlayed: 0,
    steps: 0,
    actionsApplied: 0,
    observationsSent: 0,
    messagesDropped: 0,
    badPeersClosed: 0,
    refused: 0,
    timeouts: 0,
  };
  private server: Server<MasepFrame, MasepOutgoing> | undefined;
  private discovery: DiscoveryResponder | undefined;
  private game: GameDefinition<unknown> | undefined;
  private episode: Episode | undefined;
  private episodeCount = 0;
  private lastObservation: Uint8Array | undefined;
  private ending = false;
  private resolveDone!: (summaries: EpisodeSummary[]) => void;

  constructor(options: MasepEngineOptions) {
    this.options = options;
    this.id = validateIdent(options.id ?? createSubAppId());
    this.log = createLogger('masep.engine');
    this.events$ = this.events.asObservable();
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    if (options.game !== undefined) this.game = this.lookupGame(options.game);
    this.lifecycle = createActor(engineLifecycleMachine, {
      input: {
        enoughPlayers: () => this.game !== undefined && this.seats.size >= this.playersNeeded(this.game),
        moreEpisodes: () => !this.ending && this.episodeCount < (this.options.episodes ?? Infinity),
        startEpisode: () => this.startEpisode(),
        finish: () => void this.finish(),
      },
    });
    this.lifecycle.start();
    if (this.game) this.gameDefined();
  }

  /** The game being run, once defined. */
  get gameName(): string | undefined {
    return this.game?.name;
  }

  /** How the game being run coordinates its agents, once defined. */
  get coordination(): Coordination | undefined {
    return this.game?.coordination;
  }

  /** The lifecycle state: `awaitingGame`, `awaitingPlayers`, `playing`, `ended`, ... */
  get phase(): string {
    return String(this.lifecycle.getSnapshot().value);
  }

  /** The TCP address, once listening. */
  get address(): ListenAddress | undefined {
    return this.server?.address;
  }

  /** @internal The TCP server and its connections, once listening (for the monitor, docs/MONITOR.md). */
  get acceptor(): Server<MasepFrame, MasepOutgoing> | undefined {
    return this.server;
  }

  /** Starts the TCP server; resolves with the bound address. */
  async listen(): Promise<ListenAddress> {
    if (this.server) return this.server.listen();
    const max = this.maxInterfaces();
    const server = new Server<MasepFrame, MasepOutgoing>({
      protocol: createMasepProtocol({ objects: this.options.objects }),
      host: this.options.host ?? '127.0.0.1',
      port: this.options.port ?? DEFAULT_PORT,
      maxConnections: max + REFUSAL_SLACK,
      // Silent players and observers are normal; silent sockets that never said hello are not.
      overflow: 'evict-handshaking',
      // pymasep sends its hello the moment it connects: a quarter second of silence is no client.
      evictAfterMs: 250,
      name: 'masep.engine',
      connection: {
        handshakeTimeoutMs: this.options.handshakeTimeoutMs ?? 5_000,
        ...this.options.connection,
        localId: this.id,
      },
    });
    server.connections$.subscribe((connection) => void this.onConnection(connection));
    this.server = server;
    const address = await server.listen();
    if (this.options.discovery) {
      const advertisedHost = this.options.discovery.advertisedHost ?? (address.host === '0.0.0.0' ? undefined : address.host);
      this.discovery = new DiscoveryResponder({ ...this.options.discovery, advertisedHost, tcpPort: address.port });
      try {
        await this.discovery.start();
      } catch (err) {
        await server.close();
        throw err;
      }
    }
    return address;
  }

  /**
   * Serves an interface over an in-process link (no sockets). Returns the interface's end of the
   * link; hand it to a `MasepInterface`.
   */
  connectInProcess(interfaceId: string = createSubAppId()): MasepLink {
    const { a, b } = createInProcessLinks({ aId: validateIdent(interfaceId), bId: this.id, objects: this.options.objects });
    this.admit(b);
    return a;
  }

  /** Serves an interface over a link whose hello exchange is done (`link.peerId` set). */
  admit(link: MasepLink): void {
    const id = link.peerId;
    if (id === undefined || this.ending) {
      this.refuse(link, id, this.ending ? 'engine is ending' : 'no hello ident');
      return;
    }
    if (this.subApps.has(id)) {
      this.refuse(link, id, 'duplicate ident');
      return;
    }
    if (this.subApps.size >= this.maxInterfaces()) {
      this.refuse(link, id, `connection limit ${this.maxInterfaces()} reached`);
      return;
    }
    const sub: SubApp = { id, link, defined: false, role: undefined, agent: undefined, leaving: false, subscription: undefined, errorBudget: new ErrorBudget() };
    this.subApps.set(id, sub);
    this.counters.interfaces = this.subApps.size;
    sub.subscription = link.messages$.subscribe({ next: (frame) => this.onFrame(sub, frame) });
    void link.closed.then((end) => this.depart(sub, end.error ? `${end.reason}: ${end.error.message}` : end.reason));
  }

  /** Ends the engine now: `end` and `BYE` to every interface, then close. */
  stop(): Promise<EpisodeSummary[]> {
    this.ending = true;
    this.signal({ type: 'STOP' });
    return this.done;
  }

  /** A snapshot of the counters. */
  stats(): MasepEngineStats {
    return { ...this.counters };
  }

  // ---- admission ------------------------------------------------------------------------------

  private playersNeeded(game: GameDefinition<unknown>): number {
    return Math.min(game.maxPlayers, Math.max(1, game.minPlayers, this.options.players ?? 0));
  }

  private maxInterfaces(): number {
    return this.options.maxConnections ?? 10;
  }

  private async onConnection(connection: Connection<MasepFrame, MasepOutgoing>): Promise<void> {
    try {
      await connection.whenOpen();
    } catch {
      return; // handshake failed or timed out: the connection already ended
    }
    this.admit(connection);
  }

  private refuse(link: MasepLink, id: string | undefined, reason: string): void {
    this.counters.refused++;
    this.log.info('refusing interface', { id, reason });
    this.emit({ type: 'refused', id, reason });
    this.sendEndAndBye(link);
  }

  /** The graceful goodbye Python interfaces exit cleanly on: `end`, `BYE`, close. */
  private sendEndAndBye(link: MasepLink): void {
    try {
      link.send({ kind: 'message', message: endMessage(this.id) });
      void link.drain();
    } catch {
      void link.close();
    }
  }

  /** Forgets an interface: its entry, its counters and its seat. False if already forgotten. */
  private release(sub: SubApp): boolean {
    if (this.subApps.get(sub.id) !== sub) return false;
    this.subApps.delete(sub.id);
    sub.subscription?.unsubscribe();
    this.counters.interfaces = this.subApps.size;
    if (sub.role === SubAppRole.ACTOR) this.counters.actors--;
    else if (sub.role !== undefined) this.counters.observers--;
    if (sub.agent !== undefined) this.seats.delete(sub.agent);
    return true;
  }

  /** An interface left (BYE, EOF, error): its agent leaves the episode. */
  private depart(sub: SubApp, reason: string): void {
    if (!this.release(sub)) return;
    this.emit({ type: 'left', id: sub.id, reason });
    if (sub.agent !== undefined) {
      this.removeFromEpisode(sub.agent);
      this.signal({ type: 'SEATS_CHANGED' });
    }
  }

  // ---- messages -------------------------------------------------------------------------------

  private drop(sub: SubApp, reason: string): void {
    this.counters.messagesDropped++;
    this.log.warn('dropping message', { id: sub.id, reason });
    this.emit({ type: 'dropped', id: sub.id, reason });
  }

  private onFrame(sub: SubApp, frame: MasepFrame): void {
    if (frame.kind === 'malformed') {
      if (sub.errorBudget.spend()) {
        this.drop(sub, `malformed message (${frame.error.code}): ${frame.error.message}`);
        return;
      }
      this.counters.messagesDropped++;
      this.counters.badPeersClosed++;
      this.log.warn('closing an interface that sent too many malformed messages', {
        id: sub.id,
        badFrames: sub.errorBudget.count,
        windowMs: sub.errorBudget.limits.windowMs,
      });
      void sub.link.close();
      return;
    }
    if (frame.kind !== 'message') return; // hello/bye are handled by the link
    const message = frame.message;
    if (message.srcSubApp !== sub.id) {
      this.drop(sub, `src_sub_app ${JSON.stringify(message.srcSubApp.slice(0, 64))} is not the connection's ident`);
      return;
    }
    if (!sub.defined && message.msgType !== MessageType.DEFINE) {
      this.drop(sub, `${message.msgType.slice(0, 40)} before DEFINE`);
      return;
    }
    try {
      switch (message.msgType) {
        case MessageType.DEFINE:
          this.onDefine(sub, message);
          return;
        case MessageType.REGISTER:
          this.onRegister(sub, message);
          return;
        case MessageType.ACTION:
          this.onAction(sub, message);
          return;
        case MessageType.QUIT:
          this.onQuit(sub);
          return;
        default:
          this.drop(sub, `unexpected ${message.msgType.slice(0, 40)} message`);
      }
    } catch (err) {
      this.drop(sub, err instanceof Error ? err.message : String(err));
    }
  }

  private onDefine(sub: SubApp, message: Message): void {
    if (sub.defined) {
      this.drop(sub, 'second DEFINE');
      return;
    }
    const name = readDefine(message);
    if (this.game === undefined) {
      let game: GameDefinition<unknown>;
      try {
        game = this.lookupGame(name);
      } catch (err) {
        this.forget(sub, (err as Error).message);
        return;
      }
      sub.defined = true;
      this.game = game;
      this.gameDefined();
      return;
    }
    if (name !== this.game.name) {
      this.forget(sub, `this engine runs ${this.game.name}, not ${name.slice(0, 200)}`);
      return;
    }
    sub.defined = true;
  }

  private onRegister(sub: SubApp, message: Message): void {
    if (sub.role !== undefined) {
      this.drop(sub, 'second REGISTER');
      return;
    }
    const params = readRegister(message);
    if (params.id !== sub.id) {
      this.drop(sub, 'REGISTER id is not the connection ident');
      return;
    }
    if (params.role === SubAppRole.ACTOR) {
      const seat = this.freeSeat();
      if (seat === undefined) {
        this.forget(sub, `no free seat (${this.game!.maxPlayers} players)`);
        return;
      }
      sub.role = params.role;
      sub.agent = seat;
      this.seats.set(seat, sub.id);
      this.counters.actors++;
    } else {
      sub.role = params.role;
      this.counters.observers++;
    }
    this.log.info('interface joined', { id: sub.id, role: params.role, agent: sub.agent });
    this.emit({ type: 'joined', id: sub.id, role: params.role, agent: sub.agent });
    if (this.episode && this.lastObservation) this.sendPayload(sub, this.lastObservation);
    if (sub.agent !== undefined) this.signal({ type: 'SEATS_CHANGED' });
  }

  private onAction(sub: SubApp, message: Message): void {
    const episode = this.episode;
    const agent = sub.agent;
    if (agent === undefined) {
      this.drop(sub, 'ACTION from an interface without an agent');
      return;
    }
    if (!episode || !episode.active.has(agent) || !this.expects(episode, agent)) {
      this.drop(sub, `ACTION out of turn from ${agent}`);
      return;
    }
    episode.pending.set(agent, readAction(message));
    this.counters.actionsApplied++;
    if (this.allActed(episode)) this.advance(episode);
  }

  /**
   * QUIT ends the current episode, as in pymasep; later episodes still run, without the quitter:
   * it gives up its seat first and is sent nothing more (its BYE or EOF then only closes), so the
   * episode that may start next neither seats it nor ends again, empty, when it leaves.
   */
  private onQuit(sub: SubApp): void {
    if (sub.role === undefined) {
      this.drop(sub, 'QUIT from an unregistered interface');
      return;
    }
    sub.leaving = true;
    if (sub.agent !== undefined) {
      this.seats.delete(sub.agent);
      this.removeFromEpisode(sub.agent);
    }
    if (this.episode) this.endEpisode(this.episode);
    if (sub.agent !== undefined) this.signal({ type: 'SEATS_CHANGED' });
  }

  /** Turns an interface away after its DEFINE or REGISTER: `end`, `BYE`, close. */
  private forget(sub: SubApp, reason: string): void {
    if (!this.release(sub)) return;
    this.refuse(sub.link, sub.id, reason);
    if (sub.agent !== undefined) {
      this.removeFromEpisode(sub.agent);
      this.signal({ type: 'SEATS_CHANGED' });
    }
  }

  private freeSeat(): string | undefined {
    const max = this.game?.maxPlayers ?? 0;
    for (let i = 0; i < max; i++) {
      const name = `player${i}`;
      if (!this.seats.has(name)) return name;
    }
    return undefined;
  }

  // ---- episodes -------------------------------------------------------------------------------

  /** The registered game `name`; `MASEP_UNKNOWN_GAME` or `MASEP_BAD_GAME` otherwise. */
  private lookupGame(name: string): GameDefinition<unknown> {
    const game = this.options.games.get(name);
    if (game === undefined) throw new MasepActorError('MASEP_UNKNOWN_GAME', `unknown game ${JSON.stringify(name.slice(0, 200))}`);
    if (!(game.minPlayers >= 1 && game.maxPlayers >= game.minPlayers)) {
      throw new MasepActorError('MASEP_BAD_GAME', `${name}: need 1 <= minPlayers <= maxPlayers`);
    }
    return game;
  }

  private gameDefined(): void {
    this.emit({ type: 'game-defined', game: this.game!.name });
    this.signal({ type: 'GAME_DEFINED' });
  }

  private startEpisode(): void {
    const game = this.game!;
    const players = [...this.seats.keys()].sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
    const index = this.episodeCount++;
    const ctx: EpisodeContext = {
      episode: index,
      players,
      random: seededRandom(((this.options.seed ?? 1) * 0x9e3779b1 + index) >>> 0),
    };
    const episode: Episode = {
      index,
      ctx,
      control: new Map(players.map((p) => [p, this.seats.get(p)!])),
      active: new Set(players),
      state: undefined,
      step: 0,
      head: 0,
      pending: new Map(),
      totals: Object.fromEntries(players.map((p) => [p, 0])),
      lastRewards: {},
      timer: undefined,
    };
    this.episode = episode;
    this.emit({ type: 'episode-started', episode: index, players });
    try {
      episode.state = game.init(ctx);
    } catch (err) {
      this.log.error('game init failed', { error: err });
      this.endEpisode(episode);
      return;
    }
    this.broadcast(episode, false);
    this.awaitActions(episode);
  }

  /** Whether `agent` is expected to act now. */
  private expects(episode: Episode, agent: string): boolean {
    if (episode.pending.has(agent)) return false;
    if (this.game!.coordination === 'simultaneous') return true;
    return episode.ctx.players[episode.head] === agent;
  }

  private expectedAgents(episode: Episode): string[] {
    if (this.game!.coordination === 'simultaneous') return [...episode.active];
    const current = episode.ctx.players[episode.head];
    return current !== undefined && episode.active.has(current) ? [current] : [];
  }

  private allActed(episode: Episode): boolean {
    return this.expectedAgents(episode).every((agent) => episode.pending.has(agent));
  }

  private awaitActions(episode: Episode): void {
    const timeout = this.options.actionTimeoutMs ?? 10_000;
    if (timeout <= 0 || this.episode !== episode) return;
    clearTimeout(episode.timer);
    episode.timer = setTimeout(() => this.onActionTimeout(episode), timeout);
    episode.timer.unref?.();
  }

  private onActionTimeout(episode: Episode): void {
    if (this.episode !== episode) return;
    const late = this.expectedAgents(episode).filter((agent) => !episode.pending.has(agent));
    if (late.length === 0) return;
    this.counters.timeouts++;
    this.emit({ type: 'timeout', episode: episode.index, step: episode.step, agents: late });
    const policy = this.options.onActionTimeout ?? 'skip';
    for (const agent of late) {
      if (policy === 'remove') {
        // Out of the episode first, so that forgetting the interface does not step the game.
        episode.active.delete(agent);
        const sub = this.subApps.get(episode.control.get(agent) ?? '');
        if (sub) this.forget(sub, `${agent} did not act within ${this.options.actionTimeoutMs ?? 10_000} ms`);
      } else {
        episode.pending.set(agent, null);
      }
    }
    if (episode.active.size === 0) this.endEpisode(episode);
    else this.advance(episode);
  }

  private removeFromEpisode(agent: string): void {
    const episode = this.episode;
    if (!episode || !episode.active.delete(agent)) return;
    if (episode.active.size === 0) {
      this.endEpisode(episode);
      return;
    }
    if (this.game!.coordination === 'turn' && episode.ctx.players[episode.head] === agent) this.advance(episode);
    else if (this.allActed(episode) && episode.pending.size > 0) this.advance(episode);
  }

  private advance(episode: Episode): void {
    if (this.episode !== episode) return;
    clearTimeout(episode.timer);
    const game = this.game!;
    const actions = new Map<string, Action | null>();
    for (const agent of this.expectedAgents(episode)) actions.set(agent, episode.pending.get(agent) ?? null);
    // A departed player whose turn it was still gets its (null) turn, so the game can move on.
    if (actions.size === 0 && game.coordination === 'turn') actions.set(episode.ctx.players[episode.head], null);
    episode.pending.clear();
    let done: boolean;
    try {
      const outcome = game.step(episode.state, actions, episode.ctx);
      episode.state = outcome.state;
      episode.lastRewards = outcome.rewards ?? {};
      done = outcome.done;
    } catch (err) {
      this.log.error('game step failed; ending the episode', { error: err });
      this.endEpisode(episode);
      return;
    }
    for (const [agent, reward] of Object.entries(episode.lastRewards)) {
      if (agent in episode.totals) episode.totals[agent] += reward;
    }
    episode.step++;
    this.counters.steps++;
    if (game.coordination === 'turn') episode.head = this.nextActive(episode);
    done ||= episode.step >= (this.options.maxStepsPerEpisode ?? Infinity);
    this.emit({ type: 'step', episode: episode.index, step: episode.step, rewards: episode.lastRewards });
    this.broadcast(episode, done);
    if (done) this.endEpisode(episode);
    else this.awaitActions(episode);
  }

  private nextActive(episode: Episode): number {
    const n = episode.ctx.players.length;
    for (let k = 1; k <= n; k++) {
      const index = (episode.head + k) % n;
      if (episode.active.has(episode.ctx.players[index])) return index;
    }
    return episode.head;
  }

  private endEpisode(episode: Episode): void {
    if (this.episode !== episode) return;
    clearTimeout(episode.timer);
    this.episode = undefined;
    this.lastObservation = undefined;
    this.counters.episodesPlayed++;
    const summary: EpisodeSummary = { episode: episode.index, steps: episode.step, rewards: { ...episode.totals } };
    this.summaries.push(summary);
    this.emit({ type: 'episode-ended', ...summary });
    this.signal({ type: 'EPISODE_ENDED' });
  }

  /** Encodes the observation once and sends it to every registered interface. */
  private broadcast(episode: Episode, isFinal: boolean): void {
    const game = this.game!;
    let payload: Uint8Array;
    try {
      const state = buildObservationState({
        view: game.render(episode.state, episode.ctx),
        players: episode.ctx.players,
        control: episode.control,
        head: episode.head,
        envStep: episode.step,
        isFinal,
      });
      const info = observationInfo(episode.ctx.players, episode.lastRewards);
      payload = encodeMessage(observationMessage(this.id, state, info));
    } catch (err) {
      // E.g. FRAME_TOO_LARGE is caught when framing below; a render error ends nothing else.
      this.log.error('cannot build the observation', { error: err });
      return;
    }
    this.lastObservation = payload;
    for (const sub of this.subApps.values()) {
      if (sub.role !== undefined && !sub.leaving) this.sendPayload(sub, payload);
    }
  }

  private sendPayload(sub: SubApp, payload: Uint8Array): void {
    try {
      sub.link.send({ kind: 'payload', payload });
      this.counters.observationsSent++;
    } catch (err) {
      this.log.error('cannot send the observation', { id: sub.id, error: err });
    }
  }

  // ---- ending ---------------------------------------------------------------------------------

  private async finish(): Promise<void> {
    this.ending = true;
    if (this.episode) {
      clearTimeout(this.episode.timer);
      this.episode = undefined;
    }
    for (const sub of [...this.subApps.values()]) this.sendEndAndBye(sub.link);
    const links = [...this.subApps.values()].map((sub) => sub.link.closed);
    await Promise.all([this.server?.drain(), this.discovery?.stop(), ...links]);
    this.emit({ type: 'ended', episodes: this.counters.episodesPlayed });
    this.events.complete();
    this.resolveDone([...this.summaries]);
  }

  /** Feeds the lifecycle; events after its end are moot. */
  private signal(event: EngineLifecycleEvent): void {
    if (this.lifecycle.getSnapshot().status === 'active') this.lifecycle.send(event);
  }

  private emit(event: MasepEngineEvent): void {
    this.events.next(event);
  }
}
