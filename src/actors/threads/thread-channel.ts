/**
 * An ordered, one-way message channel between two threads: small messages travel as records of
 * a {@link SharedRing} (no structured clone, no MessagePort event), large or unusual ones through a
 * MessagePort, with a zero-length record in the ring marking their place so that order holds
 * across both paths. docs/ARCHITECTURE.md, "Engine actors", says why and what it saves.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Transferable } from 'node:worker_threads';
import { SharedRing } from './shared-ring.js';

/** How one kind of message is written into, and read out of, a ring record. */
export interface RecordCodec<T> {
  /** Payload bytes `value` takes, or undefined to send it through the port instead (rare or large values). */
  sizeOf(value: T): number | undefined;
  /** Writes `value` (exactly {@link sizeOf} bytes) at `offset` of `ring.bytes`. */
  write(value: T, ring: SharedRing, offset: number): void;
  /** Reads a value from `length` bytes at `offset` of `ring.bytes`; must copy what it keeps. */
  read(ring: SharedRing, offset: number, length: number): T;
}

/** What the other thread needs to build its end: the ring's memory and the port for large messages. */
export interface ChannelEndpoint {
  readonly buffer: SharedArrayBuffer;
  readonly port: MessagePort;
}

/** Default ring size per direction: records up to half of it go through shared memory. */
export const DEFAULT_CHANNEL_BYTES = 1 << 20;

interface Unsent<T> {
  readonly value: T;
  readonly transfer: readonly Transferable[] | undefined;
  readonly quiet: boolean;
}

/**
 * The sending end. {@link send} never blocks: when the ring is full, messages wait in order in a
 * backlog that drains as the receiver frees space. The backlog has no bound of its own; callers
 * bound what they send (the engine actor bounds pending commands, and the worker sends one
 * outcome per command).
 */
export class ChannelSender<T> {
  private readonly ring: SharedRing;
  private readonly port: MessagePort;
  private readonly codec: RecordCodec<T>;
  private backlog: Array<Unsent<T>> = [];
  private flushing = false;

  constructor(endpoint: ChannelEndpoint, codec: RecordCodec<T>) {
    this.ring = new SharedRing(endpoint.buffer);
    this.port = endpoint.port;
    this.codec = codec;
  }

  /** Messages waiting for space in the ring. */
  get waiting(): number {
    return this.backlog.length;
  }

  /** Sends `value`; `transfer` is used only if it goes through the port. Ignored once closed. */
  send(value: T, transfer?: readonly Transferable[]): void {
    this.enqueue(value, transfer, false);
  }

  /**
   * Sends `value` without waking the receiver, unless it asked for it
   * ({@link ChannelReceiver.expect}): it is delivered on the receiver's next wake-up. For
   * messages read on demand, such as the engine's snapshots.
   */
  sendQuietly(value: T): void {
    this.enqueue(value, undefined, true);
  }

  /** Closes the channel: the receiver stops after what it has, both sides' waits wake up. */
  close(): void {
    this.backlog = [];
    this.ring.close();
    this.port.close();
  }

  private enqueue(value: T, transfer: readonly Transferable[] | undefined, quiet: boolean): void {
    if (this.ring.closed) return;
    if (this.backlog.length === 0 && this.trySend(value, transfer, quiet)) return;
    this.backlog.push({ value, transfer, quiet });
    if (!this.flushing) void this.flush();
  }

  private trySend(value: T, transfer: readonly Transferable[] | undefined, quiet: boolean): boolean {
    const ring = this.ring;
    const size = this.codec.sizeOf(value);
    if (size === undefined || size > ring.maxRecordBytes) {
      const at = ring.reserve(0);
      if (at < 0) return false;
      // Posted before the mark is published, so the receiver finds it queued on the port.
      this.port.postMessage(value, transfer as Transferable[] | undefined);
      ring.commit(quiet);
      return true;
    }
    const at = ring.reserve(size);
    if (at < 0) return false;
    this.codec.write(value, ring, at);
    ring.commit(quiet);
    return true;
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.backlog.length > 0 && !this.ring.closed) {
      const tail = this.ring.tail;
      const head = this.backlog[0];
      if (this.trySend(head.value, head.transfer, head.quiet)) {
        this.backlog.shift();
        continue;
      }
      await this.ring.spaceFreed(tail);
    }
    this.flushing = false;
  }
}

/** How a {@link ChannelReceiver} waits for records. */
export interface ChannelReceiverOptions {
  /**
   * Block the thread in `Atomics.wait` between records instead of awaiting `Atomics.waitAsync`:
   * for a worker that does nothing but serve this channel. Waking it is a futex wake (a few µs for
   * the sender, and the thread runs at once) instead of a task posted to its event loop (tens of
   * µs each side); docs/ARCHITECTURE.md, "The thread hop". The thread's event loop still runs
   * whenever a handler holds delivery (returns a promise) and every {@link idleSliceMs} while idle,
   * so its timers and ports are served, late by at most that much.
   */
  readonly blocking?: boolean;
  /**
   * Longest blocking wait before the thread's event loop gets a turn, in ms, or a function asked
   * before each wait (e.g. short while the thread's own sends wait for space, which only its
   * event loop moves on). Default 10 ms.
   */
  readonly idleSliceMs?: number | (() => number);
}

/** One turn of this thread's event loop: timers, I/O and port messages that were due run. */
const eventLoopTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The receiving end: {@link start} delivers every message to `onMessage`, in the order sent,
 * until the channel closes. A handler that returns a promise holds delivery of the next message
 * until it settles (a command that must await something keeps its place in the order). A handler
 * that throws or rejects does not stop delivery: the error goes to `onError`.
 */
export class ChannelReceiver<T> {
  private readonly ring: SharedRing;
  private readonly port: MessagePort;
  private readonly codec: RecordCodec<T>;
  private readonly blocking: boolean;
  private readonly idleSliceMs: () => number;
  private running = false;
  /** A handler's promise that delivery waits for. */
  private held: Promise<unknown> | undefined;

  constructor(
    endpoint: ChannelEndpoint,
    codec: RecordCodec<T>,
    private readonly onMessage: (value: T) => void | Promise<unknown>,
    private readonly onError: (error: unknown) => void,
    options: ChannelReceiverOptions = {},
  ) {
    this.ring = new SharedRing(endpoint.buffer);
    this.port = endpoint.port;
    this.codec = codec;
    this.blocking = options.blocking ?? false;
    const slice = options.idleSliceMs ?? 10;
    this.idleSliceMs = typeof slice === 'number' ? () => slice : slice;
  }

  /**
   * Starts delivering. Waiting does not keep the event loop alive: the thread's own handles (a
   * Worker, a parentPort listener) must.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.loop();
  }

  /**
   * Wakes for quiet messages too from now on ({@link ChannelSender.sendQuietly}), until
   * {@link relax}; what is already there is delivered on the next microtask, not inside this call.
   */
  expect(): void {
    this.ring.want(true);
    queueMicrotask(() => this.drain());
  }

  /** Quiet messages no longer wake this side. */
  relax(): void {
    this.ring.want(false);
  }

  /** Stops delivering and wakes the sender if it waits for space. */
  close(): void {
    this.ring.close();
    this.port.close();
  }

  private async loop(): Promise<void> {
    const ring = this.ring;
    for (;;) {
      this.drain();
      const held = this.held;
      if (held) {
        await held;
        this.held = undefined;
        continue;
      }
      if (ring.closed) return;
      if (this.blocking) {
        if (!ring.awaitData(this.idleSliceMs())) await eventLoopTurn();
        continue;
      }
      const arrived = ring.dataArrived();
      if (arrived) await arrived;
    }
  }

  private drain(): void {
    const ring = this.ring;
    for (let at = this.held ? -1 : ring.next(); at >= 0 && !ring.closed; at = this.held ? -1 : ring.next()) {
      let value: T | undefined;
      try {
        value = ring.recordLength === 0 ? this.fromPort() : this.codec.read(ring, at, ring.recordLength);
      } catch (err) {
        this.onError(err);
      }
      ring.release();
      if (value === undefined) continue;
      try {
        const result = this.onMessage(value);
        if (result instanceof Promise) this.held = result.catch(this.onError);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  private fromPort(): T {
    const received = receiveMessageOnPort(this.port);
    if (received === undefined) throw new Error('thread channel: a port mark without a message on the port');
    return received.message as T;
  }
}

/**
 * A new one-way channel: give `sending` to the thread that sends and `receiving` to the one that
 * receives (transfer the endpoint's port when it crosses to a worker).
 */
export function createChannel(bytes = DEFAULT_CHANNEL_BYTES): { sending: ChannelEndpoint; receiving: ChannelEndpoint } {
  const { buffer } = SharedRing.create(bytes);
  const { port1, port2 } = new MessageChannel();
  return { sending: { buffer, port: port1 }, receiving: { buffer, port: port2 } };
}
