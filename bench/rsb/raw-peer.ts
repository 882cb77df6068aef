import { connect, createServer, type Socket } from 'node:net';
import { LengthPrefixedDecoder, UINT32_LE } from '../../src/protocols/framing/index.js';

const HANDSHAKE = Buffer.alloc(4);

/** Frames `body` with a uint32 LE length prefix, in one buffer (as the RSB socket transport does). */
export function frame(body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeUInt32LE(body.length, 0);
  out.set(body, 4);
  return out;
}

/**
 * The raw baseline of a bus server: node:net, the same 4-zero-byte handshake and uint32 LE
 * framing, each frame forwarded to every other connection. Nothing else: no protobuf, no
 * connection machine, no queues beyond the sockets'.
 */
export function startRawRelay(): Promise<number> {
  const sockets = new Set<Socket>();
  // Peers whose socket buffer is full; while any is, producers are paused (as the bus does).
  const blocked = new Set<Socket>();
  const server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.write(HANDSHAKE);
    const decoder = new LengthPrefixedDecoder(UINT32_LE, { maxFrameBytes: 64 * 1024 * 1024, emptyFrames: 'reject' });
    socket.on('data', (chunk) => {
      // Frames of one chunk leave in one writev per peer (cork), as the bus batches per tick.
      for (const other of sockets) if (other !== socket) other.cork();
      decoder.push(chunk, (body) => {
        const framed = frame(body);
        for (const other of sockets) {
          if (other === socket || other.write(framed) || blocked.has(other)) continue;
          blocked.add(other);
          other.once('drain', () => {
            blocked.delete(other);
            if (blocked.size === 0) for (const s of sockets) s.resume();
          });
        }
      });
      for (const other of sockets) if (other !== socket) other.uncork();
      if (blocked.size > 0) socket.pause();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

/** A raw client of the relay: skips the handshake, then sends and receives framed bodies. */
export class RawClient {
  private readonly decoder = new LengthPrefixedDecoder(UINT32_LE, { maxFrameBytes: 64 * 1024 * 1024, emptyFrames: 'reject' });
  private skipped = 0;
  private corked = false;

  private constructor(
    private readonly socket: Socket,
    onFrame: (body: Uint8Array) => void,
  ) {
    socket.on('data', (chunk: Buffer) => {
      let data: Uint8Array = chunk;
      if (this.skipped < 4) {
        const take = Math.min(4 - this.skipped, chunk.length);
        this.skipped += take;
        data = chunk.subarray(take);
      }
      if (data.length > 0) this.decoder.push(data, onFrame);
    });
  }

  static connect(port: number, onFrame: (body: Uint8Array) => void): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, noDelay: true });
      socket.once('connect', () => resolve(new RawClient(socket, onFrame)));
      socket.once('error', reject);
    });
  }

  /**
   * Writes one frame; resolves at once unless the socket pushes back. Frames sent in the same
   * tick leave in one writev (cork until the next tick), as the bus batches them.
   */
  send(body: Uint8Array): Promise<void> | undefined {
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    if (this.socket.write(frame(body))) return undefined;
    return new Promise((resolve) => this.socket.once('drain', () => resolve()));
  }

  close(): void {
    this.socket.end();
  }
}
