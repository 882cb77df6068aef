/** Where a {@link ReplyQueue} writes: a connection's send side (`Connection` fits as is). */
export interface ReplySink<T> {
  /** Queues a reply for the socket; false when the send queue has no room for it now. */
  send(reply: T): boolean;
  /** Resolves when the send queue has room again (or the connection has ended). */
  whenWritable(): Promise<void>;
}

/** What a {@link ReplyQueue} tells its owner. */
export interface ReplyQueueHooks<T, Tag> {
  /** A reply was handed to the sink (or dropped because the sink threw, e.g. the connection closed). */
  readonly written: (tag: Tag) => void;
  /** A pending reply rejected: the reply to send instead. */
  readonly rejected: (error: unknown) => T;
  /** The sink threw on send (closed connection, unencodable reply); the reply is dropped. */
  readonly dropped: (error: unknown) => void;
}

interface Slot<T, Tag> {
  value: T | undefined;
  ready: boolean;
  readonly tag: Tag;
}

/**
 * The replies of one connection, written in request order. A reply available at once (a snapshot
 * read, `ready`, an error) is sent synchronously when nothing is ahead of it; a pending one (an
 * engine command) holds back the replies after it until it settles. When the sink refuses a reply
 * (bounded send queue full) the queue waits for `whenWritable()` and retries, still in order.
 * Costs nothing per reply on the synchronous path (no promise, no closure, no slot).
 *
 * @example
 * ```ts
 * const replies = new ReplyQueue(connection, { written: () => {}, rejected: toErrorReply, dropped: log });
 * replies.push(engineReplyPromise, 'none'); // waits for the engine
 * replies.push('OK', 'none');               // sent right after it, never before
 * ```
 */
export class ReplyQueue<T, Tag> {
  private slots: Array<Slot<T, Tag>> = [];
  private head = 0;
  /** Waiting for `whenWritable()` after a refused send. */
  private blocked = false;

  constructor(
    private readonly sink: ReplySink<T>,
    private readonly hooks: ReplyQueueHooks<T, Tag>,
  ) {}

  /** Replies accepted but not yet handed to the sink. */
  get size(): number {
    return this.slots.length - this.head;
  }

  /** Adds the reply to the next request; `tag` comes back through `written` once it is sent. */
  push(reply: T | Promise<T>, tag: Tag): void {
    if (!(reply instanceof Promise)) {
      if (this.size === 0 && this.trySend(reply)) {
        this.hooks.written(tag);
        return;
      }
      // Behind a pending reply, or refused: it waits its turn (at the front if refused).
      this.slots.push({ value: reply, ready: true, tag });
      return;
    }
    const slot: Slot<T, Tag> = { value: undefined, ready: false, tag };
    this.slots.push(slot);
    reply.then(
      (value) => this.settle(slot, value),
      (err: unknown) => this.settle(slot, this.hooks.rejected(err)),
    );
  }

  private settle(slot: Slot<T, Tag>, value: T): void {
    slot.value = value;
    slot.ready = true;
    this.flush();
  }

  /** Sends ready replies from the front until one is pending or the sink refuses one. */
  private flush(): void {
    while (!this.blocked && this.head < this.slots.length) {
      const slot = this.slots[this.head];
      if (!slot.ready || !this.trySend(slot.value as T)) return;
      // Off the queue before `written`, which may resume input and so push the next reply.
      this.slots[this.head++] = EMPTY as Slot<T, Tag>;
      if (this.head === this.slots.length) {
        this.slots = [];
        this.head = 0;
      } else if (this.head >= 1024 && this.head * 2 >= this.slots.length) {
        // A connection that never runs dry still gets its sent slots back.
        this.slots = this.slots.slice(this.head);
        this.head = 0;
      }
      this.hooks.written(slot.tag);
    }
  }

  /** Hands one reply to the sink; false, and a wait for room, when the sink refused it. */
  private trySend(reply: T): boolean {
    try {
      if (this.sink.send(reply)) return true;
    } catch (err) {
      this.hooks.dropped(err);
      return true;
    }
    this.blocked = true;
    void this.sink.whenWritable().then(() => {
      this.blocked = false;
      this.flush();
    });
    return false;
  }
}

const EMPTY: Slot<unknown, unknown> = { value: undefined, ready: false, tag: undefined };
