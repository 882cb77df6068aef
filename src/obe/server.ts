import { Server, type ListenAddress, type ServerStats } from '../actors/server.js';
import type { Connection } from '../actors/connection/connection.js';
import type { ConnectionOptions } from '../actors/connection/options.js';
import { createLogger, type Logger } from '../logger.js';
import { parseObeRequest, sentCommandOf, type ObeCommandName, type ObeEngineCommandName, type ObeRequest } from '../protocols/obe/commands.js';
import type { ObeMessageError } from '../protocols/obe/errors.js';
import type { ObeFrame } from '../protocols/obe/framing.js';
import { DEFAULT_MAX_BODY_BYTES } from '../protocols/obe/framing.js';
import type { RunTooLargeError } from './errors.js';
import { DEFAULT_MAX_RUN_BYTES, runBudgetError } from './run-budget.js';
import { EncodedJsonBody, EncodedObeFrame, obeProtocol, type ObeOutbound } from '../protocols/obe/protocol.js';
import type { PythonInt, PythonJson, PythonJsonObject } from '../protocols/obe/python-json-value.js';
import { ActorwireError } from '../errors.js';
import { ObeEngineActor, type EngineStats, type ObeEngineActorOptions } from './engine-actor.js';
import { parseEngineCommand, type EngineCommand, type EngineOutcome } from './engine-commands.js';
import { ReplyQueue } from './reply-queue.js';
import type { RunSpec } from './run-spec.js';

/** Default port of the original `OBE_Server`. */
export const OBE_DEFAULT_PORT = 61981;

/**
 * What `done` does after replying `"OK"` (Q16): `stop` the server (the original's behaviour; the
 * CLI then exits), `end-run` (discard the run, keep listening), or `ignore` (keep run and server).
 */
export type ObeDonePolicy = 'stop' | 'end-run' | 'ignore';

/**
 * A code-defined `newrun` (the original's user hook): receives the whole request message (numbers
 * written as JSON ints arrive as {@link PythonInt}s, floats as numbers) and returns the run spec to
 * start, or undefined for the built-in handling (a `spec` key, the demo's `lolim`/`hilim`/`steps`,
 * or a fresh run of the configured spec). Throwing gives an error reply.
 */
export type ObeNewrunHook = (message: PythonJsonObject) => RunSpec | undefined | Promise<RunSpec | undefined>;

/** Options of {@link ObeServer}; every field has a default. */
export interface ObeServerOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default {@link OBE_DEFAULT_PORT} (61981); 0 picks a free port. */
  port?: number;
  /** The configured run (`newrun` without a spec restarts it). Default: none. */
  run?: RunSpec;
  /** Start the configured run before serving. Default true when `run` is given. */
  startRun?: boolean;
  /** Default `stop`. */
  onDone?: ObeDonePolicy;
  /** Largest request body, in bytes; larger ones get an error reply and a close. Default 16 MiB. */
  maxBodyBytes?: number;
  /**
   * Memory budget of one run, in bytes: a `newrun` whose spec (particles, parameters, setting
   * combinations) would take more is refused with `RUN_TOO_LARGE` before anything is built.
   * Default 256 MiB.
   */
  maxRunBytes?: number;
  /** Largest reply body, in bytes, estimated before serialising (getpar of a large run): `REPLY_TOO_LARGE` beyond. Default 64 MiB. */
  maxReplyBytes?: number;
  /**
   * Threads for the particle loops of large runs (docs/OBE-NUMERICS.md, "The particle pool"), and
   * the most a run spec's `threads` may ask for; 1 keeps every run on the engine's thread. Default:
   * the number of cores.
   */
  threads?: number;
  /** Close a connection idle for this long, in ms (0: never). Default 300 000. */
  idleTimeoutMs?: number;
  /**
   * Close a connection whose request was started (header or body) but not completed within this
   * long, in ms (0: never, as the original). Default 10 000: half-sent requests cannot hold slots.
   */
  requestTimeoutMs?: number;
  /** Connections served at once. Default 1 024. */
  maxConnections?: number;
  /**
   * A client beyond `maxConnections`: `evict-idle` (default) closes the connection whose client has
   * sent nothing for the longest time, at least 1 s, to serve the new one (the original's clients
   * use a connection per command, so a silent connection is a stuck or hostile one); `refuse`
   * closes the new one with a FIN.
   */
  whenFull?: 'evict-idle' | 'refuse';
  /** Requests of one connection waiting for their replies before its socket is paused (bounds memory: a getpar reply can be megabytes). Default 32. */
  maxPipelined?: number;
  /** A code-defined newrun. */
  newrun?: ObeNewrunHook;
  /** Options of the engine actor (memory limits, mailbox bound). */
  engine?: Omit<ObeEngineActorOptions, 'baseSpec' | 'startRun'>;
  /** Per-connection options (send queue bounds, ...). */
  connection?: ConnectionOptions;
}

/**
 * Hears every engine command the server ran and its outcome, in the engine's order (the monitor
 * follows runs and steps with it, docs/MONITOR.md). Called on the reply path: keep it to counters
 * and references.
 */
export interface ObeCommandObserver {
  commandRan(command: EngineCommand, outcome: EngineOutcome): void;
}

/** Counters of the OBE server. */
export interface ObeServerStats extends ServerStats {
  requests: number;
  errorReplies: number;
  byCommand: Partial<Record<ObeCommandName, number>>;
  engine: EngineStats;
}

type Reply = ObeOutbound | Promise<ObeOutbound>;

/** What the server does once a request's reply is written: nothing, `done`'s policy, or close. */
type AfterReply = 'none' | 'done' | 'close';

/** The reply of ready, done and successful writes, framed once. */
const OK = new EncodedObeFrame('OK');

function errorReply(message: string, command: string | readonly string[] | null, code: string): PythonJson {
  return { error: message, command: command as PythonJson, code };
}

/**
 * The OBE TCP server, byte-compatible with optbayesexpt's `OBE_Server` (spec §4): 10-digit header +
 * JSON, the same commands and reply shapes, exact names then the original's substring fallback.
 * Unlike the original it accepts many clients at once (engine commands still run one at a time in
 * arrival order, in the engine's worker thread), keeps connections open for more requests (Q11),
 * answers every problem with `{"error": ..., "command": ..., "code": ...}` and keeps serving (Q9,
 * Q10, Q13), and lets `done` end the run instead of the server (Q16). Numbers are written as the
 * original writes them: floats as `2.0`, constants as given (`getcon`), and an integer setting
 * knob's values as ints (`getset`, `optset`, `goodset`) where the original crashes (Q9). One
 * command is added, matched by exact name only (Q15): `getpdfw` replies `[particles, weights]`
 * (getpar's `D × N` list and getwgt's length-N list).
 *
 * Each request is parsed and typed once, on arrival. `ready`, error replies and the reads the
 * engine's snapshot holds (getmean, getstd, getset, getcon) are written synchronously, without a
 * thread hop, unless an earlier reply of the same connection is still pending; a read that
 * arrives after a write is answered with that write's state.
 *
 * @example
 * ```ts
 * const server = new ObeServer({ port: 0, run: DEMO_RUN_SPEC, startRun: false });
 * const { port } = await server.start();
 * await server.stopped; // after a client sends done
 * ```
 */
export class ObeServer {
  /** The engine actor (one worker thread). */
  readonly engine: ObeEngineActor;
  /** Resolves once the server has stopped (after `done` with policy `stop`, or {@link stop}). */
  readonly stopped: Promise<void>;

  private readonly options: ObeServerOptions;
  private readonly server: Server<ObeFrame, ObeOutbound>;
  private readonly log: Logger;
  private readonly counters = { requests: 0, errorReplies: 0, byCommand: {} as Partial<Record<ObeCommandName, number>> };
  private stopping: Promise<void> | undefined;
  /** Settles once the newest hook newrun in flight has handed its run to the engine; undefined when none is. */
  private hookInFlight: Promise<void> | undefined;
  private resolveStopped!: () => void;
  private observer: ObeCommandObserver | undefined;

  constructor(options: ObeServerOptions = {}) {
    this.options = options;
    this.log = createLogger('obe.server');
    this.stopped = new Promise((resolve) => (this.resolveStopped = resolve));
    this.engine = new ObeEngineActor({ ...options.engine, baseSpec: options.run, startRun: options.startRun ?? options.run !== undefined, maxReplyBytes: options.maxReplyBytes, threads: options.threads ?? options.engine?.threads });
    this.server = new Server({
      // Ints stay PythonInt so that a newrun spec's ints are echoed as ints (getcon, integer knobs).
      protocol: obeProtocol({ maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, keepInts: true }),
      host: options.host,
      port: options.port ?? OBE_DEFAULT_PORT,
      maxConnections: options.maxConnections ?? 1024,
      overflow: options.whenFull ?? 'evict-idle',
      name: 'obe.server',
      connection: {
        idleTimeoutMs: 300_000,
        frameTimeoutMs: 10_000,
        ...options.connection,
        ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
        ...(options.requestTimeoutMs !== undefined ? { frameTimeoutMs: options.requestTimeoutMs } : {}),
        closeOnPeerEnd: false,
      },
    });
    this.server.connections$.subscribe((connection) => this.serve(connection));
  }

  /** Starts the engine (and its run), then binds. Rejects if either fails. */
  async start(): Promise<ListenAddress> {
    await this.engine.start();
    try {
      return await this.server.listen();
    } catch (err) {
      await this.engine.stop();
      throw err;
    }
  }

  /** The bound address, once started. */
  get address(): ListenAddress | undefined {
    return this.server.address;
  }

  /** Stops: closes the listener, flushes replies already queued, closes connections, stops the engine. */
  stop(): Promise<void> {
    this.stopping ??= this.server
      .drain()
      .then(() => this.engine.stop())
      .then(() => this.resolveStopped());
    return this.stopping;
  }

  /** @internal The TCP server and its connections (for the monitor, docs/MONITOR.md). */
  get acceptor(): Server<ObeFrame, ObeOutbound> {
    return this.server;
  }

  /** The configured run, if any (`newrun` without a spec restarts it). */
  get configuredRun(): RunSpec | undefined {
    return this.options.run;
  }

  /** Tells `observer` of every engine command run from now on (one observer; the last one set wins). */
  observe(observer: ObeCommandObserver | undefined): void {
    this.observer = observer;
  }

  /** Counters of the server, its connections, its requests and its engine. */
  stats(): ObeServerStats {
    return { ...this.server.stats(), ...this.counters, byCommand: { ...this.counters.byCommand }, engine: this.engine.stats() };
  }

  /**
   * Serves one connection: replies in request order; closes after the peer's EOF once all are
   * sent. Requests are dispatched as they arrive (engine commands keep arrival order across
   * connections); a reply available at once is written at once unless an earlier one is pending.
   */
  private serve(connection: Connection<ObeFrame, ObeOutbound>): void {
    const maxPipelined = this.options.maxPipelined ?? 32;
    let paused = false;
    let inputEnded = false;
    const replies: ReplyQueue<ObeOutbound, AfterReply> = new ReplyQueue(connection, {
      written: (after) => {
        if (paused && replies.size < maxPipelined / 2) {
          paused = false;
          connection.resume();
        }
        if (after === 'close') void connection.drain();
        else if (after === 'done') this.afterDone();
        if (inputEnded && replies.size === 0) void connection.drain();
      },
      // Nothing rejects by design; a bug still becomes an error reply, not an unhandled rejection.
      rejected: (err) => this.fail(err instanceof Error ? err.message : String(err), null, 'INTERNAL_ERROR'),
      dropped: (err) => this.log.debug('reply not sent', { error: err }),
    });
    connection.messages$.subscribe({
      next: (frame) => {
        this.handle(frame, connection, replies);
        // Bounds memory: a getpar reply can be megabytes, and a client may pipeline many.
        if (!paused && replies.size >= maxPipelined) {
          paused = true;
          connection.pause();
        }
      },
      complete: () => {
        inputEnded = true;
        if (replies.size === 0) void connection.drain();
      },
    });
  }

  /** Answers one frame: parses it once, dispatches it and queues its reply. */
  private handle(frame: ObeFrame, connection: Connection<ObeFrame, ObeOutbound>, replies: ReplyQueue<ObeOutbound, AfterReply>): void {
    this.counters.requests++;
    if (frame.kind === 'broken') {
      this.log.warn('unreadable framing, closing', { error: frame.error, peer: `${connection.remoteAddress}:${connection.remotePort}` });
      replies.push(this.fail(frame.error.message, null, frame.error.code), 'close');
      return;
    }
    if (frame.kind === 'rejected') {
      replies.push(this.fail(frame.error.message, null, frame.error.code), 'none');
      return;
    }
    let request: ObeRequest;
    try {
      request = parseObeRequest(frame.value);
    } catch (err) {
      const e = err as ObeMessageError;
      const sent = typeof frame.value === 'object' && frame.value !== null && !Array.isArray(frame.value) ? sentCommandOf((frame.value as PythonJsonObject).command) : undefined;
      replies.push(this.fail(e.message, sent ?? null, e.code), 'none');
      return;
    }
    this.counters.byCommand[request.command] = (this.counters.byCommand[request.command] ?? 0) + 1;
    let reply: Reply;
    try {
      reply = this.dispatch(request);
    } catch (err) {
      reply = this.fail(err instanceof Error ? err.message : String(err), null, 'INTERNAL_ERROR');
    }
    replies.push(reply, request.command === 'done' ? 'done' : 'none');
  }

  private dispatch(request: ObeRequest): Reply {
    switch (request.command) {
      case 'ready':
        return OK;
      case 'done':
        return this.onDone(request);
      case 'newrun': {
        const hook = this.options.newrun;
        return hook ? this.newrunBehind(request, hook) : this.submit(request, 'newrun');
      }
      default:
        return this.submit(request, request.command);
    }
  }

  private fail(message: string, command: string | readonly string[] | null, code: string): PythonJson {
    this.counters.errorReplies++;
    return errorReply(message, command, code);
  }

  /**
   * Validates and types a wire command (a malformed one gets its error reply here), then runs it;
   * `now` skips waiting behind a hook's newrun (for that newrun's own submission).
   */
  private submit(request: ObeRequest, op: ObeEngineCommandName | 'newrun', now = false): Reply {
    let command: EngineCommand;
    try {
      command = parseEngineCommand(op, request.message);
    } catch (err) {
      if (!(err instanceof ActorwireError)) throw err;
      return this.fail(err.message, request.sentCommand, err.code);
    }
    const tooLarge = this.overBudget(command);
    if (tooLarge) return this.fail(tooLarge.message, request.sentCommand, tooLarge.code);
    return now ? this.runNow(request, command) : this.run(request, command);
  }

  /** A run that would exceed the memory budget, refused before the worker builds anything. */
  private overBudget(command: EngineCommand): RunTooLargeError | undefined {
    const max = this.options.maxRunBytes ?? DEFAULT_MAX_RUN_BYTES;
    if (command.op === 'startrun') return runBudgetError(command.spec, max);
    if (command.op === 'newrun' && command.grid && this.options.run) return runBudgetError(this.options.run, max, command.grid);
    return undefined;
  }

  /** Runs a command on the engine; synchronous when the engine's snapshot answers it. */
  private run(request: ObeRequest, command: EngineCommand): Reply {
    // Behind a newrun whose hook is still deciding, a command waits its turn (arrival order).
    const behind = this.hookInFlight;
    if (behind) return behind.then(() => this.runNow(request, command));
    return this.runNow(request, command);
  }

  private runNow(request: ObeRequest, command: EngineCommand): Reply {
    const outcome = this.engine.submit(command);
    if (outcome instanceof Promise) return outcome.then((o) => this.toReply(request, command, o));
    return this.toReply(request, command, outcome);
  }

  private toReply(request: ObeRequest, command: EngineCommand, outcome: EngineOutcome): ObeOutbound {
    this.observer?.commandRan(command, outcome);
    if (outcome.ok) return new EncodedJsonBody(outcome.body);
    return this.fail(outcome.message, request.sentCommand, outcome.code);
  }

  /**
   * A newrun through the hook, in arrival order: it starts once every command before it was handed
   * to the engine, and the commands after it wait until its own run was (docs/ARCHITECTURE.md,
   * "Engine actors": the engine keeps the order it is given).
   */
  private newrunBehind(request: ObeRequest, hook: ObeNewrunHook): Promise<ObeOutbound> {
    const before = this.hookInFlight ?? Promise.resolve();
    let handedOver!: () => void;
    const mine = new Promise<void>((resolve) => (handedOver = resolve));
    this.hookInFlight = mine;
    // Registered first, so it runs before the commands that wait on `mine`; a later hook newrun
    // has replaced it by then if one came.
    void mine.then(() => {
      if (this.hookInFlight === mine) this.hookInFlight = undefined;
    });
    return before.then(async () => {
      try {
        return await this.newrunWithHook(request, hook, handedOver);
      } finally {
        handedOver();
      }
    });
  }

  private async newrunWithHook(request: ObeRequest, hook: ObeNewrunHook, handedOver: () => void): Promise<ObeOutbound> {
    // The engine keeps arrival order: the hook runs first, then its run is queued.
    let spec: RunSpec | undefined;
    try {
      spec = await hook(request.message);
    } catch (err) {
      return this.fail(err instanceof Error ? err.message : String(err), request.sentCommand, err instanceof ActorwireError ? err.code : 'NEWRUN_FAILED');
    }
    // Handed to the engine now, past the gate this newrun itself holds; then the gate opens.
    let reply: Reply;
    if (spec === undefined) {
      reply = this.submit(request, 'newrun', true);
    } else {
      const tooLarge = this.overBudget({ op: 'startrun', spec });
      reply = tooLarge ? this.fail(tooLarge.message, request.sentCommand, tooLarge.code) : this.runNow(request, { op: 'startrun', spec });
    }
    handedOver();
    return reply;
  }

  private onDone(request: ObeRequest): Reply {
    if ((this.options.onDone ?? 'stop') !== 'end-run') return OK;
    // Through run, like every engine command, so that it waits behind a hook newrun; the engine's
    // reply to endrun is the same "OK" body.
    return this.run(request, { op: 'endrun' });
  }

  private afterDone(): void {
    if ((this.options.onDone ?? 'stop') !== 'stop') return;
    this.log.info('done received: stopping');
    void this.stop();
  }
}
