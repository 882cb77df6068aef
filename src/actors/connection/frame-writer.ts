import type { Socket } from 'node:net';
import { QueueFullError } from '../errors.js';
import type { ConnectionStats } from './connection-stats.js';
import { SendQueue, type OverflowPolicy, type SendQueueLimits } from './send-queue.js';

/** Frames written in one tick are concatenated up to this size; larger batches are corked. */
const CONCAT_LIMIT = 64 * 1024;
/** Upper bound of one batch handed to the socket. */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/** What the writer needs from its connection: whether it may write, and where to report edges. */
export interface FrameWriterHost {
  /** Frames may go out now: open and not backpressured (the machine's state says). */
  readonly mayWrite: boolean;
  /** The socket pushed back while writing. */
  onBackpressure(): void;
  /** A backlog written after a `drain` went out completely. */
  onFlushed(): void;
  /** The `disconnect` policy gave up on a peer that does not read. */
  onSlowConsumer(error: QueueFullError): void;
}

/**
 * The sending half of a connection: a bounded send queue with its overflow policy, written to
 * the socket once per tick (frames queued in the same tick share one `write`), and the waiters
 * of producers that block on a full queue. It never sends machine events per frame: it reports
 * only the edges of backpressure.
 */
export class FrameWriter {
  private readonly queue: SendQueue;
  private waiters: Array<() => void> | undefined;
  private tickPending = false;
  private readonly onTick = (): void => {
    this.tickPending = false;
    if (this.host.mayWrite) this.flush();
  };

  constructor(
    private readonly socket: Socket,
    private readonly host: FrameWriterHost,
    private readonly counters: ConnectionStats,
    limits: SendQueueLimits,
    private readonly overflow: OverflowPolicy,
  ) {
    this.queue = new SendQueue(limits);
  }

  /** Frames waiting. */
  get length(): number {
    return this.queue.length;
  }

  /** Bytes waiting. */
  get bytes(): number {
    return this.queue.bytes;
  }

  /** True when a frame of `bytes` would be accepted now. */
  hasRoomFor(bytes: number): boolean {
    return this.queue.hasRoomFor(bytes);
  }

  /**
   * Queues a frame under the overflow policy and schedules a write for the end of this tick.
   * Returns false when the frame was refused (`block`) or the peer dropped (`disconnect`).
   */
  enqueue(frame: Uint8Array): boolean {
    const queue = this.queue;
    if (!queue.hasRoomFor(frame.length)) {
      switch (this.overflow) {
        case 'block':
          this.counters.refusedSends++;
          return false;
        case 'disconnect':
          this.host.onSlowConsumer(new QueueFullError('SLOW_CONSUMER', `peer is not reading: ${queue.bytes} bytes queued`));
          return false;
        case 'drop-oldest':
          while (!queue.hasRoomFor(frame.length)) {
            queue.shift();
            this.counters.droppedFrames++;
          }
      }
    }
    queue.push(frame);
    if (queue.bytes > this.counters.peakQueuedBytes) this.counters.peakQueuedBytes = queue.bytes;
    if (this.host.mayWrite) this.schedule();
    return true;
  }

  /** Writes at the end of this tick what is queued by then (if writing is still allowed). */
  schedule(): void {
    if (this.tickPending || this.queue.length === 0) return;
    this.tickPending = true;
    process.nextTick(this.onTick);
  }

  /**
   * Writes queued frames until the queue is empty or the socket pushes back, then reports
   * `onFlushed` or `onBackpressure`.
   */
  flush(): void {
    let flowing = true;
    while (this.queue.length > 0 && flowing) {
      const { frames, bytes } = this.queue.takeBatch(MAX_BATCH_BYTES);
      flowing = this.writeFrames(frames, bytes);
    }
    this.wakeWaiters(true);
    if (flowing) this.host.onFlushed();
    else this.host.onBackpressure();
  }

  /** Hands everything queued to the socket regardless of backpressure (an orderly close). */
  writeAll(): void {
    while (this.queue.length > 0) {
      const { frames, bytes } = this.queue.takeBatch(MAX_BATCH_BYTES);
      this.writeFrames(frames, bytes);
    }
  }

  /** Writes bytes ahead of the queue (handshake greetings: nothing may go out before them). */
  writeNow(bytes: Uint8Array): void {
    this.counters.bytesOut += bytes.length;
    this.counters.framesOut++;
    this.counters.socketWrites++;
    this.socket.write(bytes);
  }

  /** Discards what is queued (an immediate close). */
  clear(): void {
    this.queue.clear();
  }

  /** Resolves when the queue has room for another frame, or at once if it has. */
  whenWritable(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => (this.waiters ??= []).push(resolve));
  }

  /** Wakes the waiters: when the queue has room again, or for good when the connection ends. */
  wakeWaiters(onlyIfRoom: boolean): void {
    const waiters = this.waiters;
    if (!waiters || (onlyIfRoom && !this.queue.hasRoomFor(1))) return;
    this.waiters = undefined;
    for (const wake of waiters) wake();
  }

  private writeFrames(frames: Uint8Array[], bytes: number): boolean {
    const counters = this.counters;
    counters.framesOut += frames.length;
    counters.bytesOut += bytes;
    counters.socketWrites++;
    const socket = this.socket;
    if (frames.length === 1) return socket.write(frames[0]);
    if (bytes <= CONCAT_LIMIT) return socket.write(Buffer.concat(frames, bytes));
    socket.cork();
    let flowing = true;
    for (const frame of frames) flowing = socket.write(frame);
    socket.uncork();
    return flowing;
  }
}
