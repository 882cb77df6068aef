import { afterEach, describe, expect, it } from 'vitest';
import { CommandRegistry } from '../../../src/actors/oneline/command-registry.js';
import { OnelineServer, type OnelineServerOptions } from '../../../src/actors/oneline/oneline-server.js';
import { sampleHandlers } from '../../../src/actors/oneline/sample-handlers.js';
import { eventually, stopsMoving, turns } from '../../helpers/eventually.js';
import { ManualClock } from '../../helpers/manual-clock.js';
import { RawPeer } from '../../helpers/raw-peer.js';

const servers: OnelineServer[] = [];
afterEach(async () => {
  RawPeer.destroyAll();
  for (const server of servers.splice(0)) await server.stop();
});

async function start(options: OnelineServerOptions = {}): Promise<{ server: OnelineServer; port: number }> {
  const server = new OnelineServer({ handlers: sampleHandlers(), ...options });
  servers.push(server);
  const { port } = await server.start();
  return { server, port };
}

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** Sends `ping` and waits for the `pong` that proves the server still serves. */
async function assertServes(port: number): Promise<void> {
  const peer = await RawPeer.connect(port);
  peer.write('ping\n');
  await peer.waitForText('pong\n');
  peer.write('disconnect\n');
  await peer.waitForEnd();
  peer.end();
}

describe('OnelineServer: the byte-exact examples of the spec', () => {
  it('E1: connect, user command, unknown command, disconnect', async () => {
    const { server, port } = await start();
    const peer = await RawPeer.connect(port);
    peer.write(hex('70 69 6e 67 0a'));
    await peer.waitForBytes(5);
    expect(peer.bytes).toEqual(hex('70 6f 6e 67 0a'));
    peer.write(hex('63 6d 64 30 31 0a'));
    await peer.waitForBytes(9);
    expect(peer.bytes.subarray(5)).toEqual(hex('61 63 6b 0a'));
    peer.write(hex('6a 75 6e 6b 0a'));
    await peer.waitForBytes(27);
    expect(peer.bytes.subarray(9)).toEqual(hex('6e 61 6b 20 2d 20 75 6e 6b 6e 6f 77 6e 20 63 6d 64 0a'));
    peer.write(hex('64 69 73 63 6f 6e 6e 65 63 74 0a'));
    await peer.waitForEnd();
    expect(peer.ended).toBe('fin');
    expect(peer.bytes.length).toBe(27);
    peer.end();
    expect(server.isRunning).toBe(true);
    await assertServes(port);
  });

  it('E2: invalid bytes reach the handler as "abcd" flagged invalid', async () => {
    const seen: Array<[string, boolean]> = [];
    const handlers = new CommandRegistry().setFallback(({ text, invalid }) => {
      seen.push([text, invalid]);
      return 'ut_rsp';
    });
    const { port } = await start({ handlers });
    const peer = await RawPeer.connect(port);
    peer.write(hex('61 62 c3 ad 63 64 0a'));
    await peer.waitForBytes(7);
    expect(peer.bytes).toEqual(hex('75 74 5f 72 73 70 0a'));
    expect(seen).toEqual([['abcd', true]]);
  });

  it('E3: pipelined ping and command in one write', async () => {
    const handlers = new CommandRegistry().setFallback(() => 'ut_rsp');
    const { port } = await start({ handlers });
    const peer = await RawPeer.connect(port);
    peer.write(hex('70 69 6e 67 0a 63 6d 64 30 31 0a'));
    await peer.waitForBytes(12);
    expect(peer.bytes).toEqual(hex('70 6f 6e 67 0a 75 74 5f 72 73 70 0a'));
  });

  it('E4: CRLF is kept (ping\\r is not ping); a dropped byte in ping is not a ping by default', async () => {
    const { port } = await start();
    const peer = await RawPeer.connect(port);
    peer.write(hex('70 69 6e 67 0d 0a'));
    await peer.waitForText('nak - unknown cmd\n');
    peer.write(hex('70 69 ff 6e 67 0a'));
    await peer.waitForBytes(36);
    expect(peer.text).toBe('nak - unknown cmd\nnak - unknown cmd\n');
  });

  it('E4 (faithful mode): a dropped byte in ping still gets pong, as in the original', async () => {
    const { port } = await start({ builtinsOnInvalid: true });
    const peer = await RawPeer.connect(port);
    peer.write(hex('70 69 ff 6e 67 0a ef bb bf 70 69 6e 67 0a'));
    await peer.waitForBytes(10);
    expect(peer.text).toBe('pong\npong\n');
  });

  it('E5: several replies, none, and shutdown', async () => {
    const handlers = new CommandRegistry().register('multi', () => ['r1', 'r2', 'r3']).register('none', () => undefined);
    const { server, port } = await start({ handlers });
    const peer = await RawPeer.connect(port);
    peer.write('multi\nnone\nping\n');
    await peer.waitForBytes(14);
    expect(peer.bytes).toEqual(hex('72 31 0a 72 32 0a 72 33 0a 70 6f 6e 67 0a'));
    peer.write(hex('73 68 75 74 64 6f 77 6e 0a'));
    await peer.waitForEnd();
    expect(peer.bytes.length).toBe(14);
    peer.end();
    await server.stopped;
    expect(server.isRunning).toBe(false);
    await expect(RawPeer.connect(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' }); // W11: listener closed
  });
});

describe('OnelineServer: handlers', () => {
  it('routes by whole line, then by first word with arguments, then to the fallback', async () => {
    const handlers = new CommandRegistry()
      .register('add', ({ args }) => String(args.map(Number).reduce((a, b) => a + b, 0)))
      .register('add 1 1', () => 'special')
      .setFallback(({ text }) => `unknown:${text}`);
    const { port } = await start({ handlers });
    const peer = await RawPeer.connect(port);
    peer.write('add 1 2  3\nadd 1 1\n\n PING\nADD 1\n');
    await peer.waitForText('unknown:ADD 1\n');
    expect(peer.text).toBe('6\nspecial\nunknown:\nunknown: PING\nunknown:ADD 1\n');
  });

  it('answers in arrival order even when an async handler is slower than the next ping', async () => {
    const gates: Array<() => void> = [];
    const handlers = new CommandRegistry().register('slow', async () => {
      await new Promise<void>((resolve) => gates.push(resolve));
      return 'slow done';
    });
    const { port } = await start({ handlers });
    const peer = await RawPeer.connect(port);
    peer.write('slow\nping\nslow\nping\n');
    await eventually(() => gates.length === 1, 'the first slow command running');
    expect(peer.bytes.length).toBe(0); // the ping waits behind the slow answer
    gates.shift()!();
    await eventually(() => gates.length === 1, 'the second slow command running');
    await peer.waitForText('slow done\npong\n');
    expect(peer.text).toBe('slow done\npong\n');
    gates.shift()!();
    await peer.waitForText('slow done\npong\nslow done\npong\n');
  });

  it('survives a handler that throws or rejects, and counts it', async () => {
    const handlers = new CommandRegistry()
      .register('boom', () => {
        throw new Error('boom');
      })
      .register('later', async () => {
        throw new Error('later boom');
      });
    const { server, port } = await start({ handlers });
    const peer = await RawPeer.connect(port);
    peer.write('boom\nlater\nping\n');
    await peer.waitForText('pong\n');
    expect(peer.text).toBe('pong\n');
    expect(server.stats().commands.handlerErrors).toBe(2);
  });

  it('lets a handler reply several times and return more lines', async () => {
    const handlers = new CommandRegistry().register('talk', ({ reply }) => {
      reply('first');
      reply('second');
      return 'third';
    });
    const { port } = await start({ handlers });
    const peer = await RawPeer.connect(port);
    peer.write('talk\n');
    await peer.waitForText('first\nsecond\nthird\n');
  });

  it('can swap handlers while running', async () => {
    const { server, port } = await start();
    const peer = await RawPeer.connect(port);
    peer.write('cmd01\n');
    await peer.waitForText('ack\n');
    server.handlers.register('cmd01', () => 'ack2');
    peer.write('cmd01\n');
    await peer.waitForText('ack\nack2\n');
  });

  it('sends unprompted lines to the client, and reports when there is none', async () => {
    const { server, port } = await start();
    expect(server.send('nobody')).toBe(false);
    const peer = await RawPeer.connect(port);
    peer.write('ping\n');
    await peer.waitForText('pong\n');
    expect(server.send('news')).toBe(true);
    expect(server.send('caf\u00e9')).toBe(true);
    await peer.waitForBytes(16);
    expect(peer.bytes.subarray(5)).toEqual(Buffer.from('news\ncaf\xc3\xa9\n', 'latin1'));
  });
});

describe('OnelineServer: bad input', () => {
  it('a port probe (connect and close at once) leaves the server serving', async () => {
    const { server, port } = await start();
    for (let i = 0; i < 5; i++) {
      const probe = await RawPeer.connect(port);
      probe.end();
      await probe.waitForEnd();
    }
    const reset = await RawPeer.connect(port);
    reset.reset();
    await assertServes(port);
    expect(server.isRunning).toBe(true);
  });

  it('a half-written line then EOF is dropped, not delivered (W3, W12)', async () => {
    const seen: string[] = [];
    const handlers = new CommandRegistry().setFallback(({ text }) => void seen.push(text));
    const { port } = await start({ handlers });
    const peer = await RawPeer.connect(port);
    peer.write('whole\npart');
    peer.end();
    await peer.waitForEnd();
    await assertServes(port);
    expect(seen).toEqual(['whole']);
  });

  it('a line over the limit is discarded and handed on flagged LINE_TOO_LONG; the connection stays', async () => {
    const seen: Array<[string, boolean, string | undefined]> = [];
    const handlers = new CommandRegistry().setFallback(({ text, invalid, problem }) => {
      seen.push([text, invalid, problem]);
      return 'seen';
    });
    const { server, port } = await start({ handlers, maxLineBytes: 1024 });
    const peer = await RawPeer.connect(port);
    peer.write(Buffer.alloc(64 * 1024 + 1, 0x61));
    peer.write(Buffer.alloc(100_000, 0x62));
    peer.write('\nping\n');
    await peer.waitForText('seen\npong\n');
    expect(seen).toEqual([['', true, 'LINE_TOO_LONG']]);
    expect(server.stats().commands.oversized).toBe(1);
  });

  it('NUL and CR bytes stay in the command', async () => {
    const seen: string[] = [];
    const handlers = new CommandRegistry().setFallback(({ text }) => {
      seen.push(text);
      return 'x';
    });
    const { port } = await start({ handlers });
    const peer = await RawPeer.connect(port);
    peer.write(hex('00 70 69 6e 67 0a 0d 0a 61 00 62 0d 0a'));
    await peer.waitForText('x\nx\nx\n');
    expect(seen).toEqual(['\0ping', '\r', 'a\0b\r']);
  });

  it('10 000 commands in one write get 10 000 answers in order', async () => {
    const handlers = new CommandRegistry().register('echo', ({ args }) => args[0]);
    const { port } = await start({ handlers });
    const peer = await RawPeer.connect(port);
    const lines = Array.from({ length: 10_000 }, (_, i) => (i % 2 ? 'ping' : `echo ${i}`));
    peer.write(lines.map((l) => l + '\n').join(''));
    const expected = lines.map((l, i) => (i % 2 ? 'pong' : String(i))).join('\n') + '\n';
    await peer.waitForBytes(Buffer.byteLength(expected), 20_000);
    expect(peer.text).toBe(expected);
  });

  it('disconnect\\nping in one write: the ping is never answered (as in the original)', async () => {
    const { server, port } = await start();
    const peer = await RawPeer.connect(port);
    peer.write('disconnect\nping\n');
    await peer.waitForEnd();
    expect(peer.bytes.length).toBe(0);
    peer.end();
    expect(server.isRunning).toBe(true);
  });

  it('a client that never reads: memory stays bounded, and the next client is served once it leaves', async () => {
    const maxQueuedBytes = 256 * 1024;
    const handlers = new CommandRegistry().register('big', () => 'y'.repeat(4096));
    const { server, port } = await start({ handlers, maxPendingLines: 64, connection: { maxQueuedBytes } });
    const hog = await RawPeer.connect(port);
    hog.socket.pause();
    const chunk = 'big\n'.repeat(1000);
    for (let i = 0; i < 40; i++) hog.write(chunk); // 40 000 commands = 160 MB of answers
    await eventually(() => server.stats().queuedBytes > maxQueuedBytes / 2, 'the send queue filling up');
    // Stopped, not slow: what it has read and what it has queued stay put turn after turn.
    const sample = (): [number, number, number] => {
      const s = server.stats();
      return [s.bytesIn, s.commands.lines, s.queuedBytes];
    };
    const [bytesIn, lines, queuedBytes] = await stopsMoving(sample, 'the server reading the hog');
    expect(await stopsMoving(sample, 'the server reading the hog, later', 200)).toEqual([bytesIn, lines, queuedBytes]);
    expect(queuedBytes).toBeLessThanOrEqual(maxQueuedBytes);
    expect(lines).toBeLessThan(40_000);
    expect(bytesIn).toBeLessThan(chunk.length * 40);
    hog.reset();
    await assertServes(port);
  });

  it('a second client is held until the first leaves, then gets its answer; a third is refused with FIN', async () => {
    const { server, port } = await start();
    const first = await RawPeer.connect(port);
    first.write('ping\n');
    await first.waitForText('pong\n');
    const second = await RawPeer.connect(port);
    second.write('ping\n');
    const third = await RawPeer.connect(port);
    third.write('ping\n');
    await third.waitForEnd();
    expect(third.ended).toBe('fin');
    expect(third.bytes.length).toBe(0);
    await eventually(() => server.stats().connectionsHeld === 1, 'the second client held');
    expect(second.bytes.length).toBe(0);
    expect(server.stats().connectionsHeld).toBe(1);
    first.write('disconnect\n');
    await second.waitForText('pong\n');
    expect(server.stats().connectionsRefused).toBe(1);
  });

  it('refuse mode: extra clients get a FIN and nothing else', async () => {
    const { port } = await start({ extraClients: 'refuse' });
    const first = await RawPeer.connect(port);
    first.write('ping\n');
    await first.waitForText('pong\n');
    const second = await RawPeer.connect(port);
    second.write('ping\n');
    await second.waitForEnd();
    expect(second.bytes.length).toBe(0);
    expect(second.ended).toBe('fin');
  });

  it('an abrupt reset in the middle of a long response does not stop the server', async () => {
    const handlers = new CommandRegistry().register('flood', () => Array.from({ length: 2000 }, (_, i) => `line ${i} ${'z'.repeat(500)}`));
    const { server, port } = await start({ handlers });
    const peer = await RawPeer.connect(port);
    peer.write('flood\n');
    await peer.waitForBytes(1000);
    peer.reset();
    await assertServes(port);
    expect(server.isRunning).toBe(true);
  });

  it('shutdown while a response is queued: the response goes out first, then FIN', async () => {
    let release: (() => void) | undefined;
    const handlers = new CommandRegistry().register('slow', async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return 'finished';
    });
    const { server, port } = await start({ handlers });
    const peer = await RawPeer.connect(port);
    peer.write('slow\nshutdown\n');
    await eventually(() => server.stats().commands.lines === 2, 'both lines read');
    release!();
    await peer.waitForEnd();
    expect(peer.text).toBe('finished\n');
    peer.end();
    await server.stopped;
  });

  it('shutdown while another client is held: the held client gets a FIN', async () => {
    const { server, port } = await start();
    const first = await RawPeer.connect(port);
    first.write('ping\n');
    await first.waitForText('pong\n');
    const held = await RawPeer.connect(port);
    held.write('ping\n');
    await eventually(() => server.stats().connectionsHeld === 1, 'the second client held');
    first.write('shutdown\n');
    await held.waitForEnd();
    expect(held.ended).toBe('fin');
    first.end();
    await server.stopped;
  });

  it('rejects start() when the port is taken (W13)', async () => {
    const { port } = await start();
    const second = new OnelineServer({ port });
    await expect(second.start()).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

describe('OnelineServer: a silent client cannot hold the one slot forever', () => {
  it('with an idle timeout, closes the idle client and serves the held one', async () => {
    const clock = new ManualClock();
    const { server, port } = await start({ connection: { idleTimeoutMs: 60_000, clock } });
    const silent = await RawPeer.connect(port);
    const held = await RawPeer.connect(port);
    held.write('ping\n');
    await eventually(() => server.stats().connectionsHeld === 1, 'the second client held');
    clock.advance(59_000);
    expect(held.bytes.length).toBe(0);
    clock.advance(16_000); // the sweeper notices within a quarter of the timeout
    await silent.waitForEnd();
    await held.waitForText('pong\n');
  });

  it('without one (the original, and the API default), the silent client keeps it', async () => {
    const clock = new ManualClock();
    const { server, port } = await start({ connection: { clock } });
    await RawPeer.connect(port);
    const held = await RawPeer.connect(port);
    held.write('ping\n');
    await eventually(() => server.stats().connectionsHeld === 1, 'the second client held');
    clock.advance(24 * 3_600_000);
    await turns(20);
    expect(held.bytes.length).toBe(0);
  });
});
