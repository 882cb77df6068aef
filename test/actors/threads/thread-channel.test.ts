import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { SharedRing } from '../../../src/actors/threads/shared-ring.js';
import { ChannelReceiver, ChannelSender, createChannel, type RecordCodec } from '../../../src/actors/threads/thread-channel.js';
import { eventually, turns } from '../../helpers/eventually.js';

/** Strings as records, except those starting with '!', which go by port; '?' cannot be read. */
const text: RecordCodec<string> = {
  sizeOf: (s) => (s.startsWith('!') ? undefined : Buffer.byteLength(s)),
  write: (s, ring: SharedRing, at) => void Buffer.from(ring.bytes.buffer, ring.bytes.byteOffset + at, Buffer.byteLength(s)).write(s),
  read: (ring, at, length) => {
    const s = Buffer.from(ring.bytes.subarray(at, at + length)).toString();
    if (s === '?') throw new Error('unreadable');
    return s;
  },
};

function pair(bytes = 1024): { sender: ChannelSender<string>; received: string[]; errors: unknown[]; receiver: ChannelReceiver<string> } {
  const { sending, receiving } = createChannel(bytes);
  const received: string[] = [];
  const errors: unknown[] = [];
  const receiver = new ChannelReceiver(receiving, text, (s) => {
    if (s === 'throw') throw new Error('handler failed');
    received.push(s);
  }, (err) => errors.push(err));
  receiver.start();
  return { sender: new ChannelSender(sending, text), received, errors, receiver };
}

describe('thread channel', () => {
  it('delivers ring records and port messages in the order sent', async () => {
    const { sender, received, receiver } = pair();
    const sent = ['a', '!big one', 'b', 'x'.repeat(600), 'c', '!another'];
    for (const s of sent) sender.send(s);
    await eventually(() => received.length === sent.length, 'every message received');
    expect(received).toEqual(sent);
    receiver.close();
  });

  it('keeps order through a full ring: later messages wait in a backlog until space is freed', async () => {
    const { sender, received, receiver } = pair(64);
    const sent = Array.from({ length: 100 }, (_, i) => `message ${i}`);
    for (const s of sent) sender.send(s);
    expect(sender.waiting).toBeGreaterThan(0);
    await eventually(() => received.length === sent.length, 'every message received');
    expect(received).toEqual(sent);
    expect(sender.waiting).toBe(0);
    receiver.close();
  });

  it('reports a handler that throws or a record it cannot read, and goes on', async () => {
    const { sender, received, errors, receiver } = pair();
    for (const s of ['a', 'throw', '?', 'b']) sender.send(s);
    await eventually(() => received.length === 2, 'both readable messages received');
    expect(received).toEqual(['a', 'b']);
    expect(errors.map((e) => (e as Error).message)).toEqual(['handler failed', 'unreadable']);
    receiver.close();
  });

  it('stops delivering once closed, and a closed sender drops what it is given', async () => {
    const { sender, received, receiver } = pair();
    sender.send('before');
    await eventually(() => received.length === 1, 'the first message received');
    receiver.close();
    sender.send('after');
    expect(sender.waiting).toBe(0);
    await turns(3);
    expect(received).toEqual(['before']);
  });
});

describe('quiet messages', () => {
  it('do not wake the receiver, but come with the next wake-up or when expected, in order', async () => {
    const { sender, received, receiver } = pair();
    sender.sendQuietly('q1');
    await turns(5);
    expect(received).toEqual([]);
    receiver.expect();
    // Not inside the call: on the next microtask.
    expect(received).toEqual([]);
    await Promise.resolve();
    expect(received).toEqual(['q1']);
    receiver.relax();
    sender.sendQuietly('q2');
    sender.send('loud');
    await eventually(() => received.length === 3, 'the loud message woke the receiver');
    expect(received).toEqual(['q1', 'q2', 'loud']);
    receiver.close();
  });

  it('wake a receiver that expects them, until it relaxes', async () => {
    const { sender, received, receiver } = pair();
    receiver.expect();
    sender.sendQuietly('wanted');
    await eventually(() => received.length === 1, 'the expected quiet message arrived');
    // The wake-up 'wanted' rang may land after the microtask that delivered it: let it pass.
    await turns(5);
    receiver.relax();
    sender.sendQuietly('later');
    await turns(5);
    expect(received).toEqual(['wanted']);
    receiver.close();
  });
});

describe('held delivery', () => {
  it('waits for a handler that returns a promise before delivering the next message', async () => {
    const { sending, receiving } = createChannel(1024);
    const received: string[] = [];
    let release!: () => void;
    const receiver = new ChannelReceiver(receiving, text, (s): void | Promise<void> => {
      received.push(s);
      if (s === 'slow') return new Promise<void>((resolve) => (release = resolve));
    }, () => undefined);
    receiver.start();
    const sender = new ChannelSender(sending, text);
    for (const s of ['a', 'slow', 'b', 'c']) sender.send(s);
    await eventually(() => received.length === 2, 'delivered up to the slow one');
    await turns(10);
    expect(received).toEqual(['a', 'slow']);
    release();
    await eventually(() => received.length === 4, 'the rest after the slow one settled');
    expect(received).toEqual(['a', 'slow', 'b', 'c']);
    receiver.close();
  });
});

describe('a blocking receiver in a worker thread', () => {
  /** A worker echoing every message through a blocking receiver (fixtures/blocking-echo-worker.ts). */
  function echoWorker(longIdle = false): { sender: ChannelSender<string>; echoed: string[]; worker: Worker; receiver: ChannelReceiver<string> } {
    const toWorker = createChannel(1024);
    const fromWorker = createChannel(1024);
    const hook = createRequire(import.meta.url).resolve('tsx/cjs');
    const target = fileURLToPath(new URL('./fixtures/blocking-echo-worker.ts', import.meta.url));
    const worker = new Worker(`require(${JSON.stringify(hook)}); require(${JSON.stringify(target)});`, {
      eval: true,
      workerData: { toWorker: toWorker.receiving, fromWorker: fromWorker.sending, longIdle },
      transferList: [toWorker.receiving.port, fromWorker.sending.port],
    });
    const echoed: string[] = [];
    const receiver = new ChannelReceiver(fromWorker.receiving, text, (s) => void echoed.push(s), () => undefined);
    receiver.start();
    return { sender: new ChannelSender(toWorker.sending, text), echoed, worker, receiver };
  }

  it('wakes for every message, keeps order across ring and port, and holds for a handler that awaits', async () => {
    const { sender, echoed, worker, receiver } = echoWorker();
    try {
      const sent = ['a', '!by port', 'hold 20', 'b', 'x'.repeat(300), 'c'];
      for (const s of sent) sender.send(s);
      await eventually(() => echoed.length === sent.length, 'every message echoed', 20_000);
      expect(echoed).toEqual(sent);
      // One at a time, each after the worker blocked again: every one must wake it.
      for (const s of ['d', 'e', 'f']) {
        sender.send(s);
        await eventually(() => echoed.at(-1) === s, `${s} echoed`, 20_000);
      }
    } finally {
      receiver.close();
      await worker.terminate();
    }
  });

  it('gives the event loop of a blocked thread a turn, so its timers run', async () => {
    const { sender, echoed, worker, receiver } = echoWorker();
    try {
      sender.send('timer');
      await eventually(() => echoed.includes('timer fired'), 'the timer set by the worker fired', 20_000);
    } finally {
      receiver.close();
      await worker.terminate();
    }
  });

  it('asks for the idle slice before each wait: sends that wait for ring space still move with a long idle slice', async () => {
    // A minute idle, 1 ms while the worker's own sends wait: a fixed minute would stall the burst.
    const { sender, echoed, worker, receiver } = echoWorker(true);
    try {
      sender.send('burst 40');
      await eventually(() => echoed.length === 40, 'all 40 lines of the burst echoed', 20_000);
      expect(echoed.map((line) => Number(line.split(' ')[0]))).toEqual(Array.from({ length: 40 }, (_, i) => i));
    } finally {
      receiver.close();
      await worker.terminate();
    }
  });

  it('stops blocking when the channel closes: the worker can end', async () => {
    const { sender, echoed, worker, receiver } = echoWorker();
    sender.send('ready?');
    await eventually(() => echoed.length === 1, 'the worker runs', 20_000);
    sender.close();
    receiver.close();
    // terminate() of a thread blocked in Atomics.wait must not hang.
    expect(await worker.terminate()).toBe(1);
  });
});
