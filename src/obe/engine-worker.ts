/**
 * Entry point of an OBE engine's worker thread: one {@link EngineHost}, fed by the actor's
 * messages in arrival order. Commands are awaited one at a time, so a `newrun` that loads a model
 * module cannot be overtaken by the next command. After every write the worker publishes the
 * snapshot its actor answers reads from.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isWrite, type EngineInit, type EngineWorkerMessage, type EngineWorkerRequest } from './engine-commands.js';
import { EngineHost } from './engine-host.js';

const port = parentPort;
if (port === null) throw new Error('engine-worker must run in a worker thread');

const host = new EngineHost(workerData as EngineInit);
const queue: EngineWorkerRequest[] = [];
let running = false;

function post(message: EngineWorkerMessage): void {
  if (message.type === 'outcome' && message.outcome.ok) {
    const bytes = message.outcome.body;
    // Reply bodies can be megabytes (getpar at 100k particles): move them, do not copy them.
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && !(bytes.buffer instanceof SharedArrayBuffer);
    if (own) {
      port!.postMessage(message, [bytes.buffer as ArrayBuffer]);
      return;
    }
  }
  // Snapshot bodies are small and copied: the worker's own copies are never handed out again.
  port!.postMessage(message);
}

// Commands wait for the configured run to exist; a failed start is reported to the actor instead.
const started = host.start().then(
  () => {
    post({ type: 'ready', snapshot: host.snapshot() });
    return true;
  },
  (err: unknown) => {
    const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'ENGINE_ERROR';
    post({ type: 'init-failed', code, message: err instanceof Error ? err.message : String(err) });
    return false;
  },
);

async function drain(): Promise<void> {
  running = true;
  await started;
  while (queue.length > 0) {
    const request = queue.shift()!;
    const outcome = await host.execute(request.command);
    // The reply first: the snapshot is computed while the client reads it and reconnects.
    post({ type: 'outcome', id: request.id, outcome });
    // Failed writes publish too: reads parked behind a write wait for exactly its snapshot.
    if (isWrite(request.command.op)) post({ type: 'snapshot', after: request.id, snapshot: host.snapshot() });
  }
  running = false;
}

port.on('message', (request: EngineWorkerRequest) => {
  queue.push(request);
  if (!running) void drain();
});
