/**
 * Entry point of an OBE engine's worker thread: one {@link EngineHost}, fed by the actor's
 * messages in arrival order over the shared-memory channel (docs/ARCHITECTURE.md, "Engine
 * actors"). Commands run one at a time, so a `newrun` that loads a model module cannot be
 * overtaken by the next command. After every write the worker publishes the snapshot its actor
 * answers reads from.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ChannelReceiver, ChannelSender } from '../actors/threads/thread-channel.js';
import { isWrite, type EngineOutcome } from './engine-commands.js';
import type { EngineWorkerData, EngineWorkerMessage, EngineWorkerRequest } from './engine-worker-protocol.js';
import { EngineHost } from './engine-host.js';
import { messageCodec, requestCodec } from './engine-wire.js';

const port = parentPort;
if (port === null) throw new Error('engine-worker must run in a worker thread');
// Waiting on the channel does not keep a thread alive; this listener does (nothing is sent on it).
port.on('message', () => {});

const data = workerData as EngineWorkerData;
const host = new EngineHost(data.init);
const outbox = new ChannelSender(data.fromWorker, messageCodec);

function post(message: EngineWorkerMessage): void {
  if (message.type === 'outcome' && message.outcome.ok) {
    const bytes = message.outcome.body;
    // A body too large for the ring (getpar at 100k particles) goes by port: moved, not copied.
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && !(bytes.buffer instanceof SharedArrayBuffer);
    if (own) {
      outbox.send(message, [bytes.buffer as ArrayBuffer]);
      return;
    }
  }
  outbox.send(message);
}

// Commands wait in the channel until the configured run exists; a failed start is reported to
// the actor instead, and the commands then get the engine's errors.
const started = host.start().then(
  () => {
    post({ type: 'ready', snapshot: host.snapshot() });
  },
  (err: unknown) => {
    const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'ENGINE_ERROR';
    post({ type: 'init-failed', code, message: err instanceof Error ? err.message : String(err) });
  },
);

/** Replies, then publishes the state after a write. */
function finish(request: EngineWorkerRequest, outcome: EngineOutcome): void {
  // The reply first: the snapshot is computed while the client reads it and reconnects.
  post({ type: 'outcome', id: request.id, outcome });
  // Failed writes publish too: reads parked behind a write wait for exactly its snapshot.
  // Quietly: the actor reads it when a read asks for it, so a write costs no second wake-up.
  if (isWrite(request.command.op)) outbox.sendQuietly({ type: 'snapshot', after: request.id, snapshot: host.snapshot() });
}

/**
 * Runs one command. Synchronous unless it must await (a newrun or startrun loading a model
 * module): then the returned promise holds the channel's delivery, so the next command waits its turn.
 */
function run(request: EngineWorkerRequest): void | Promise<void> {
  const result = host.execute(request.command);
  if (result instanceof Promise) return result.then((outcome) => finish(request, outcome));
  finish(request, result);
}

// Once started, this thread only serves the channel, so it blocks between commands rather than
// awaiting: the actor's wake-up is a futex wake instead of a task posted to this thread's event loop.
// Idle, it lets its event loop run only every IDLE_SLICE_MS: at a 10 ms slice, an idle worker's turns
// cost 70 ms of CPU over 10 000 `ready` connections, 7 µs each (docs/ARCHITECTURE.md, "The thread
// hop"). Its sends waiting for ring space move only in its event loop: then the slice is short.
const IDLE_SLICE_MS = 250;
const inbox = new ChannelReceiver(
  data.toWorker,
  requestCodec,
  run,
  // A record this side cannot read is a bug: crash the worker, so that the actor reports it and restarts.
  (err) =>
    process.nextTick(() => {
      throw err;
    }),
  { blocking: true, idleSliceMs: () => (outbox.waiting > 0 ? 1 : IDLE_SLICE_MS) },
);
void started.then(() => inbox.start());
