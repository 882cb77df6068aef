import { Scope } from '../../protocols/rsb/index.js';
import { TimeoutError } from '../errors.js';
import type { RsbEvent } from './event.js';
import { Listener, type ListenerOptions } from './listener.js';

/**
 * The pull variant of a listener: events queue up (unbounded, like rsb-python's default) until
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
  private readonly queue: RsbEvent[] = [];
  private head = 0;
  private waiters: Array<{ resolve: (event: RsbEvent | undefined) => void; reject: (err: unknown) => void }> = [];
  private ended: { error?: unknown } | undefined;

  private constructor(readonly listener: Listener) {
    listener.events$.subscribe({
      next: (event) => {
        const waiter = this.waiters.shift();
        if (waiter) waiter.resolve(event);
        else this.queue.push(event);
      },
      error: (error: unknown) => this.finish({ error }),
      complete: () => this.finish({}),
    });
  }

  /** Creates a reader on `scope`. */
  static async create(scope: Scope | string, options: ListenerOptions = {}): Promise<Reader> {
    return new Reader(await Listener.create(scope, options));
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

  private finish(end: { error?: unknown }): void {
    this.ended = end;
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) {
      if (end.error) waiter.reject(end.error);
      else waiter.resolve(undefined);
    }
  }
}
