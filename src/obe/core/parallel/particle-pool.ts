/**
 * The particle pool: worker threads that share the engine's per-particle loops over
 * `SharedArrayBuffer`s (docs/OBE-NUMERICS.md, "The particle pool"). A call's units (pairwise
 * leaves, update chunks, grid points) are claimed in blocks by every thread, the calling one
 * included, until none is left; a thread the scheduler keeps waiting (two cores shared with other
 * work) just takes fewer blocks. Each unit's result depends only on the unit, and sums are combined
 * afterwards in NumPy's pairwise order (`PairwiseTree`), so every pool size, and every split,
 * gives the same bits as one thread.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { InvalidArgumentError, ParticlePoolError } from '../errors.js';
import { claimBlock, COMMAND, CTL, createControlBlock, MAX_ARRAYS, MAX_INTS, MAX_NUMBERS, writeArrayRef, writeIntArgs, type ControlBlock } from './pool-control.js';
import { KERNEL_NAMES, KERNELS, type KernelArgs, type KernelName } from './pool-kernels.js';
import type { PoolMessage, PoolReply, PoolWorkerData } from './pool-messages.js';
import { loadPoolModel, ThreadContext, type PoolModelShape, type PoolModelSource } from './thread-context.js';

/** Options of {@link ParticlePool.create}. */
export interface ParticlePoolOptions {
  /** Threads, the calling one included. Default: the number of cores (`os.availableParallelism()`). */
  threads?: number;
  /**
   * Iterations a thread spins on the control block before it blocks (when idle, and the caller
   * when waiting for the others). Default 5 000 (a few microseconds).
   */
  spin?: number;
  /** Longest a call may wait for the other threads before the pool counts as failed. Default 60 000 ms. */
  timeoutMs?: number;
  /**
   * Whether the calling thread claims blocks too (default true). With false, every unit runs on a
   * worker thread: for tests that need work to happen off the calling thread.
   */
  callerTakesPart?: boolean;
}

/** Counters of {@link ParticlePool.stats}. */
export interface ParticlePoolStats {
  /** Threads, the calling one included. */
  readonly threads: number;
  /** Kernel calls run across the threads, per kernel. */
  readonly calls: Readonly<Record<KernelName, number>>;
  /** Shared buffers allocated so far (recycled ones are not counted again). */
  readonly buffersCreated: number;
}

interface PoolThread {
  readonly worker: Worker;
  readonly commands: MessagePort;
  readonly replies: MessagePort;
}

const KERNEL_INDEX = new Map(KERNEL_NAMES.map((k, i) => [k, i]));

/**
 * Smallest claim per kernel, in units: a grid point of `drawSpace` is K model evaluations of one
 * value each, too little to be worth a claim (and K subarrays) on its own.
 */
const MIN_BLOCK: Partial<Record<KernelName, number>> = { drawSpace: 256 };

/** Spare buffers kept per length (an engine has a few dozen arrays of each length at most). */
const MAX_SPARE_PER_LENGTH = 64;

/**
 * How to start a pool thread: the `.js` file from `dist/`; from source (vitest, tsx), the `.ts`
 * file through tsx's require hook, as the engine worker does (`engine-actor.ts`).
 */
function poolWorkerEntry(): { entry: URL | string; eval: boolean } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { entry: new URL('./pool-worker.js', here), eval: false };
  const hook = createRequire(here).resolve('tsx/cjs');
  const file = fileURLToPath(new URL('./pool-worker.ts', here));
  return { entry: `require(${JSON.stringify(hook)}); require(${JSON.stringify(file)});`, eval: true };
}

/**
 * Worker threads for the particle loops. Create with {@link ParticlePool.create}; give it to an
 * engine through `OptBayesExptConfig.pool`; {@link close} it when done (its threads do not keep the
 * process alive meanwhile).
 *
 * @example
 * ```ts
 * const pool = await ParticlePool.create({ threads: 2 });
 * const obe = new OptBayesExpt({ model: 'lorentzian-dip', settingValues, prior, pool });
 * await obe.attachPoolModel({ builtin: 'lorentzian-dip' });
 * // ... pdfUpdate, mean, goodSetting: the same bits as without the pool
 * await pool.close();
 * ```
 */
export class ParticlePool {
  /** Threads, the calling one included. */
  readonly threads: number;
  private readonly control: ControlBlock;
  private readonly controlBuffer: SharedArrayBuffer;
  private readonly workers: PoolThread[] = [];
  private readonly ctx = new ThreadContext();
  private readonly bufferIds = new WeakMap<SharedArrayBuffer, number>();
  /** Buffers given back by {@link recycle}, by length in doubles. */
  private readonly spareBuffers = new Map<number, SharedArrayBuffer[]>();
  private readonly spareSet = new Set<SharedArrayBuffer>();
  private buffersCreated = 0;
  /**
   * Tells the workers to let go of a buffer once this thread's copy of it is collected: every run
   * allocates new ones, and a worker's reference alone would keep them alive for the pool's life.
   */
  private readonly releases = new FinalizationRegistry<number>((id) => {
    if (this.closed) return;
    for (const w of this.workers) this.post(w, { type: 'release', id });
  });
  private nextBufferId = 1;
  private nextModelId = 1;
  private readonly spin: number;
  private readonly timeoutMs: number;
  private readonly callerTakesPart: boolean;
  private closed = false;
  /** A call is open (see {@link run}). */
  private running = false;
  private failure: string | undefined;
  private readonly calls: Record<KernelName, number> = Object.fromEntries(KERNEL_NAMES.map((k) => [k, 0])) as Record<KernelName, number>;

  private constructor(threads: number, spin: number, timeoutMs: number, callerTakesPart: boolean) {
    this.threads = threads;
    this.callerTakesPart = callerTakesPart;
    this.spin = spin;
    this.timeoutMs = timeoutMs;
    const { buffer, block } = createControlBlock();
    this.controlBuffer = buffer;
    this.control = block;
  }

  /**
   * Starts `threads − 1` worker threads and resolves when they are ready.
   * @throws {@link InvalidArgumentError} for a thread count that is not a positive integer;
   *   {@link ParticlePoolError} if a thread fails to start.
   */
  static async create(options: ParticlePoolOptions = {}): Promise<ParticlePool> {
    const threads = options.threads ?? availableParallelism();
    if (!(Number.isInteger(threads) && threads >= 1 && threads <= 256)) {
      throw new InvalidArgumentError(`threads must be an integer in [1, 256], got ${threads}`);
    }
    const pool = new ParticlePool(threads, options.spin ?? 5_000, options.timeoutMs ?? 60_000, options.callerTakesPart ?? true);
    await Promise.all(Array.from({ length: threads - 1 }, () => pool.startWorker()));
    return pool;
  }

  private startWorker(): Promise<void> {
    const commands = new MessageChannel();
    const replies = new MessageChannel();
    const data: PoolWorkerData = { control: this.controlBuffer, commands: commands.port2, replies: replies.port2, spin: this.spin };
    const { entry, eval: isEval } = poolWorkerEntry();
    const worker = new Worker(entry, { eval: isEval, workerData: data, transferList: [commands.port2, replies.port2], stdout: false, stderr: false });
    worker.unref();
    this.workers.push({ worker, commands: commands.port1, replies: replies.port1 });
    worker.on('error', (err: Error) => {
      this.failure ??= `a pool thread failed: ${err.message}`;
    });
    worker.on('exit', () => {
      if (!this.closed) this.failure ??= 'a pool thread exited';
    });
    // The reply port is never started: failures wait in it until read synchronously.
    return new Promise((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', (err) => reject(new ParticlePoolError(`a pool thread failed to start: ${err.message}`, { cause: err })));
    });
  }

  /**
   * A zero-filled array of `length` doubles on a `SharedArrayBuffer`, usable in {@link run}: a
   * buffer given back by {@link recycle} when one of that length is spare, else a new one.
   */
  allocate(length: number): Float64Array {
    const buffer = this.spareBuffers.get(length)?.pop();
    if (buffer === undefined) {
      this.buffersCreated++;
      return new Float64Array(new SharedArrayBuffer(length * 8));
    }
    this.spareSet.delete(buffer);
    return new Float64Array(buffer).fill(0);
  }

  /**
   * Takes back arrays from {@link allocate} that their owner no longer uses, for later
   * allocations of the same length. Reusing buffers matters: a worker holds every buffer it was
   * sent until its own garbage collector runs, which an idle worker hardly does, so new buffers
   * per run would pile up there. Arrays that are not whole pool buffers are ignored.
   */
  recycle(arrays: Iterable<Float64Array>): void {
    for (const a of arrays) {
      const buffer = a.buffer;
      if (!(buffer instanceof SharedArrayBuffer) || a.byteOffset !== 0 || a.byteLength !== buffer.byteLength || this.spareSet.has(buffer)) continue;
      let list = this.spareBuffers.get(a.length);
      if (list === undefined) this.spareBuffers.set(a.length, (list = []));
      if (list.length >= MAX_SPARE_PER_LENGTH) continue;
      list.push(buffer);
      this.spareSet.add(buffer);
    }
  }

  /**
   * Loads a model in every thread, bound to an engine's dimensions; resolves to its id for the
   * kernels that evaluate it.
   * @throws {@link ParticlePoolError} if a thread cannot load it.
   */
  async addModel(source: PoolModelSource, shape: PoolModelShape): Promise<number> {
    this.checkUsable();
    const id = this.nextModelId++;
    this.ctx.addModel(id, await loadPoolModel(source), shape);
    if (this.workers.length === 0) return id;
    for (const w of this.workers) this.post(w, { type: 'model', id, source, shape: { ...shape, constants: [...shape.constants] } });
    const ints = this.control.ints;
    ints[CTL.failed] = 0;
    Atomics.store(ints, CTL.pending, this.workers.length);
    this.wake(COMMAND.loadModel);
    // Atomics.waitAsync does not keep the process alive (the threads are unref'd): a timer does.
    const keepAlive = setInterval(() => {}, 1000);
    try {
      for (;;) {
        const pending = Atomics.load(ints, CTL.pending);
        if (pending === 0) break;
        const wait = Atomics.waitAsync(ints, CTL.pending, pending, this.timeoutMs);
        if (wait.async && (await wait.value) === 'timed-out') this.fail('a pool thread did not load the model in time');
      }
    } finally {
      clearInterval(keepAlive);
    }
    this.checkFailed();
    return id;
  }

  /**
   * Runs `kernel` over `units` units claimed in blocks by the threads, this one included; returns
   * when every unit is done. Every array of `args` must come from {@link allocate}. `meanwhile`,
   * if given, runs on this thread once the call is open, before it claims units of its own: work
   * that neither reads what the kernel writes nor writes what it reads (without workers it runs
   * after the kernel).
   * @throws {@link ParticlePoolError} if a thread's share threw (the message is the thread's), a
   *   thread died, the pool is closed, or a call is already open (`meanwhile` may not use the
   *   pool: the control block holds one call); {@link InvalidArgumentError} for an array not on a
   *   `SharedArrayBuffer`.
   */
  run(kernel: KernelName, units: number, args: KernelArgs, meanwhile?: () => void): void {
    this.checkUsable();
    if (this.running) throw new ParticlePoolError(`${kernel} was called while another call was open (from a meanwhile)`);
    this.running = true;
    try {
      this.runOpen(kernel, units, args, meanwhile);
    } finally {
      this.running = false;
    }
  }

  private runOpen(kernel: KernelName, units: number, args: KernelArgs, meanwhile: (() => void) | undefined): void {
    this.calls[kernel]++;
    const fn = KERNELS[kernel];
    if (this.workers.length === 0 || units < 2) {
      fn(this.ctx, args, 0, units);
      meanwhile?.();
      return;
    }
    this.writeArgs(args);
    const ints = this.control.ints;
    const block = Math.max(claimBlock(units, this.threads), MIN_BLOCK[kernel] ?? 1);
    const index = KERNEL_INDEX.get(kernel) as number;
    // Everything a thread reads once it sees the call open is written before it opens.
    ints[CTL.kernel] = index;
    ints[CTL.units] = units;
    ints[CTL.block] = block;
    ints[CTL.failed] = 0;
    Atomics.store(ints, CTL.cursor, 0);
    Atomics.store(ints, CTL.open, 1);
    this.wake(index);
    let threw: unknown;
    try {
      meanwhile?.();
      while (this.callerTakesPart) {
        const start = Atomics.add(ints, CTL.cursor, block);
        if (start >= units) break;
        fn(this.ctx, args, start, Math.min(units, start + block));
      }
    } catch (err) {
      threw = err;
    }
    if (!this.callerTakesPart) this.awaitClaimed(units);
    // Closed before waiting: a thread that looks now finds nothing, and none is left reading.
    Atomics.store(ints, CTL.open, 0);
    this.awaitInflight();
    if (threw !== undefined) throw threw;
    this.checkFailed();
  }

  /** Counters. */
  stats(): ParticlePoolStats {
    return { threads: this.threads, calls: { ...this.calls }, buffersCreated: this.buffersCreated };
  }

  /** Stops the threads. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wake(COMMAND.stop);
    await Promise.all(this.workers.map(async (w) => {
      await w.worker.terminate();
      w.commands.close();
      w.replies.close();
    }));
  }

  private checkUsable(): void {
    if (this.closed) throw new ParticlePoolError('the particle pool is closed');
    if (this.failure !== undefined) throw new ParticlePoolError(this.failure);
  }

  private post(w: PoolThread, message: PoolMessage): void {
    w.commands.postMessage(message);
  }

  private writeArgs(args: KernelArgs): void {
    const block = this.control;
    if (args.arrays.length > MAX_ARRAYS || args.ints.length > MAX_INTS || args.numbers.length > MAX_NUMBERS) {
      throw new InvalidArgumentError('too many kernel arguments for the pool');
    }
    args.arrays.forEach((a, i) => {
      const buffer = a.buffer;
      if (!(buffer instanceof SharedArrayBuffer)) throw new InvalidArgumentError('a pool kernel array must be allocated by the pool (SharedArrayBuffer)');
      let id = this.bufferIds.get(buffer);
      if (id === undefined) {
        id = this.nextBufferId++;
        this.bufferIds.set(buffer, id);
        this.releases.register(buffer, id);
        for (const w of this.workers) this.post(w, { type: 'buffer', id, buffer });
      }
      writeArrayRef(block, i, id, a.byteOffset / 8, a.length);
    });
    block.ints[CTL.arrayCount] = args.arrays.length;
    writeIntArgs(block, args.ints);
    block.numbers.set(args.numbers);
    block.ints[CTL.numberCount] = args.numbers.length;
  }

  /** Publishes a call or command and wakes the idle workers. */
  private wake(kernel: number): void {
    const ints = this.control.ints;
    Atomics.store(ints, CTL.kernel, kernel);
    Atomics.add(ints, CTL.generation, 1);
    Atomics.notify(ints, CTL.generation);
  }

  /** Waits until the workers have claimed every unit and left the call (`callerTakesPart` false). */
  private awaitClaimed(units: number): void {
    const ints = this.control.ints;
    const deadline = Date.now() + this.timeoutMs;
    // A thread that failed stops claiming: then only the threads still inside are waited for.
    while ((Atomics.load(ints, CTL.cursor) < units && Atomics.load(ints, CTL.failed) === 0) || Atomics.load(ints, CTL.inflight) !== 0) {
      if (Date.now() > deadline) this.fail('the pool threads did not take the call in time');
      Atomics.wait(ints, CTL.inflight, Atomics.load(ints, CTL.inflight), 10);
    }
  }

  /** Waits until no worker is inside the (closed) call. */
  private awaitInflight(): void {
    const ints = this.control.ints;
    for (let spin = 0; spin < this.spin && Atomics.load(ints, CTL.inflight) !== 0; spin++);
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const inflight = Atomics.load(ints, CTL.inflight);
      if (inflight === 0) return;
      if (Date.now() > deadline || this.failure !== undefined) this.fail(this.failure ?? 'a pool thread did not finish in time');
      Atomics.wait(ints, CTL.inflight, inflight, 100);
    }
  }

  private checkFailed(): void {
    if (Atomics.load(this.control.ints, CTL.failed) === 0) return;
    const messages: string[] = [];
    for (const w of this.workers) {
      for (let m = receiveMessageOnPort(w.replies); m !== undefined; m = receiveMessageOnPort(w.replies)) {
        const reply = m.message as PoolReply;
        if (reply.type === 'failed') messages.push(reply.message);
      }
    }
    throw new ParticlePoolError(`a pool thread failed: ${messages.join('; ') || 'unknown error'}`);
  }

  private fail(message: string): never {
    this.failure = message;
    throw new ParticlePoolError(message);
  }
}
