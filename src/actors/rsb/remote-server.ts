import { Scope, type EventId } from '../../protocols/rsb/index.js';
import { TimeoutError } from '../errors.js';
import { NoRespondersError, ParticipantClosedError, RemoteCallError } from './errors.js';
import type { RsbEvent } from './event.js';
import { methodFilter } from './filters.js';
import { Informer } from './informer.js';
import { Listener } from './listener.js';
import { holdBus } from './participant.js';
import type { ParticipantOptions } from './participant-options.js';
import { REPLY_METHOD, REQUEST_METHOD, RPC_ERROR_KEY, methodScope } from './rpc-constants.js';

/** Options of {@link RemoteServer.create}. */
export interface RemoteServerOptions extends ParticipantOptions {
  /** Default time to wait for a reply, in ms; `Infinity` waits forever. Default 25 000 (as rsb-cpp and rsb-java). */
  readonly timeoutMs?: number;
}

/** Per-call options. */
export interface CallOptions {
  /** Time to wait for the reply, in ms. Default: the server's. */
  readonly timeoutMs?: number;
  /** Send the argument with this wire schema instead of the one its type selects. */
  readonly wireSchema?: string;
}

interface Pending {
  resolve(event: RsbEvent): void;
  reject(error: Error): void;
}

interface Method {
  readonly informer: Informer;
  readonly listener: Listener;
  readonly pending: Map<string, Pending>;
}

/**
 * The calling side of RSB request/reply. A call of method `m` on a server at `S` publishes a
 * `REQUEST` event on `S/m/` and waits for the `REPLY` on `S/m/` whose first cause is that
 * request's id; replies to other callers are ignored. The reply listener exists before the
 * first request is sent. Any number of calls may be in flight at once.
 *
 * @example
 * ```ts
 * const remote = await RemoteServer.create('/demo/rpc', { timeoutMs: 2000 });
 * const answer = await remote.call('echo', 'hi'); // 'hi'
 * ```
 */
export class RemoteServer {
  readonly scope: Scope;
  private readonly methods = new Map<string, Promise<Method>>();
  private readonly options: ParticipantOptions;
  private readonly timeoutMs: number;
  private closing: Promise<void> | undefined;

  private constructor(
    scope: Scope,
    options: RemoteServerOptions,
    private readonly anchor: { release(): Promise<void> },
  ) {
    this.scope = scope;
    this.options = options;
    this.timeoutMs = options.timeoutMs ?? 25_000;
  }

  /** Creates a remote server for `scope`. */
  static async create(scope: Scope | string, options: RemoteServerOptions = {}): Promise<RemoteServer> {
    const parsed = typeof scope === 'string' ? Scope.parse(scope) : scope;
    const hold = await holdBus(options);
    return new RemoteServer(parsed, { ...options, bus: options.bus ?? hold.bus }, hold);
  }

  /**
   * Calls `method` with `arg` (omitted: `void`) and resolves with the decoded reply payload.
   * Rejects with {@link RemoteCallError} when the reply carries `rsb:error?`, with a
   * `TimeoutError` (code `RSB_CALL_TIMEOUT`) when no reply comes in time, with
   * {@link NoRespondersError} at once when the transport knows nobody serves the method (NATS),
   * and with `BUS_CLOSED` when the bus is lost meanwhile.
   */
  async call(method: string, arg?: unknown, options: CallOptions = {}): Promise<unknown> {
    return (await this.callForEvent(method, arg, options)).data;
  }

  /** Like {@link call}, but resolves with the whole reply event. */
  async callForEvent(method: string, arg?: unknown, options: CallOptions = {}): Promise<RsbEvent> {
    if (this.closing) throw new ParticipantClosedError(`remote server ${this.scope.text} is closed`);
    const entry = await this.method(method);
    const request = entry.informer.createEvent(arg, { method: REQUEST_METHOD, wireSchema: options.wireSchema });
    const key = request.id.key;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const reply = new Promise<RsbEvent>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (): void => {
        entry.pending.delete(key);
        if (timer) clearTimeout(timer);
      };
      entry.pending.set(key, {
        resolve: (event) => {
          settle();
          resolve(event);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      if (Number.isFinite(timeoutMs)) {
        timer = setTimeout(() => {
          settle();
          reject(new TimeoutError(`no reply from ${entry.informer.scope.text} within ${timeoutMs} ms`, 'RSB_CALL_TIMEOUT'));
        }, timeoutMs);
      }
    });
    try {
      if (!entry.informer.bus.writable) await entry.informer.bus.whenWritable();
      entry.informer.send(request);
      // Where the transport can tell that nobody serves the method (NATS), fail at once.
      entry.informer.bus.hasResponders(entry.informer.scope).then(
        (served) => {
          if (served === false) entry.pending.get(key)?.reject(new NoRespondersError(entry.informer.scope.text));
        },
        () => undefined,
      );
    } catch (err) {
      entry.pending.get(key)?.reject(err as Error);
    }
    const event = await reply;
    if (RPC_ERROR_KEY in event.userInfos) {
      throw new RemoteCallError(entry.informer.scope.text, typeof event.data === 'string' ? event.data : String(event.data));
    }
    return event;
  }

  /** Fails the calls in flight with `RSB_PARTICIPANT_CLOSED` and releases the bus. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const methods = await Promise.allSettled([...this.methods.values()]);
      for (const settled of methods) {
        if (settled.status !== 'fulfilled') continue;
        const { informer, listener, pending } = settled.value;
        for (const call of [...pending.values()]) call.reject(new ParticipantClosedError(`remote server ${informer.scope.text} was closed during the call`));
        await listener.close();
        await informer.close();
      }
      await this.anchor.release();
    })();
    return this.closing;
  }

  private method(name: string): Promise<Method> {
    let method = this.methods.get(name);
    if (method === undefined) {
      const scope = methodScope(this.scope, name);
      method = (async (): Promise<Method> => {
        const pending = new Map<string, Pending>();
        // The reply listener first, so that no reply can arrive before it listens.
        const listener = await Listener.create(scope, {
          ...this.options,
          filters: [methodFilter(REPLY_METHOD)],
          handlers: [(event) => matchReply(pending, event)],
        });
        listener.events$.subscribe({
          error: (error: Error) => {
            for (const call of [...pending.values()]) call.reject(error);
          },
        });
        const informer = await Informer.create(scope, this.options);
        return { informer, listener, pending };
      })();
      this.methods.set(name, method);
      method.catch(() => this.methods.delete(name));
    }
    return method;
  }
}

/** Routes a reply to its call by its first cause; replies to others' calls are ignored. */
function matchReply(pending: Map<string, Pending>, event: RsbEvent): void {
  const cause: EventId | undefined = event.causes[0];
  if (cause === undefined) return;
  pending.get(cause.key)?.resolve(event);
}
