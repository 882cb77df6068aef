import { createLogger } from '../../logger.js';
import { Scope } from '../../protocols/rsb/index.js';
import { QueueFullError, TimeoutError } from '../errors.js';
import type { RsbEvent } from './event.js';
import { Listener, type ListenerOptions } from './listener.js';

/**
 * What a {@link Reader} does with an event when `maxPending` events already wait:
 * - `drop-oldest` (default): the oldest waiting event makes room (the reader sees the newest);
 * - `drop-newest`: the new event is dropped (the reader sees the oldest);
 * - `error`: the reader fails: reads after the waiting events reject with `QUEUE_FULL`.
 * Dropped events are counted ({@link Reader.dropped}) and logged (rate limited).
 */
export type ReaderOverflow = 'drop-oldest' | 'drop-newest' | 'error';

/** Options of a {@link Reader}. */
export interface ReaderOptions extends ListenerOptions {
  /** Events waiting to be read at most. Default 10 000. */
  readonly maxPending?: number;
  /** Default `drop-oldest`. */
  readonly overflow?: ReaderOverflow;
}

const log = createLogger('rsb.reader');
const DEFAULT_MAX_PENDING = 10_000;

/**
 * The pull variant of a listener: events queue up, at most `maxPending` of them (rsb-python's
 * default queue is unbounded; a slow consumer must not be able to exhaust memory), until
 * {@link read} takes them, or iterate with `for await`. The iteration ends when the reader is
 * closed; a lost bus rejects the pending and later reads with `BUS_CLOSED`.
 *
 * @example
 * ```ts
 * const reader = await Reader.create('/demo');
 * for await (const event of reader) { console.log(event.data); break; }
 * ```
 */
export class Reader implements AsyncIterable<RsbEvent> {
  private queue: RsbEvent[] = [];
  private head = 0;
  private waiters: Array<{ resolve: (event: RsbEvent | undefined) => void; reject: (err: unknown) => void }> = [];
  private ended: { error?: unknown } | undefined;
  private droppedCount = 0;
  private readonly maxPending: number;
  private readonly overflow: ReaderOverflow;

  private constructor(
    readonly listener: Listener,
    options: ReaderOptions,
  ) {
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.overflow = options.overflow ?? 'drop-oldest';
    listener.events$.subscribe({
      next: (event) => {
        const waiter = this.waiters.shift();
        if (waiter) waiter.resolve(event);
        else this.enqueue(event);
      },
      error: (error: unknown) => this.finish({ error }),
      complete: () => this.finish({}),
    });
  }

  /** Creates a reader on `scope`. */
  static async create(scope: Scope | string, options: ReaderOptions = {}): Promise<Reader> {
    // Checked before the listener exists, so that a bad option leaks no subscription.
    const max = options.maxPending ?? DEFAULT_MAX_PENDING;
    if (!(Number.isInteger(max) && max >= 1)) throw new RangeError(`maxPending must be a positive integer, got ${max}`);
    return new Reader(await Listener.create(scope, options), options);
  }

  /** Events dropped because `maxPending` were already waiting. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Events waiting to be read. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  /**
   * The next event; waits for it up to `timeoutMs` (default: forever), then rejects with a
   * `TimeoutError` (`RSB_READ_TIMEOUT`). Resolves `undefined` once closed and emptied.
   */
  read(timeoutMs?: number): Promise<RsbEvent | undefined> {
    if (this.head < this.queue.length) {
      const event = this.queue[this.head++];
      if (this.head === this.queue.length) {
        this.queue.length = 0;
        this.head = 0;
      }
      return Promise.resolve(event);
    }
    if (this.ended) return this.ended.error ? Promise.reject(this.ended.error) : Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject };
      this.waiters.push(waiter);
      if (timeoutMs === undefined) return;
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index < 0) return;
        this.waiters.splice(index, 1);
        reject(new TimeoutError(`no event on ${this.listener.scope.text} within ${timeoutMs} ms`, 'RSB_READ_TIMEOUT'));
      }, timeoutMs);
      waiter.resolve = (event) => {
        clearTimeout(timer);
        resolve(event);
      };
      waiter.reject = (err) => {
        clearTimeout(timer);
        reject(err);
      };
    });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RsbEvent> {
    for (;;) {
      const event = await this.read();
      if (event === undefined) return;
      yield event;
    }
  }

  /** Closes the underlying listener; queued events can still be read. */
  close(): Promise<void> {
    return this.listener.close();
  }

  private enqueue(event: RsbEvent): void {
    if (this.ended) return;
    if (this.pending < this.maxPending) {
      this.queue.push(event);
      return;
    }
    this.droppedCount++;
    log.warn('reader queue full: dropping an event', { scope: this.listener.scope.text, policy: this.overflow, dropped: this.droppedCount });
    if (this.overflow === 'drop-oldest') {
      this.queue[this.head++] = undefined as unknown as RsbEvent; // let the dropped event be collected
      this.queue.push(event);
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      return;
    }
    if (this.overflow === 'error') {
      this.finish({ error: new QueueFullError('QUEUE_FULL', `${this.maxPending} events on ${this.listener.scope.text} were not read; the reader stopped`) });
      void this.listener.close();
    }
  }

  private finish(end: { error?: unknown }): void {
    if (this.ended) return; // the first end stands (an overflow error, then the listener's close)
    this.ended = end;
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) {
      if (end.error) waiter.reject(end.error);
      else waiter.resolve(undefined);
    }
  }
}
