import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplyQueue, type ReplySink } from '../../src/obe/reply-queue.js';

/** A sink whose send queue refuses when told to, and wakes writers when asked to. */
class FakeSink implements ReplySink<string> {
  readonly sent: string[] = [];
  refuse = 0;
  throwOn: string | undefined;
  private waiters: Array<() => void> = [];

  send(reply: string): boolean {
    if (reply === this.throwOn) throw new Error('closed');
    if (this.refuse > 0) {
      this.refuse--;
      return false;
    }
    this.sent.push(reply);
    return true;
  }

  whenWritable(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  get waiting(): number {
    return this.waiters.length;
  }
}

function deferred(): { promise: Promise<string>; resolve: (v: string) => void; reject: (e: Error) => void } {
  let resolve!: (v: string) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<string>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Lets settled promises' callbacks run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function queue(sink: FakeSink) {
  const written: number[] = [];
  const dropped: unknown[] = [];
  const q = new ReplyQueue<string, number>(sink, { written: (tag) => written.push(tag), rejected: (err) => `rejected: ${(err as Error).message}`, dropped: (err) => dropped.push(err) });
  return { q, written, dropped };
}

describe('ReplyQueue', () => {
  it('sends a synchronous reply at once when nothing is ahead of it', () => {
    const sink = new FakeSink();
    const { q, written } = queue(sink);
    q.push('a', 1);
    expect(sink.sent).toEqual(['a']);
    expect(written).toEqual([1]);
    expect(q.size).toBe(0);
  });

  it('holds replies behind a pending one, then sends all in order', async () => {
    const sink = new FakeSink();
    const { q, written } = queue(sink);
    const slow = deferred();
    q.push(slow.promise, 1);
    q.push('b', 2);
    expect(sink.sent).toEqual([]);
    expect(q.size).toBe(2);
    slow.resolve('a');
    await settle();
    expect(sink.sent).toEqual(['a', 'b']);
    expect(written).toEqual([1, 2]);
  });

  it('waits for room when the sink refuses, without reordering', async () => {
    const sink = new FakeSink();
    const { q } = queue(sink);
    sink.refuse = 1;
    q.push('a', 1);
    q.push('b', 2);
    expect(sink.sent).toEqual([]);
    expect(sink.waiting).toBe(1);
    sink.wake();
    await settle();
    expect(sink.sent).toEqual(['a', 'b']);
  });

  it('answers a rejection with the replacement reply, and drops what the sink throws on', async () => {
    const sink = new FakeSink();
    const { q, written, dropped } = queue(sink);
    sink.throwOn = 'x';
    const bad = deferred();
    q.push(bad.promise, 1);
    q.push('x', 2);
    q.push('c', 3);
    bad.reject(new Error('bug'));
    await settle();
    expect(sink.sent).toEqual(['rejected: bug', 'c']);
    expect(written).toEqual([1, 2, 3]);
    expect(dropped).toHaveLength(1);
  });

  it('writes every reply once, in push order, whatever settles or refuses when (fast-check)', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('sync' as const) }),
      fc.record({ kind: fc.constant('async' as const) }),
      fc.record({ kind: fc.constant('settle' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('refuse' as const), count: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('wake' as const) }),
      fc.record({ kind: fc.constant('tick' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
        const sink = new FakeSink();
        const { q, written } = queue(sink);
        const open: Array<{ resolve: (v: string) => void; name: string }> = [];
        let n = 0;
        for (const o of ops) {
          if (o.kind === 'sync') q.push(`r${n}`, n++);
          else if (o.kind === 'async') {
            const d = deferred();
            open.push({ resolve: d.resolve, name: `r${n}` });
            q.push(d.promise, n++);
          } else if (o.kind === 'settle' && open.length > 0) {
            const [d] = open.splice(o.pick % open.length, 1);
            d.resolve(d.name);
          } else if (o.kind === 'refuse') sink.refuse = o.count;
          else if (o.kind === 'wake') sink.wake();
          else if (o.kind === 'tick') await settle();
          // Sent so far is always a prefix of the push order.
          expect(sink.sent).toEqual(Array.from({ length: sink.sent.length }, (_, i) => `r${i}`));
        }
        for (const d of open) d.resolve(d.name);
        sink.refuse = 0;
        await settle();
        sink.wake();
        await settle();
        expect(sink.sent).toEqual(Array.from({ length: n }, (_, i) => `r${i}`));
        expect(written).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(q.size).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
