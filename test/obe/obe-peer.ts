import { RawPeer } from '../helpers/raw-peer.js';

/** One OBE frame as the original client writes it: 10-digit decimal length, then the body. */
export function frame(body: string | Buffer): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
  return Buffer.concat([Buffer.from(String(bytes.length).padStart(10, '0'), 'latin1'), bytes]);
}

/** Reads `count` framed replies from the peer and returns their bodies. */
export async function replies(peer: RawPeer, count: number): Promise<string[]> {
  const parse = (): string[] | undefined => {
    const out: string[] = [];
    let at = 0;
    const bytes = peer.bytes;
    while (out.length < count) {
      if (bytes.length < at + 10) return undefined;
      const n = Number(bytes.subarray(at, at + 10).toString('latin1'));
      if (bytes.length < at + 10 + n) return undefined;
      out.push(bytes.subarray(at + 10, at + 10 + n).toString('latin1'));
      at += 10 + n;
    }
    return out;
  };
  await peer.until(() => parse() !== undefined, 10_000, `${count} replies`);
  return parse()!;
}

/** One command per connection, as the original client does; returns the reply body. */
export async function tcpcmd(port: number, bytes: Buffer | string): Promise<string> {
  const peer = await RawPeer.connect(port);
  peer.write(typeof bytes === 'string' ? frame(bytes) : bytes);
  const [reply] = await replies(peer, 1);
  peer.socket.destroy();
  return reply;
}
