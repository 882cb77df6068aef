import { Worker } from 'node:worker_threads';
import { quantile } from './stats.js';

/** An echoing worker's source: every message goes straight back. */
const ECHO = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => parentPort.postMessage(m));`;

/**
 * The floor of a thread hop: p50 and p99 (µs) of `count` sequential postMessage round trips to a bare
 * `worker_threads` Worker that echoes each message, after `warmup` unrecorded ones. The message is a
 * small command object, like the OBE engine's requests. With `idleMs`, each trip starts after both
 * threads sat idle that long (a timer), as a server's engine thread sits between a client's
 * commands: a hop to a sleeping thread pays its wake-up, back-to-back trips do not.
 * Bounded: rejects after `timeoutMs`.
 */
export async function workerRoundTrip(count: number, warmup = Math.min(500, count), timeoutMs = 60_000, idleMs = 0): Promise<{ p50: number; p99: number }> {
  const worker = new Worker(ECHO, { eval: true });
  const samples = new Float64Array(count);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker round trips: not done within ${timeoutMs} ms`)), timeoutMs);
      let i = -warmup;
      let sent = 0n;
      const send = (): void => {
        sent = process.hrtime.bigint();
        worker.postMessage({ id: i, command: 'getmean' });
      };
      worker.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      worker.on('message', () => {
        if (i >= 0) samples[i] = Number(process.hrtime.bigint() - sent) / 1000;
        i++;
        if (i < count) {
          if (idleMs > 0) setTimeout(send, idleMs);
          else send();
          return;
        }
        clearTimeout(timer);
        resolve();
      });
      send();
    });
  } finally {
    await worker.terminate();
  }
  return { p50: quantile(samples, 0.5), p99: quantile(samples, 0.99) };
}
