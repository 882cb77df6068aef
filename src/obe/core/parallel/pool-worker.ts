/**
 * Entry point of one thread of the particle pool (`particle-pool.ts`): waits on the control
 * block, runs its share of each kernel call, and counts itself done (docs/OBE-NUMERICS.md, "The
 * particle pool"). Buffers and models arrive by message on its command port, read synchronously
 * when a call needs them, so a call costs no message.
 */
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { COMMAND, CTL, controlBlockOf, intArgs, readArrayRef, shareStart } from './pool-control.js';
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
    else modelsToLoad.push(message);
  }
}

function argsOfCall(): KernelArgs {
  const arrays: Float64Array[] = [];
  for (let i = 0; i < ints[CTL.arrayCount]; i++) {
    const [id, offset, length] = readArrayRef(block, i);
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

async function serve(): Promise<void> {
  let generation = Atomics.load(ints, CTL.generation);
  parentPort?.postMessage('ready');
  for (;;) {
    // A short spin first: the next call often follows within microseconds (products, then normalise).
    for (let spin = 0; spin < data.spin && Atomics.load(ints, CTL.generation) === generation; spin++);
    Atomics.wait(ints, CTL.generation, generation);
    generation = Atomics.load(ints, CTL.generation);
    const kernel = ints[CTL.kernel];
    if (kernel === COMMAND.stop) return;
    const threads = ints[CTL.threads];
    if (data.index >= threads) continue;
    try {
      readMessages();
      if (kernel === COMMAND.loadModel) {
        await loadModels();
      } else {
        const units = ints[CTL.units];
        const from = shareStart(units, threads, data.index);
        const to = shareStart(units, threads, data.index + 1);
        if (from < to) KERNELS[KERNEL_NAMES[kernel]](ctx, argsOfCall(), from, to);
      }
    } catch (err) {
      Atomics.store(ints, CTL.failed, 1);
      replies.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
    if (Atomics.sub(ints, CTL.pending, 1) === 1) Atomics.notify(ints, CTL.pending);
  }
}

void serve().finally(() => {
  commands.close();
  replies.close();
});
