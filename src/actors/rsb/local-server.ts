import { createLogger } from '../../logger.js';
import { Scope, utf8String } from '../../protocols/rsb/index.js';
import type { RsbEvent } from './event.js';
import { methodFilter } from './filters.js';
import { Informer } from './informer.js';
import { Listener } from './listener.js';
import { holdBus } from './participant.js';
import type { ParticipantOptions } from './participant-options.js';
import { REPLY_METHOD, REQUEST_METHOD, RPC_ERROR_KEY, methodScope } from './rpc-constants.js';

/**
 * The implementation of one RPC method: gets the decoded request payload (`null` for `void`)
 * and the request event; its result (or resolved value) is the reply payload, encoded by the
 * usual mapping (`undefined`/`null` as `void`). A throw or rejection becomes an error reply.
 */
export type MethodHandler = (data: unknown, request: RsbEvent) => unknown;

interface Method {
  readonly listener: Listener;
  readonly informer: Informer;
  /** Withdraws the method's advertisement (see `Bus.advertise`). */
  readonly withdraw: () => void;
}

const log = createLogger('rsb.local-server');

/**
 * The serving side of RSB request/reply. Method `m` of a server on `S` listens on `S/m/` for
 * events with method `REQUEST` and answers each on `S/m/` with method `REPLY`, the result as
 * payload and `causes = [request id]`. A failure replies with its message as a `utf-8-string`
 * and user info `rsb:error?` = `1`. Requests for a method it does not have get no reply (the
 * caller times out), as in the originals.
 *
 * @example
 * ```ts
 * const server = await LocalServer.create('/demo/rpc');
 * await server.addMethod('echo', (data) => data);
 * ```
 */
export class LocalServer {
  readonly scope: Scope;
  private readonly methods = new Map<string, Promise<Method>>();
  private readonly options: ParticipantOptions;
  private closing: Promise<void> | undefined;
  private readonly anchor: { release(): Promise<void> };

  private constructor(scope: Scope, options: ParticipantOptions, anchor: { release(): Promise<void> }) {
    this.scope = scope;
    this.options = options;
    this.anchor = anchor;
  }

  /** Creates a server on `scope` (it holds the bus even before its first method). */
  static async create(scope: Scope | string, options: ParticipantOptions = {}): Promise<LocalServer> {
    const parsed = typeof scope === 'string' ? Scope.parse(scope) : scope;
    const hold = await holdBus(options);
    return new LocalServer(parsed, { ...options, bus: options.bus ?? hold.bus }, hold);
  }

  /** The method names served. */
  get methodNames(): string[] {
    return [...this.methods.keys()];
  }

  /** Adds (or replaces) method `name`; resolves once it listens. */
  async addMethod(name: string, handler: MethodHandler): Promise<void> {
    const scope = methodScope(this.scope, name);
    await this.removeMethod(name);
    const created = (async (): Promise<Method> => {
      const informer = await Informer.create(scope, this.options);
      const listener = await Listener.create(scope, {
        ...this.options,
        filters: [methodFilter(REQUEST_METHOD)],
        handlers: [(request) => this.answer(informer, handler, request)],
      });
      const withdraw = informer.bus.advertise(scope);
      // The advertisement, like the listener, takes effect at a broker after a round trip.
      await informer.bus.whenSubscribed();
      return { listener, informer, withdraw };
    })();
    this.methods.set(name, created);
    await created;
  }

  /** Stops serving method `name`. */
  async removeMethod(name: string): Promise<void> {
    const method = this.methods.get(name);
    if (!method) return;
    this.methods.delete(name);
    const { listener, informer, withdraw } = await method;
    withdraw();
    // Withdrawn at the broker too before this resolves: a probe in between would go unanswered.
    await informer.bus.whenSubscribed();
    await listener.close();
    await informer.close();
  }

  /** Stops every method and releases the bus. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.methods.keys()].map((name) => this.removeMethod(name)));
      await this.anchor.release();
    })();
    return this.closing;
  }

  private async answer(informer: Informer, handler: MethodHandler, request: RsbEvent): Promise<void> {
    const causes = [request.id];
    let result: unknown;
    try {
      // Always asynchronous: a reply never overtakes its request on the local bus.
      result = await Promise.resolve().then(() => handler(request.data, request));
    } catch (err) {
      await this.replyError(informer, causes, err);
      return;
    }
    try {
      await informer.publish(result, { method: REPLY_METHOD, causes });
    } catch (err) {
      if (informer.isClosed) return;
      await this.replyError(informer, causes, err);
    }
  }

  private async replyError(informer: Informer, causes: RsbEvent['causes'], err: unknown): Promise<void> {
    const text = err instanceof Error ? err.message : String(err);
    try {
      await informer.publish(utf8String(text), { method: REPLY_METHOD, causes, userInfos: { [RPC_ERROR_KEY]: '1' } });
    } catch (sendError) {
      log.warn('cannot send an error reply', { scope: informer.scope.text, error: sendError as Error });
    }
  }
}
