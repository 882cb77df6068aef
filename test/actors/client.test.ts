import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo } from 'node:net';
import { dial } from '../../src/actors/client.js';
import { Server } from '../../src/actors/server.js';
import { textProtocol } from '../helpers/test-protocols.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A port that nothing listens on (bound once, then released). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

describe('dial', () => {
  it('retries with backoff until the server appears', async () => {
    const port = await freePort();
    const server = new Server({ protocol: textProtocol(), port });
    cleanups.push(() => server.close());
    let attempts = 0;
    const dialing = dial(textProtocol(), {
      port,
      retry: {
        attempts: 50,
        initialDelayMs: 20,
        maxDelayMs: 50,
        random: () => {
          attempts++;
          if (attempts === 3) void server.listen();
          return 0.5;
        },
      },
    });
    const connection = await dialing;
    cleanups.push(() => connection.close());
    expect(connection.status).toBe('open');
    expect(attempts).toBeGreaterThanOrEqual(3);
  });

  it('gives up after the attempts with CONNECT_FAILED and the last cause', async () => {
    const port = await freePort();
    await expect(dial(textProtocol(), { port, retry: { attempts: 3, initialDelayMs: 5 } })).rejects.toMatchObject({
      code: 'CONNECT_FAILED',
      cause: { code: 'SOCKET_ERROR' },
    });
  });

  it('times out a handshake that never completes', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => silent.close(() => r())));
    silent.on('connection', (s) => cleanups.push(async () => void s.destroy()));
    const { port } = silent.address() as AddressInfo;
    await expect(dial(textProtocol({ handshake: 'preamble' }), { port, connectTimeoutMs: 100 })).rejects.toMatchObject({
      code: 'CONNECT_FAILED',
      cause: { code: 'CONNECT_TIMEOUT' },
    });
  });

  it('can be aborted', async () => {
    const port = await freePort();
    const controller = new AbortController();
    // Aborted while retrying: as the second retry's delay is drawn, after two failed attempts.
    let delays = 0;
    const random = (): number => {
      if (++delays === 2) controller.abort();
      return 0.5;
    };
    const dialing = dial(textProtocol(), { port, signal: controller.signal, retry: { attempts: Infinity, initialDelayMs: 10, random } });
    await expect(dialing).rejects.toMatchObject({ code: 'CONNECT_FAILED' });
    expect(delays).toBe(2);
  });
});
