/**
 * Entry point of one thread of the particle pool (`particle-pool.ts`): waits on the control
 * block, claims blocks of units of each open call until none is left, and reports failures
 * (docs/OBE-NUMERICS.md, "The particle pool"). Buffers and models arrive by message on its command
 * port, read synchronously when a call needs them, so a call costs no message.
 */
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { COMMAND, CTL, controlBlockOf, intArgs, readArrayRef } from './pool-control.js';
import { KERNEL_NAMES, KERNELS, type KernelArgs } from './pool-kernels.js';
import type { PoolMessage, PoolWorkerData } from './pool-messages.js';
import { loadPoolModel, ThreadContext } from './thread-context.js';

const data = workerData as PoolWorkerData;
const block = controlBlockOf(data.control);
const ints = block.ints;
const commands: MessagePort = data.commands;
const replies: MessagePort = data.replies;
const ctx = new ThreadContext();
const buffers = new Map<number, SharedArrayBuffer>();
const modelsToLoad: Extract<PoolMessage, { type: 'model' }>[] = [];

function readMessages(): void {
  for (let m = receiveMessageOnPort(commands); m !== undefined; m = receiveMessageOnPort(commands)) {
    const message = m.message as PoolMessage;
    if (message.type === 'buffer') buffers.set(message.id, message.buffer);
    else if (message.type === 'release') buffers.delete(message.id);
    else modelsToLoad.push(message);
  }
}

function argsOfCall(): KernelArgs {
  const arrays: Float64Array[] = [];
  for (let i = 0; i < ints[CTL.arrayCount]; i++) {
    const [id, offset, length] = readArrayRef(block, i);
    // A buffer named by a call this thread joined late may have arrived after the last read.
    if (!buffers.has(id)) readMessages();
    const buffer = buffers.get(id);
    if (buffer === undefined) throw new Error(`pool buffer ${id} was never sent to this thread`);
    arrays.push(new Float64Array(buffer, offset * 8, length));
  }
  return { arrays, ints: intArgs(block), numbers: block.numbers.subarray(0, ints[CTL.numberCount]) };
}

async function loadModels(): Promise<void> {
  while (modelsToLoad.length > 0) {
    const m = modelsToLoad.shift()!;
    ctx.addModel(m.id, await loadPoolModel(m.source), m.shape);
  }
}

function fail(err: unknown): void {
  Atomics.store(ints, CTL.failed, 1);
  replies.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
}

/**
 * Takes part in the open call, if any: counted in `inflight` before it looks, so the caller, which
 * closes the call and then waits for `inflight` to drop to 0, never rewrites a call's arguments
 * under a thread still reading them.
 */
function joinCall(): void {
  Atomics.add(ints, CTL.inflight, 1);
  try {
    if (Atomics.load(ints, CTL.open) === 0) return;
    const kernel = KERNELS[KERNEL_NAMES[ints[CTL.kernel]]];
    const units = ints[CTL.units];
    const block = ints[CTL.block];
    let args: KernelArgs | undefined;
    for (;;) {
      const start = Atomics.add(ints, CTL.cursor, block);
      if (start >= units) return;
      args ??= argsOfCall();
      kernel(ctx, args, start, Math.min(units, start + block));
    }
  } catch (err) {
    fail(err);
  } finally {
    if (Atomics.sub(ints, CTL.inflight, 1) === 1) Atomics.notify(ints, CTL.inflight);
  }
}

async function serve(): Promise<void> {
  let generation = Atomics.load(ints, CTL.generation);
  parentPort?.postMessage('ready');
  for (;;) {
    // A short spin first: the next call often follows within microseconds (products, then normalise).
    for (let spin = 0; spin < data.spin && Atomics.load(ints, CTL.generation) === generation; spin++);
    Atomics.wait(ints, CTL.generation, generation);
    generation = Atomics.load(ints, CTL.generation);
    const command = Atomics.load(ints, CTL.kernel);
    if (command === COMMAND.stop) return;
    readMessages();
    if (command !== COMMAND.loadModel) {
      joinCall();
      continue;
    }
    try {
      await loadModels();
    } catch (err) {
      fail(err);
    }
    if (Atomics.sub(ints, CTL.pending, 1) === 1) Atomics.notify(ints, CTL.pending);
  }
}

void serve().finally(() => {
  commands.close();
  replies.close();
});
