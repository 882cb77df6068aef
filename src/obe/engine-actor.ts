import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { createActor, type Actor } from 'xstate';
import { ChannelReceiver, ChannelSender, createChannel } from '../actors/threads/thread-channel.js';
import { createLogger, type Logger } from '../logger.js';
import { changesRun, isWrite, type EngineCommand, type EngineInit, type EngineOutcome } from './engine-commands.js';
import type { EngineWorkerData, EngineWorkerMessage, EngineWorkerRequest } from './engine-worker-protocol.js';
import { engineMachine, type EngineMachineEffects } from './engine-machine.js';
import { EngineSnapshot, isRunRead, isStateRead, type EngineCoreStats, type EngineSnapshotUpdate, type StateRead } from './engine-snapshot.js';
import { messageCodec, requestCodec } from './engine-wire.js';
import { EngineBusyError, EngineCrashedError, EngineStoppedError, type ObeServiceError } from './errors.js';

/** Options of an {@link ObeEngineActor}. */
export interface ObeEngineActorOptions extends EngineInit {
  /** Name in log lines. Default `obe.engine`. */
  name?: string;
  /** Commands waiting or in flight before new ones are refused with `ENGINE_BUSY`. Default 10 000. */
  maxPendingCommands?: number;
  /** Memory limits of the worker thread. */
  resourceLimits?: ResourceLimits;
}

/** The coarse state of an engine actor. */
export type EngineStatus = 'idle' | 'starting' | 'running' | 'crashed' | 'stopped';

/** Counters of an engine actor. */
export interface EngineStats {
  commands: number;
  /** Reads answered at once from the snapshot, without a thread hop. */
  fromSnapshot: number;
  /** Reads that arrived after a write and were answered once that write's snapshot was in. */
  afterSnapshot: number;
  errors: number;
  crashes: number;
  workersStarted: number;
  pending: number;
  /** The numeric core's counters of the current run, as of the last snapshot (absent: no run). */
  core?: EngineCoreStats;
}

interface Pending {
  readonly command: EngineCommand;
  readonly resolve: (outcome: EngineOutcome) => void;
}

/** A state read waiting for the snapshot of the write it arrived after. */
interface Parked {
  readonly id: number;
  readonly op: StateRead;
  readonly after: number;
}

/**
 * How to start the worker: from `dist/` it is the `.js` file, run as is; from source (vitest, tsx)
 * it is the `.ts` file, which a small bootstrap loads through tsx's loader (Node 20 ignores
 * `--import` in a worker's `execArgv`).
 */
function workerEntry(): { entry: URL | string; eval: boolean } {
  if (!import.meta.url.endsWith('.ts')) return { entry: new URL('./engine-worker.js', import.meta.url), eval: false };
  // tsx's require hook (`tsx/cjs`) works in a worker on Node 20, where ESM loader hooks do not.
  const hook = createRequire(import.meta.url).resolve('tsx/cjs');
  const target = fileURLToPath(new URL('./engine-worker.ts', import.meta.url));
  const bootstrap = `require(${JSON.stringify(hook)}); require(${JSON.stringify(target)});`;
  return { entry: bootstrap, eval: true };
}

function errorOutcome(error: Error): EngineOutcome {
  return { ok: false, code: (error as ObeServiceError).code ?? 'ENGINE_ERROR', message: error.message };
}

/**
 * The actor that owns one OBE engine in a `worker_threads` Worker. Its lifecycle (idle, starting,
 * running, crashed, stopped) is the machine {@link engineMachine}, which hears the worker's edges;
 * commands go straight to a running worker, or wait for a starting one, without a machine event
 * each (docs/ARCHITECTURE.md, "Engine actors"). The worker executes commands strictly in arrival order and the outcome (reply body bytes, or an
 * error) resolves the promise {@link send} returned. Engine exceptions are error outcomes; a dead
 * worker (crash, out of memory) answers every pending command with `ENGINE_CRASHED` and is
 * replaced on the next command. {@link send} never rejects.
 *
 * Reads do not hop threads: after every write the worker publishes an {@link EngineSnapshot}
 * (getmean, getstd, getset, getcon; see `engine-snapshot.ts` for what is left out and why), and
 * {@link submit} answers those reads from it synchronously. Order holds: a read that arrives after
 * a write whose snapshot is not in yet waits for exactly that snapshot (never an older or newer
 * one); a crash or restart forgets the snapshot. Snapshots arrive without waking this thread:
 * only a read left waiting asks for them.
 *
 * @example
 * ```ts
 * const engine = new ObeEngineActor({ baseSpec: DEMO_RUN_SPEC, startRun: true });
 * await engine.start();
 * const outcome = await engine.send({ op: 'getmean' }); // { ok: true, body: <[2.5, 0.055, 0.0265]> }
 * await engine.stop();
 * ```
 */
export class ObeEngineActor {
  private readonly options: ObeEngineActorOptions;
  private readonly init: EngineInit;
  private readonly actor: Actor<typeof engineMachine>;
  private readonly log: Logger;
  private worker: Worker | undefined;
  /** The current worker's channel: commands out, outcomes and snapshots in. */
  private outbox: ChannelSender<EngineWorkerRequest> | undefined;
  private inbox: ChannelReceiver<EngineWorkerMessage> | undefined;
  private terminating: Promise<unknown> = Promise.resolve();
  private generation = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly queued: number[] = [];
  private readonly counters = { commands: 0, fromSnapshot: 0, afterSnapshot: 0, errors: 0, crashes: 0, workersStarted: 0 };
  private readyWaiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  private readonly snapshot = new EngineSnapshot();
  private core: EngineCoreStats | undefined;
  /** State reads waiting for a snapshot, in arrival order (so their `after` never decreases). */
  private parked: Parked[] = [];
  /** Id of the last write sent, or of the worker's start (its initial state). */
  private lastWrite = 0;
  /** Id of the last write sent that replaced the run, or of the worker's start. */
  private lastRunChange = 0;
  /** Stands for the current worker's initial state, which its ready message describes (see spawnWorker). */
  private startedAt = 0;

  constructor(options: ObeEngineActorOptions = {}) {
    this.options = options;
    this.init = { baseSpec: options.baseSpec, startRun: options.startRun, maxReplyBytes: options.maxReplyBytes, threads: options.threads, poolMinParticles: options.poolMinParticles };
    this.log = createLogger(options.name ?? 'obe.engine');
    const effects: EngineMachineEffects = {
      spawnWorker: () => this.spawnWorker(),
      terminateWorker: () => this.terminateWorker(),
      enqueue: (id) => this.queued.push(id),
      flushQueue: () => {
        for (const id of this.queued.splice(0)) this.post(id);
        this.settleReady(undefined);
      },
      failAll: (error) => this.failAll(error),
    };
    this.actor = createActor(engineMachine, { input: effects });
    this.actor.start();
  }

  /** The coarse state. */
  get status(): EngineStatus {
    return this.actor.getSnapshot().value as EngineStatus;
  }

  /**
   * Starts the worker (and the configured run, if `startRun`). Resolves when it is ready; rejects
   * with the worker's error when the run cannot start (e.g. a model module that fails to load).
   */
  start(): Promise<void> {
    if (this.status === 'running') return Promise.resolve();
    if (this.status === 'stopped') return Promise.reject(new EngineStoppedError());
    const ready = new Promise<void>((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
    if (this.status === 'idle') this.actor.send({ type: 'START' });
    else if (this.status === 'crashed') this.actor.send({ type: 'RESTART', error: new EngineCrashedError('restarted') });
    return ready;
  }

  /** Sends one command; resolves with its outcome, in the order commands were sent. */
  send(command: EngineCommand): Promise<EngineOutcome> {
    return Promise.resolve(this.submit(command));
  }

  /**
   * Sends one command and returns its outcome at once when the snapshot has it (getmean, getstd,
   * getset, getcon of the current state, or an error such as `ENGINE_STOPPED`), else a promise of
   * it. Outcomes keep the order commands were submitted in, as with {@link send}.
   */
  submit(command: EngineCommand): EngineOutcome | Promise<EngineOutcome> {
    if (this.status === 'stopped') return errorOutcome(new EngineStoppedError());
    const op = command.op;
    const now = this.fromSnapshot(op);
    if (now) {
      this.counters.commands++;
      this.counters.fromSnapshot++;
      if (!now.ok) this.counters.errors++;
      return now;
    }
    const limit = this.options.maxPendingCommands ?? 10_000;
    if (this.pending.size >= limit) {
      this.counters.errors++;
      return errorOutcome(new EngineBusyError(`${this.pending.size} commands are waiting for the engine`));
    }
    const id = this.nextId++;
    this.counters.commands++;
    if (isWrite(op)) {
      this.lastWrite = id;
      if (changesRun(op)) this.lastRunChange = id;
    }
    return new Promise((resolve) => {
      this.pending.set(id, { command, resolve });
      // A running worker publishes the snapshot of lastWrite: wait for it rather than hop threads.
      // Otherwise (starting, crashed) the worker answers, in order after the write.
      // The machine hears of a command only when it must start a worker (docs/ARCHITECTURE.md).
      const status = this.status;
      if (status === 'running') {
        if (isStateRead(op)) {
          this.parked.push({ id, op, after: this.lastWrite });
          // Snapshots arrive quietly: from now on the one it waits for wakes this thread, and one
          // already in the channel is taken on the next microtask (never inside this call, so
          // that a read after a write is answered after it whatever the worker's speed).
          this.inbox?.expect();
        } else {
          this.post(id);
        }
      } else if (status === 'starting') {
        this.queued.push(id);
      } else {
        this.actor.send({ type: 'COMMAND', id });
      }
    });
  }

  /** The outcome of a snapshot read from the newest snapshot, if it is current for this read. */
  private fromSnapshot(op: EngineCommand['op']): EngineOutcome | undefined {
    if (isStateRead(op)) return this.snapshot.state(op, this.lastWrite);
    return isRunRead(op) ? this.snapshot.run(op, this.lastRunChange) : undefined;
  }

  /** Replaces the worker with a fresh one (the run is lost; the configured run restarts if `startRun`). */
  restart(): Promise<void> {
    if (this.status === 'running') {
      const ready = new Promise<void>((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
      this.actor.send({ type: 'RESTART', error: new EngineCrashedError('the engine was restarted; the command was not run') });
      return ready;
    }
    return this.start();
  }

  /** Stops the worker; pending commands get `ENGINE_STOPPED`. */
  async stop(): Promise<void> {
    if (this.status === 'stopped') return this.terminating.then(() => undefined);
    this.actor.send({ type: 'STOP', error: new EngineStoppedError() });
    this.settleReady(new EngineStoppedError());
    await this.terminating;
  }

  /** A snapshot of the counters. */
  stats(): EngineStats {
    return { ...this.counters, pending: this.pending.size, ...(this.core === undefined ? {} : { core: this.core }) };
  }

  private settleReady(error: Error | undefined): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) {
      if (error) w.reject(error);
      else w.resolve();
    }
  }

  private spawnWorker(): void {
    const generation = ++this.generation;
    // The new worker's initial state stands in for a write ordered between the commands before it
    // and the first it will run (already queued when a command started it): half an id earlier,
    // so it never collides with a command's id. Reads after it wait for the ready message.
    const startedAt = (this.queued.length > 0 ? this.queued[0] : this.nextId) - 0.5;
    this.startedAt = startedAt;
    if (this.lastWrite < startedAt) this.lastWrite = startedAt;
    if (this.lastRunChange < startedAt) this.lastRunChange = startedAt;
    const { entry, eval: isEval } = workerEntry();
    const toWorker = createChannel();
    const fromWorker = createChannel();
    const workerData: EngineWorkerData = { init: this.init, toWorker: toWorker.receiving, fromWorker: fromWorker.sending };
    const worker = new Worker(entry, {
      eval: isEval,
      workerData,
      transferList: [toWorker.receiving.port, fromWorker.sending.port],
      resourceLimits: this.options.resourceLimits,
      stdout: false,
      stderr: false,
    });
    this.worker = worker;
    this.outbox = new ChannelSender(toWorker.sending, requestCodec);
    this.inbox = new ChannelReceiver(
      fromWorker.receiving,
      messageCodec,
      (message) => {
        if (generation === this.generation) this.onWorkerMessage(message);
      },
      (err) => this.log.error('unreadable message from the engine worker', { error: err }),
    );
    this.inbox.start();
    this.counters.workersStarted++;
    let lastError: Error | undefined;
    worker.on('error', (err: Error) => {
      lastError = err;
      this.log.warn('engine worker error', { error: err });
    });
    worker.on('exit', (code) => {
      if (generation !== this.generation || this.status === 'stopped') return;
      this.counters.crashes++;
      const why = lastError ? `${lastError.message}` : `worker exited with code ${code}`;
      const error = new EngineCrashedError(`the engine crashed (${why}); the run is lost and the engine restarts on the next command`, { cause: lastError });
      this.closeChannel();
      this.worker = undefined;
      this.actor.send({ type: 'WORKER_FAILED', error });
      this.settleReady(error);
    });
  }

  private terminateWorker(): void {
    const worker = this.worker;
    this.closeChannel();
    this.worker = undefined;
    this.generation++;
    if (worker) this.terminating = worker.terminate();
  }

  private onWorkerMessage(message: EngineWorkerMessage): void {
    switch (message.type) {
      case 'ready':
        this.onSnapshot(this.startedAt, message.snapshot);
        this.actor.send({ type: 'WORKER_READY' });
        return;
      case 'init-failed': {
        const error = new EngineCrashedError(`the engine could not start its run: ${message.message}`);
        this.actor.send({ type: 'WORKER_FAILED', error });
        this.settleReady(error);
        return;
      }
      case 'snapshot':
        this.onSnapshot(message.after, message.snapshot);
        return;
      case 'outcome': {
        const entry = this.pending.get(message.id);
        if (!entry) return;
        this.pending.delete(message.id);
        if (!message.outcome.ok) this.counters.errors++;
        entry.resolve(message.outcome);
      }
    }
  }

  /** Takes a snapshot and answers the reads that were waiting for it. */
  private onSnapshot(after: number, update: EngineSnapshotUpdate): void {
    this.snapshot.apply(after, update);
    this.core = update.core;
    const parked = this.parked;
    let served = 0;
    // Snapshots arrive in write order, so the reads parked for this one are at the front.
    while (served < parked.length && parked[served].after === after) {
      const { id, op } = parked[served++];
      const entry = this.pending.get(id);
      if (!entry) continue;
      this.pending.delete(id);
      this.counters.afterSnapshot++;
      const outcome = update.state[op];
      if (!outcome.ok) this.counters.errors++;
      entry.resolve(outcome);
    }
    if (served > 0) this.parked = served === parked.length ? [] : parked.slice(served);
    if (this.parked.length === 0) this.inbox?.relax();
  }

  private post(id: number): void {
    const entry = this.pending.get(id);
    if (!entry || !this.outbox) return;
    this.outbox.send({ id, command: entry.command });
  }

  /** Closes the current worker's channel, which ends its receiving loop here and wakes any wait. */
  private closeChannel(): void {
    this.outbox?.close();
    this.inbox?.close();
    this.outbox = undefined;
    this.inbox = undefined;
  }

  private failAll(error: Error): void {
    this.snapshot.invalidate();
    this.parked = [];
    this.queued.length = 0;
    const outcome = errorOutcome(error);
    for (const entry of this.pending.values()) entry.resolve(outcome);
    this.counters.errors += this.pending.size;
    this.pending.clear();
  }
}
