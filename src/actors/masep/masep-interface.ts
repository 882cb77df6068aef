import { Subject, type Observable, type Subscription } from 'rxjs';
import { createLogger, type Logger } from '../../logger.js';
import {
  MessageType,
  SubAppRole,
  actionMessage,
  createMasepProtocol,
  createSubAppId,
  defaultObjectRegistry,
  defineMessage,
  MasepDecodeCache,
  quitMessage,
  readObservation,
  registerMessage,
  validateIdent,
  type MasepDict,
  type MasepFrame,
  type ObjectRegistry,
  type State,
  type SubAppRoleName,
} from '../../protocols/masep/index.js';
import type { BackoffOptions } from '../backoff.js';
import { dial } from '../client.js';
import type { ConnectionOptions } from '../connection/options.js';
import type { MasepEngine } from './engine.js';
import type { MasepLink } from './link.js';
import { ObservationView } from './observation-state.js';
import { GenericObservation } from './generic-observation.js';
import type { Policy } from './policy.js';
import type { Coordination } from './game.js';

/** Options of a {@link MasepInterface}. */
export interface MasepInterfaceOptions {
  /** The game to DEFINE (a name the engine's registry holds). */
  readonly game: string;
  /** `Actor` (default) or `Observer`. */
  readonly role?: SubAppRoleName;
  /** How an Actor chooses its actions. Without one an Actor never acts. */
  readonly policy?: Policy;
  /** The interface's sub-app id; must be the link's local hello ident. Default: a new UUID. */
  readonly id?: string;
  /**
   * How the game coordinates its agents, which an observation does not say: in a `turn` game the
   * policy is asked only when the agent heads `AgentOrder`; in a `simultaneous` game on every new
   * step. Default: the engine's game for {@link MasepInterface.attach}; otherwise unknown, and
   * the policy is asked on every new step, as pymasep's interface does (the engine ignores
   * actions out of turn).
   */
  readonly coordination?: Coordination;
}

/** Options of {@link MasepInterface.connect}: where the engine is, and how to dial it. */
export interface MasepDialOptions extends MasepInterfaceOptions {
  readonly host?: string;
  /** Default 60000. */
  readonly port?: number;
  readonly connectTimeoutMs?: number;
  readonly retry?: BackoffOptions;
  readonly connection?: ConnectionOptions;
  /** Object classes accepted in observations. Default pymasep's own. */
  readonly objects?: ObjectRegistry;
  /**
   * Decode each distinct observation once per process: interfaces of this process that use the
   * same object registry share decoded observations (read-only objects). Default true.
   */
  readonly shareDecoding?: boolean;
}

// One decode cache per object registry, shared by the interfaces of this process.
const sharedCaches = new WeakMap<ObjectRegistry, MasepDecodeCache>();

function sharedCache(objects: ObjectRegistry): MasepDecodeCache {
  let cache = sharedCaches.get(objects);
  if (cache === undefined) {
    cache = new MasepDecodeCache();
    sharedCaches.set(objects, cache);
  }
  return cache;
}

/** One observation as an interface received it. */
export interface ReceivedObservation {
  readonly state: State;
  readonly view: ObservationView;
  readonly info: MasepDict;
  /**
   * The episode, counted by this interface from 0 at the first episode it sees: pymasep's wire
   * does not number episodes. A new episode starts after a final observation, or when the step
   * goes back (an episode cut short by a QUIT ends without a final observation).
   */
  readonly episode: number;
  /** The same observation through the generic view (objects, agents, this interface's agent, rewards). */
  readonly generic: GenericObservation;
}

/** How an interface's session ended. */
export interface InterfaceEnd {
  /** `end`: the engine sent END_GAME (after its last episode, or to refuse us); `stopped`: we quit; `disconnected`: the link ended first. */
  readonly reason: 'end' | 'stopped' | 'disconnected';
  /** Observations received. */
  readonly observations: number;
  /** Actions sent. */
  readonly actions: number;
}

/**
 * A pymasep interface (the client side): sends DEFINE and REGISTER, receives observations, and as
 * an Actor answers each observation where its agent must act with its policy's action. On `end`
 * it sends QUIT then BYE and closes (spec §5, §6.1 item 4). Runs over TCP ({@link connect}) or an
 * in-process link ({@link attach}) with the same code.
 *
 * @example
 * ```ts
 * const agent = await MasepInterface.connect({ game: 'actorwire.games.ResourceGrid', port, policy: greedy });
 * const end = await agent.done;
 * ```
 */
export class MasepInterface {
  readonly id: string;
  /**
   * Every observation received, in order. An Actor connected with {@link connect} decodes the
   * objects of a state when they are first read, so reading a malformed part throws its
   * `MasepError` there; observations may be shared with other interfaces of the process.
   */
  readonly observations$: Observable<ReceivedObservation>;
  /** Settles when the session is over. */
  readonly done: Promise<InterfaceEnd>;

  private readonly link: MasepLink;
  private readonly options: MasepInterfaceOptions;
  private readonly log: Logger;
  private readonly subject = new Subject<ReceivedObservation>();
  private subscription: Subscription | undefined;
  private observations = 0;
  private actions = 0;
  private lastActed = '';
  private episode = 0;
  private lastStep: { readonly envStep: number; readonly isFinal: boolean } | undefined;
  private finished: InterfaceEnd['reason'] | undefined;
  private resolveDone!: (end: InterfaceEnd) => void;

  /** Starts a session on an open link (its hello exchange done with `options.id`). */
  constructor(link: MasepLink, options: MasepInterfaceOptions) {
    this.link = link;
    this.options = options;
    this.id = validateIdent(options.id ?? createSubAppId());
    this.log = createLogger('masep.interface');
    this.observations$ = this.subject.asObservable();
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.subscription = link.messages$.subscribe({ next: (frame) => this.onFrame(frame) });
    void link.closed.then(() => this.settle('disconnected'));
    link.send({ kind: 'message', message: defineMessage(this.id, options.game) });
    link.send({ kind: 'message', message: registerMessage(this.id, options.role ?? SubAppRole.ACTOR) });
  }

  /** Dials an engine over TCP (hello exchange included) and starts a session. */
  static async connect(options: MasepDialOptions): Promise<MasepInterface> {
    const id = validateIdent(options.id ?? createSubAppId());
    // An Actor decodes lazily: its policy pays only for the parts of each observation it reads.
    // Observers read everything (and hand it to subscribers), so they decode at once.
    const lazy = (options.role ?? SubAppRole.ACTOR) === SubAppRole.ACTOR;
    const objects = options.objects ?? defaultObjectRegistry;
    const cache = options.shareDecoding === false ? undefined : sharedCache(objects);
    const connection = await dial(createMasepProtocol({ objects, lazy, cache }), {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 60000,
      connectTimeoutMs: options.connectTimeoutMs,
      retry: options.retry,
      connection: { ...options.connection, localId: id },
    });
    return new MasepInterface(connection, { ...options, id });
  }

  /** Starts a session with an engine in this process, without sockets. */
  static attach(engine: MasepEngine, options: MasepInterfaceOptions): MasepInterface {
    const id = validateIdent(options.id ?? createSubAppId());
    return new MasepInterface(engine.connectInProcess(id), { ...options, id, coordination: options.coordination ?? engine.coordination });
  }

  /** Leaves: QUIT, BYE, close. Resolves with how the session ended. */
  async stop(): Promise<InterfaceEnd> {
    this.quit('stopped');
    return this.done;
  }

  private onFrame(frame: MasepFrame): void {
    if (frame.kind === 'rejected') {
      this.log.warn('ignoring a malformed message', { code: frame.error.code, error: frame.error });
      return;
    }
    if (frame.kind !== 'message') return;
    const message = frame.message;
    if (message.msgType === MessageType.END_GAME) {
      this.quit('end');
      return;
    }
    if (message.msgType !== MessageType.OBSERVATION) return;
    let observation: ReceivedObservation;
    try {
      const { observation: state, additionalInformation: info } = readObservation(message);
      const view = new ObservationView(state);
      const episode = this.countEpisode(state);
      observation = { state, view, info, episode, generic: new GenericObservation(view, info, episode, this.id) };
    } catch (err) {
      this.log.warn('ignoring a bad observation', { error: err });
      return;
    }
    this.observations++;
    this.subject.next(observation);
    void this.act(observation);
  }

  /** The episode `state` belongs to, counted here (see {@link ReceivedObservation.episode}). */
  private countEpisode(state: State): number {
    const last = this.lastStep;
    if (last !== undefined) {
      const repeatedFinal = last.isFinal && state.isFinal && state.envStep === last.envStep;
      if ((last.isFinal && !repeatedFinal) || state.envStep < last.envStep) this.episode++;
    }
    this.lastStep = { envStep: state.envStep, isFinal: state.isFinal };
    return this.episode;
  }

  /** Asks the policy for an action when our agent must act, at most once per observed step. */
  private async act(observation: ReceivedObservation): Promise<void> {
    const policy = this.options.policy;
    if (!policy || this.finished || (this.options.role ?? SubAppRole.ACTOR) !== SubAppRole.ACTOR) return;
    try {
      // Inside the try: a lazily decoded observation reports a bad part when it is read.
      const agent = observation.view.agentControlledBy(this.id);
      if (!agent || !observation.view.shouldAct(agent.name, this.options.coordination)) return;
      const key = `${observation.episode}:${observation.state.envStep}`;
      if (key === this.lastActed) return;
      this.lastActed = key;
      const action = await policy({
        state: observation.state,
        view: observation.view,
        agent: agent.name,
        interfaceId: this.id,
        info: observation.info,
        generic: observation.generic,
      });
      if (action === null || this.finished) return;
      this.link.send({ kind: 'message', message: actionMessage(this.id, action) });
      this.actions++;
    } catch (err) {
      this.log.error('policy or send failed', { error: err });
    }
  }

  private quit(reason: 'end' | 'stopped'): void {
    if (this.finished) return;
    this.finished = reason;
    try {
      this.link.send({ kind: 'message', message: quitMessage(this.id) });
    } catch {
      // The link is already closing (e.g. the engine's BYE came with its `end`).
    }
    void this.link.drain().then(() => this.settle(reason));
  }

  private settle(reason: InterfaceEnd['reason']): void {
    this.finished ??= reason;
    this.subscription?.unsubscribe();
    this.subject.complete();
    this.resolveDone({ reason: this.finished, observations: this.observations, actions: this.actions });
  }
}
