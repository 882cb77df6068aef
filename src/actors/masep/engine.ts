import { Subject, type Observable } from 'rxjs';
import { createActor, type Actor as XActor } from 'xstate';
import { createLogger, type Logger } from '../../logger.js';
import {
  MessageType,
  createSubAppId,
  readAction,
  validateIdent,
  type MasepFrame,
  type MasepOutgoing,
  type Message,
} from '../../protocols/masep/index.js';
import type { ListenAddress, Server } from '../server.js';
import { Broadcaster } from './engine-broadcast.js';
import { EpisodeSeries } from './engine-episodes.js';
import { screenFrame } from './engine-inbox.js';
import { engineLifecycleMachine, type EngineLifecycleEvent } from './engine-lifecycle.js';
import type { EpisodeSummary, MasepEngineEvent, MasepEngineOptions, MasepEngineStats } from './engine-options.js';
import { EngineListener } from './engine-listener.js';
import { Seating, type Member, type Verdict } from './engine-seating.js';
import type { Coordination } from './game.js';
import { createInProcessLinks, type MasepLink } from './link.js';

export type { ActionTimeoutPolicy, EpisodeSummary, MasepEngineEvent, MasepEngineOptions, MasepEngineStats } from './engine-options.js';

/**
 * A pymasep engine: the TCP server interfaces connect to (or in-process links), running one game
 * from an allow-list for a number of episodes (spec §5), with the original's weaknesses fixed:
 * per-connection handshakes with a timeout, a connection limit with a graceful refusal (`end`,
 * `BYE`, close), `src_sub_app` checked against the hello ident, bad messages dropped instead of
 * crashing, departures (BYE or EOF) handled, and action timeouts. This class wires links to its
 * parts (docs/ARCHITECTURE.md, "pymasep: the engine's parts"): {@link Seating} (who is served,
 * which seat), {@link EpisodeSeries} (the episodes, each an `Episode` step object),
 * {@link Broadcaster} (observations, encoded once), {@link EngineListener} (TCP and discovery) and
 * the lifecycle machine (`engine-lifecycle.ts`).
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
  private readonly seating: Seating;
  private readonly broadcaster: Broadcaster;
  private readonly series: EpisodeSeries;
  private readonly lifecycle: XActor<typeof engineLifecycleMachine>;
  private readonly counters = { messagesDropped: 0, badPeersClosed: 0 };
  private listener: EngineListener | undefined;
  private ending = false;
  private resolveDone!: (summaries: EpisodeSummary[]) => void;

  constructor(options: MasepEngineOptions) {
    this.options = options;
    this.id = validateIdent(options.id ?? createSubAppId());
    this.log = createLogger('masep.engine');
    this.events$ = this.events.asObservable();
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.seating = new Seating({
      engineId: this.id,
      games: options.games,
      game: options.game,
      players: options.players,
      maxInterfaces: options.maxConnections ?? 10,
      log: this.log,
      emit: (event) => this.emit(event),
    });
    this.broadcaster = new Broadcaster(this.id, this.log);
    this.series = new EpisodeSeries({
      engine: options,
      seating: this.seating,
      broadcaster: this.broadcaster,
      log: this.log,
      emit: (event) => this.emit(event),
      turnAway: (member, reason) => this.forget(member, reason),
      ended: () => this.signal({ type: 'EPISODE_ENDED' }),
    });
    this.lifecycle = createActor(engineLifecycleMachine, {
      input: {
        enoughPlayers: () => this.seating.ready,
        moreEpisodes: () => !this.ending && this.series.more,
        startEpisode: () => this.series.start(this.seating.game!),
        finish: () => void this.finish(),
        // Closing waits for every link: `DRAINED` ends it.
        drained: () => false,
      },
    });
    this.lifecycle.start();
    if (this.seating.game) this.gameDefined();
  }

  /** The game being run, once defined. */
  get gameName(): string | undefined {
    return this.seating.game?.name;
  }

  /** How the game being run coordinates its agents, once defined. */
  get coordination(): Coordination | undefined {
    return this.seating.game?.coordination;
  }

  /** The lifecycle state: `awaitingGame`, `awaitingPlayers`, `playing`, `ending`, `ended` (engine-lifecycle.ts). */
  get phase(): string {
    return String(this.lifecycle.getSnapshot().value);
  }

  /** The TCP address, once listening. */
  get address(): ListenAddress | undefined {
    return this.listener?.address;
  }

  /** @internal The TCP server and its connections, once listening (for the monitor, docs/MONITOR.md). */
  get acceptor(): Server<MasepFrame, MasepOutgoing> | undefined {
    return this.listener?.acceptor;
  }

  /** Starts the TCP server (and discovery, if configured); resolves with the bound address. */
  listen(): Promise<ListenAddress> {
    this.listener ??= new EngineListener(this.id, this.options, (link) => this.admit(link));
    return this.listener.listen();
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
    const refusal = this.ending ? 'engine is ending' : this.seating.admission(id);
    if (refusal !== undefined || id === undefined) {
      this.seating.refuse(link, id, refusal ?? 'no hello ident');
      return;
    }
    const member = this.seating.add(id, link);
    member.subscription = link.messages$.subscribe({ next: (frame) => this.onFrame(member, frame) });
    void link.closed.then((end) => this.depart(member, end.error ? `${end.reason}: ${end.error.message}` : end.reason));
  }

  /** Ends the engine now: `end` and `BYE` to every interface, then close. */
  stop(): Promise<EpisodeSummary[]> {
    this.ending = true;
    this.signal({ type: 'STOP' });
    return this.done;
  }

  /** A snapshot of the counters. */
  stats(): MasepEngineStats {
    const { seating, counters } = this;
    const played = this.series.stats;
    return {
      interfaces: seating.size,
      actors: seating.actors,
      observers: seating.observers,
      episodesPlayed: played.episodesPlayed,
      steps: played.steps,
      actionsApplied: played.actionsApplied,
      observationsSent: this.broadcaster.sent,
      messagesDropped: counters.messagesDropped,
      badPeersClosed: counters.badPeersClosed,
      refused: seating.refused,
      timeouts: played.timeouts,
    };
  }

  // ---- messages (spec §5, "Engine side") ------------------------------------------------------

  private onFrame(member: Member, frame: MasepFrame): void {
    const screened = screenFrame(member, frame);
    if (screened.kind === 'none') return;
    if (screened.kind === 'drop') {
      this.drop(member, screened.reason);
      return;
    }
    if (screened.kind === 'close') {
      this.counters.messagesDropped++;
      this.counters.badPeersClosed++;
      this.log.warn('closing an interface that sent too many malformed messages', {
        id: member.id,
        badFrames: member.errorBudget.count,
        windowMs: member.errorBudget.limits.windowMs,
      });
      void member.link.close();
      return;
    }
    const message = screened.message;
    try {
      switch (message.msgType) {
        case MessageType.DEFINE:
          this.onDefine(member, message);
          return;
        case MessageType.REGISTER:
          this.onRegister(member, message);
          return;
        case MessageType.ACTION:
          this.onAction(member, message);
          return;
        case MessageType.QUIT:
          this.onQuit(member);
          return;
        default:
          this.drop(member, `unexpected ${message.msgType.slice(0, 40)} message`);
      }
    } catch (err) {
      this.drop(member, err instanceof Error ? err.message : String(err));
    }
  }

  private drop(member: Member, reason: string): void {
    this.counters.messagesDropped++;
    this.log.warn('dropping message', { id: member.id, reason });
    this.emit({ type: 'dropped', id: member.id, reason });
  }

  private onDefine(member: Member, message: Message): void {
    const verdict = this.seating.define(member, message);
    if (verdict.kind === 'game') this.gameDefined();
    else this.judge(member, verdict);
  }

  private onRegister(member: Member, message: Message): void {
    const verdict = this.seating.register(member, message);
    if (verdict.kind !== 'ok') {
      this.judge(member, verdict);
      return;
    }
    this.log.info('interface joined', { id: member.id, role: member.role, agent: member.agent });
    this.emit({ type: 'joined', id: member.id, role: member.role!, agent: member.agent });
    if (this.series.current) this.broadcaster.catchUp(member);
    if (member.agent !== undefined) this.signal({ type: 'SEATS_CHANGED' });
  }

  /** Drops the message, or turns the interface away, as the seating decided. */
  private judge(member: Member, verdict: Verdict): void {
    if (verdict.kind === 'drop') this.drop(member, verdict.reason);
    else if (verdict.kind === 'refuse') this.forget(member, verdict.reason);
  }

  private onAction(member: Member, message: Message): void {
    const agent = member.agent;
    if (agent === undefined) {
      this.drop(member, 'ACTION from an interface without an agent');
      return;
    }
    if (!this.series.current?.expects(agent)) {
      this.drop(member, `ACTION out of turn from ${agent}`);
      return;
    }
    this.series.act(agent, readAction(message));
  }

  /**
   * QUIT ends the current episode, as in pymasep; later episodes still run, without the quitter:
   * it gives up its seat first and is sent nothing more (its BYE or EOF then only closes), so the
   * episode that may start next neither seats it nor ends again, empty, when it leaves.
   */
  private onQuit(member: Member): void {
    if (member.role === undefined) {
      this.drop(member, 'QUIT from an unregistered interface');
      return;
    }
    this.seating.quit(member);
    if (member.agent !== undefined) this.series.current?.remove(member.agent);
    this.series.current?.end();
    if (member.agent !== undefined) this.signal({ type: 'SEATS_CHANGED' });
  }

  // ---- departures -----------------------------------------------------------------------------

  /** Turns an interface away after its DEFINE or REGISTER (or its action timeout): `end`, `BYE`, close. */
  private forget(member: Member, reason: string): void {
    if (!this.seating.release(member)) return;
    this.seating.refuse(member.link, member.id, reason);
    this.unseat(member);
  }

  /** An interface left (BYE, EOF, error): its agent leaves the episode. */
  private depart(member: Member, reason: string): void {
    if (!this.seating.release(member)) return;
    this.emit({ type: 'left', id: member.id, reason });
    this.unseat(member);
  }

  /** A seated interface is gone: its agent leaves the episode, and the lifecycle looks at the seats again. */
  private unseat(member: Member): void {
    if (member.agent === undefined) return;
    this.series.current?.remove(member.agent);
    this.signal({ type: 'SEATS_CHANGED' });
  }

  // ---- lifecycle (engine-lifecycle.ts) --------------------------------------------------------

  private gameDefined(): void {
    this.emit({ type: 'game-defined', game: this.seating.game!.name });
    this.signal({ type: 'GAME_DEFINED' });
  }

  /** The `ending` state: `end` and `BYE` to everyone, then `DRAINED` once every link has closed. */
  private async finish(): Promise<void> {
    this.ending = true;
    this.series.abandon();
    const links = this.seating.goodbyeAll();
    await Promise.all([this.listener?.close(), ...links]);
    this.signal({ type: 'DRAINED' });
    this.emit({ type: 'ended', episodes: this.series.stats.episodesPlayed });
    this.events.complete();
    this.resolveDone(this.series.summaries());
  }

  /** Feeds the lifecycle; events after its end are moot. */
  private signal(event: EngineLifecycleEvent): void {
    if (this.lifecycle.getSnapshot().status === 'active') this.lifecycle.send(event);
  }

  private emit(event: MasepEngineEvent): void {
    this.events.next(event);
  }
}
