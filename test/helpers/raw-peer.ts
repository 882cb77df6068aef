import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A byte-level TCP peer for tests: records everything it receives and lets a test wait for
 * bytes, text or the end of the stream, with a deadline so a broken server fails the test
 * instead of hanging it.
 */
export class RawPeer {
  readonly socket: Socket;
  private chunks: Buffer[] = [];
  private length = 0;
  private waiters: Array<() => void> = [];
  /** How the stream ended: FIN (`end`), or reset/destroyed (`close` without `end`). */
  ended: 'fin' | 'closed' | undefined;
  error: NodeJS.ErrnoException | undefined;

  private static readonly live = new Set<RawPeer>();

  /** Destroys every peer still open (test cleanup, so servers need not wait for their FIN). */
  static destroyAll(): void {
    for (const peer of RawPeer.live) peer.socket.destroy();
    RawPeer.live.clear();
  }

  constructor(socket: Socket) {
    this.socket = socket;
    RawPeer.live.add(this);
    socket.once('close', () => RawPeer.live.delete(this));
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.length += chunk.length;
      this.wake();
    });
    socket.on('end', () => {
      this.ended ??= 'fin';
      this.wake();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.error = err;
    });
    socket.on('close', () => {
      this.ended ??= 'closed';
      this.wake();
    });
  }

  /** Connects to 127.0.0.1:`port` and resolves once connected. */
  static connect(port: number, host = '127.0.0.1'): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, allowHalfOpen: true });
      socket.once('connect', () => resolve(new RawPeer(socket)));
      socket.once('error', reject);
    });
  }

  /** Everything received so far. */
  get bytes(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  get text(): string {
    return this.bytes.toString('latin1');
  }

  write(data: string | Uint8Array): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Waits until `predicate` holds for what was received (checked on every arrival). */
  async until(predicate: (peer: RawPeer) => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; received ${JSON.stringify(this.text.slice(0, 200))}, ended=${this.ended}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until at least `n` bytes have arrived. */
  waitForBytes(n: number, timeoutMs?: number): Promise<void> {
    return this.until((p) => p.length >= n, timeoutMs, `${n} bytes`);
  }

  /** Waits until the received text contains `text`. */
  waitForText(text: string, timeoutMs?: number): Promise<void> {
    return this.until((p) => p.text.includes(text), timeoutMs, JSON.stringify(text));
  }

  /** Waits until the peer has ended the stream (FIN or close). */
  waitForEnd(timeoutMs?: number): Promise<void> {
    return this.until((p) => p.ended !== undefined, timeoutMs, 'end of stream');
  }

  /** Closes our side with FIN. */
  end(): void {
    this.socket.end();
  }

  /** Closes with a reset (SO_LINGER 0). */
  reset(): void {
    this.socket.resetAndDestroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** A raw TCP server on 127.0.0.1 whose accepted sockets are RawPeers. */
export async function rawServer(onPeer: (peer: RawPeer) => void): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    onPeer(new RawPeer(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
