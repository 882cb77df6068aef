/**
 * Waits until `predicate` holds, checking after each turn of the event loop (I/O included): a
 * wait for an event, not a sleep. `failAfterMs` only bounds a broken test; it synchronises nothing.
 */
export async function eventually(predicate: () => boolean, what: string, failAfterMs = 5_000): Promise<void> {
  const deadline = Date.now() + failAfterMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`never happened within ${failAfterMs} ms: ${what}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Lets the event loop run `count` times (I/O callbacks included) without waiting on the clock. */
export async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Waits until `sample` stops moving: the same value on every check over `quietTurns` turns of the
 * event loop (I/O included). Returns that value. A claim that something *stopped* (a paused
 * reader, a full queue) is then asserted on state, not on how long a test waited.
 */
export async function stopsMoving<T>(sample: () => T, what: string, quietTurns = 50, failAfterMs = 5_000): Promise<T> {
  const deadline = Date.now() + failAfterMs;
  let last = JSON.stringify(sample());
  let quiet = 0;
  while (quiet < quietTurns) {
    if (Date.now() > deadline) throw new Error(`never stopped moving within ${failAfterMs} ms: ${what} (last ${last})`);
    await new Promise<void>((resolve) => setImmediate(resolve));
    const now = JSON.stringify(sample());
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
  return sample();
}
