/**
 * Entry point of an OBE engine's worker thread: one {@link EngineHost}, fed by the actor's
 * messages in arrival order over the shared-memory channel (docs/ARCHITECTURE.md, "Engine
 * actors"). Commands are awaited one at a time, so a `newrun` that loads a model module cannot be
 * overtaken by the next command. After every write the worker publishes the snapshot its actor
 * answers reads from.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ChannelReceiver, ChannelSender } from '../actors/threads/thread-channel.js';
import { isWrite, type EngineWorkerData, type EngineWorkerMessage, type EngineWorkerRequest } from './engine-commands.js';
import { EngineHost } from './engine-host.js';
import { messageCodec, requestCodec } from './engine-wire.js';

const port = parentPort;
if (port === null) throw new Error('engine-worker must run in a worker thread');
// Waiting on the channel does not keep a thread alive; this listener does (nothing is sent on it).
port.on('message', () => {});

const data = workerData as EngineWorkerData;
const host = new EngineHost(data.init);
const queue: EngineWorkerRequest[] = [];
let running = false;
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

// Commands wait for the configured run to exist; a failed start is reported to the actor instead.
let isStarted = false;
const started = host.start().then(
  () => {
    isStarted = true;
    post({ type: 'ready', snapshot: host.snapshot() });
    return true;
  },
  (err: unknown) => {
    const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'ENGINE_ERROR';
    post({ type: 'init-failed', code, message: err instanceof Error ? err.message : String(err) });
    return false;
  },
);

// Runs synchronously as long as nothing needs awaiting (the start, a newrun): no microtask hop per command.
async function drain(): Promise<void> {
  running = true;
  if (!isStarted) await started;
  while (queue.length > 0) {
    const request = queue.shift()!;
    const result = host.execute(request.command);
    const outcome = result instanceof Promise ? await result : result;
    // The reply first: the snapshot is computed while the client reads it and reconnects.
    post({ type: 'outcome', id: request.id, outcome });
    // Failed writes publish too: reads parked behind a write wait for exactly its snapshot.
    // Quietly: the actor reads it when a read asks for it, so a write costs no second wake-up.
    if (isWrite(request.command.op)) outbox.sendQuietly({ type: 'snapshot', after: request.id, snapshot: host.snapshot() });
  }
  running = false;
}

const inbox = new ChannelReceiver(
  data.toWorker,
  requestCodec,
  (request) => {
    queue.push(request);
    if (!running) void drain();
  },
  // A record this side cannot read is a bug: crash the worker, so that the actor reports it and restarts.
  (err) =>
    process.nextTick(() => {
      throw err;
    }),
);
inbox.start();
