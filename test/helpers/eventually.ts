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
