import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '../../../src/actors/bus/bus.js';
import { NatsBusTransport } from '../../../src/actors/bus/transports/nats-transport.js';
import { NatsServerProcess, natsServerAvailable } from '../../helpers/nats-server.js';
import { notification } from './helpers.js';

const SRC = (path: string): string => fileURLToPath(new URL(`../../../src/${path}`, import.meta.url));
const SENDER = Uint8Array.from({ length: 16 }, (_, i) => 0x70 + i);

/** A consumer in its own process: counts what it receives, prints its transport's events as JSON lines. */
const CONSUMER = `
const { Bus } = await import(${JSON.stringify(SRC('actors/bus/bus.ts'))});
const { NatsBusTransport } = await import(${JSON.stringify(SRC('actors/bus/transports/nats-transport.ts'))});
const { Scope } = await import(${JSON.stringify(SRC('protocols/rsb/index.ts'))});
const bus = await Bus.create('consumer', (hooks) => NatsBusTransport.connect({ servers: [process.argv[1]], reconnectDelayMs: 20 }, hooks));
let received = 0;
bus.subscribe(Scope.parse('/flood/'), (n) => {
  received++;
  if (n.wireSchema === 'utf-8-string') console.log(JSON.stringify({ type: 'marker', received, seq: n.eventId.sequenceNumber }));
});
bus.transport.events$.subscribe((e) => console.log(JSON.stringify({ type: e.type, missing: e.missing })));
await bus.whenSubscribed();
console.log(JSON.stringify({ type: 'ready' }));
`;

describe.skipIf(!natsServerAvailable())('a slow consumer cut by the NATS server', () => {
  let server: NatsServerProcess;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'actorwire-nats-'));
    const config = join(dir, 'slow.conf');
    // A small per-client buffer, so that a consumer that stops reading is cut soon.
    writeFileSync(config, 'max_pending: 1048576\nwrite_deadline: "1s"\n');
    server = await NatsServerProcess.start({ args: ['-c', config] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is disconnected, comes back, and reports what it missed', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CONSUMER, server.url], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: Array<{ type: string; missing?: number; received?: number; seq?: number }> = [];
    let wake: (() => void) | undefined;
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const part of parts) lines.push(JSON.parse(part) as (typeof lines)[number]);
      wake?.();
    });
    // Each wait is bounded, and says what it waited for and what the consumer had printed.
    const until = (test: () => boolean, what: string): Promise<void> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${what} within 20 s; consumer printed ${JSON.stringify(lines.slice(-10))}`)), 20_000);
        wake = () => {
          if (!test()) return;
          clearTimeout(timer);
          resolve();
        };
        wake();
      });
    try {
      await until(() => lines.some((l) => l.type === 'ready'), 'ready');
      const producer = await Bus.create('producer', (hooks) => NatsBusTransport.connect({ servers: [server.url] }, hooks));
      child.kill('SIGSTOP');
      const body = new Uint8Array(64 * 1024);
      let seq = 0;
      // Flood the stopped consumer until the server gives up on it (bounded: 256 MiB at most).
      for (let round = 0; round < 256 && !server.output.includes('Slow Consumer'); round++) {
        for (let i = 0; i < 16; i++) producer.publish({ ...notification('/flood/', '', seq++, SENDER), wireSchema: 'bytes', data: body });
        await (producer.transport as NatsBusTransport).connection.flush();
      }
      expect(server.output).toMatch(/Slow Consumer/);
      child.kill('SIGCONT');
      await until(() => lines.some((l) => l.type === 'reconnected'), 'reconnect');
      expect(lines.map((l) => l.type)).toContain('disconnected');
      // Markers after the cut, until one arrives: the consumer's resubscription after its reconnect
      // may reach the server after a marker, which then has no subscriber (and counts as missed).
      const markerArrived = until(() => lines.some((l) => l.type === 'marker'), 'marker');
      // A marker is sent again every 100 ms until one arrives; the wait ends on its arrival.
      for (let i = 0; i < 100 && !lines.some((l) => l.type === 'marker'); i++) {
        producer.publish(notification('/flood/', 'marker', seq++, SENDER));
        await Promise.race([markerArrived, new Promise((resolve) => setTimeout(resolve, 100))]);
      }
      await markerArrived;
      // The consumer sees the gap and reports how much it lost: up to the first marker it received,
      // every sequence number was either received or reported missing.
      const marker = lines.find((l) => l.type === 'marker')!;
      const missing = (): number => lines.filter((l) => l.type === 'sequence-gap').reduce((sum, l) => sum + (l.missing ?? 0), 0);
      // The gap report may be printed just after the marker itself.
      await until(() => marker.received! + missing() === marker.seq! + 1, 'full account of the losses');
      expect(missing()).toBeGreaterThan(0);
      await producer.close();
    } finally {
      child.kill('SIGCONT');
      child.kill('SIGTERM');
    }
  });
});
