import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Server } from '../../../src/actors/server.js';
import { RawPeer } from '../../helpers/raw-peer.js';
import { textFrame, textProtocol } from '../../helpers/test-protocols.js';

/**
 * Random bytes thrown at live connections: each one ends in a clean close or stays open, the
 * process never sees an exception, and the server keeps serving a well-behaved client.
 */
describe('a live server under random garbage', () => {
  let server: Server<string, string>;
  let port: number;
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown): void => void uncaught.push(err);

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    server = new Server({ protocol: textProtocol({ handshake: 'hello', bye: true, maxFrameBytes: 512 }), connection: { localId: 'srv', handshakeTimeoutMs: 200, closeTimeoutMs: 200 } });
    server.connections$.subscribe((c) => c.messages$.subscribe((m) => c.send(`echo:${m}`)));
    ({ port } = await server.listen());
  });

  afterAll(async () => {
    RawPeer.destroyAll();
    await server.close();
    process.off('uncaughtException', onUncaught);
  });

  it('survives any bytes in any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 6 }), fc.boolean(), async (chunks, reset) => {
        const peer = await RawPeer.connect(port);
        for (const chunk of chunks) peer.write(chunk);
        if (reset) peer.reset();
        else peer.end();
        await peer.until((p) => p.ended !== undefined || reset, 2000, 'close');
      }),
      { seed: 5, numRuns: 40 },
    );
    const good = await RawPeer.connect(port);
    good.write(Buffer.concat([textFrame('HELLO:client'), textFrame('ping')]));
    await good.waitForBytes(textFrame('HELLO:srv').length + textFrame('echo:ping').length);
    expect(good.bytes).toEqual(Buffer.concat([textFrame('HELLO:srv'), textFrame('echo:ping')]));
    expect(uncaught).toEqual([]);
    expect(server.stats().connectionsAccepted).toBe(41);
  });
});
