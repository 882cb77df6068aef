/**
 * Messages between the particle pool and its threads, besides the control block: what a worker
 * starts with, the buffers and models it is sent once, and its replies.
 */
import type { MessagePort } from 'node:worker_threads';
import type { PoolModelShape, PoolModelSource } from './thread-context.js';

/** The `workerData` of a pool thread. */
export interface PoolWorkerData {
  readonly control: SharedArrayBuffer;
  /** Buffers and models, read synchronously by the worker when a call needs them. */
  readonly commands: MessagePort;
  /** The message of a kernel that threw (`ready` goes by the worker's own port). */
  readonly replies: MessagePort;
  /** Iterations of the idle spin before blocking. */
  readonly spin: number;
}

/** To a worker. */
export type PoolMessage =
  | { readonly type: 'buffer'; readonly id: number; readonly buffer: SharedArrayBuffer }
  /** The calling thread no longer holds buffer `id`: the worker lets go of it too. */
  | { readonly type: 'release'; readonly id: number }
  | { readonly type: 'model'; readonly id: number; readonly source: PoolModelSource; readonly shape: PoolModelShape };

/** From a worker, on its reply port. */
export type PoolReply = { readonly type: 'failed'; readonly message: string };
