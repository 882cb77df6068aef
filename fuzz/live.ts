/**
 * `npm run fuzz:live`: each CLI server (from dist/, in its own process, logging at `warn`) under
 * hostile load for a while: many short connections sending mutated frames (the decoder campaign's
 * mutations, handshakes included), a crowd of connections that send half a frame and stay, and for
 * OBE requests for absurd runs. Meanwhile a well-behaved client probes the server twice a second.
 * Reports, per server: probe latency (p50, max, failures), peak RSS, and log bytes per minute,
 * against the goals of issue 12 (answer within 1 s; RSS within budget + 200 MB; at most 1 MB of log
 * per minute). oneline serves one client at a time by design: its probe waits behind whoever holds
 * the slot, so no hoarders are sent to it and its latency is reported without a verdict.
 *
 * Options: --seconds N per server (default 30), --only obe|rsb|masep|oneline
 */
import { connect, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startChildServer, type ChildServer } from '../bench/support/child-server.js';
import { Mutator } from './mutator.js';
import { FUZZ_TARGETS, type FuzzTarget } from './targets.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '30' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  process.stdout.write('npm run fuzz:live -- [--seconds 30] [--only obe|rsb|masep|oneline]\n');
  process.exit(0);
}
const SECONDS = Number(values.seconds);
if (!(SECONDS > 0)) {
  process.stderr.write('--seconds must be a positive number\n');
  process.exit(2);
}
const BIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const JUNK_WORKERS = 8;
const HOARDERS = 200;
const PROBE_TIMEOUT_MS = 5_000;

interface Service {
  readonly name: 'obe' | 'rsb' | 'masep' | 'oneline';
  readonly args: string[];
  /** The server's RSS budget for the verdict, in MiB (its configured budgets; 0: no run budget). */
  readonly budgetMiB: number;
  /** Bytes a client sends first on a fresh connection (masep's hello), or waits for (RSB's preamble). */
  readonly greet?: (socket: Socket) => void;
  /** Half a frame, for hoarders; undefined: no hoarders (oneline). */
  readonly half?: Uint8Array;
  /** Extra hostile requests, whole frames (OBE's absurd runs). */
  readonly extra?: readonly Uint8Array[];
  /** One well-behaved exchange; resolves when the server answered. */
  probe(port: number): Promise<void>;
}

const frame10 = (body: string): Uint8Array => Buffer.from(String(Buffer.byteLength(body)).padStart(10, '0') + body, 'latin1');
const hello = (ident: string): Uint8Array => Buffer.concat([Buffer.from([ident.length, 0]), Buffer.from(ident, 'latin1')]);

/** Opens a connection, sends `bytes`, and resolves once `done(received)` holds; rejects on timeout or close. */
function exchange(port: number, bytes: Uint8Array, done: (received: Buffer) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => finish(new Error('no answer within the probe timeout')), PROBE_TIMEOUT_MS);
    const finish = (err?: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    socket.on('error', (err) => finish(err));
    socket.on('close', () => finish(new Error('closed before answering')));
    socket.on('data', (d: Buffer) => {
      received = Buffer.concat([received, d]);
      if (done(received)) finish();
    });
    socket.on('connect', () => socket.write(bytes));
  });
}

const SERVICES: Service[] = [
  {
    name: 'obe',
    args: ['obe', 'serve', '--port', '0', '--on-done', 'end-run'],
    budgetMiB: 256 + 64,
    half: Buffer.from('00000000', 'latin1'),
    extra: [
      frame10('{"command": "newrun", "lolim": 1, "hilim": 2, "steps": 1000000000}'),
      frame10('{"command": "newrun", "spec": {"model": "line", "settings": [[0, 1]], "prior": [{"dist": "uniform", "low": 0, "high": 1}, {"dist": "uniform", "low": 0, "high": 1}], "particles": 1000000000}}'),
      frame10('['.repeat(100_000)),
    ],
    probe: (port) => exchange(port, frame10('{"command": "ready"}'), (r) => r.toString('latin1') === '0000000004"OK"'),
  },
  {
    name: 'rsb',
    args: ['rsb', 'bus', '--port', '0'],
    budgetMiB: 0,
    half: Uint8Array.of(0x40, 0x00),
    probe: (port) => exchange(port, new Uint8Array(0), (r) => r.length >= 4),
  },
  {
    name: 'masep',
    args: ['masep', 'engine', '--port', '0'],
    budgetMiB: 0,
    half: Uint8Array.of(36, 0, 0x61),
    probe: (port) => exchange(port, hello('5f0c1d8e-2b3a-4c5d-8e9f-0a1b2c3d4e5f'), (r) => r.length >= 2 && r.length >= 2 + r.readUInt16LE(0)),
  },
  {
    name: 'oneline',
    args: ['oneline', 'serve', '--port', '0'],
    budgetMiB: 0,
    probe: (port) => exchange(port, Buffer.from('ping\n'), (r) => r.toString('latin1').includes('pong\n')),
  },
];

function rssMiB(pid: number): number {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Short connections sending mutated frames until `until`; returns how many it made. */
async function junk(port: number, target: FuzzTarget, service: Service, seed: number, until: number): Promise<number> {
  const random = new Mutator(seed);
  let count = 0;
  while (Date.now() < until) {
    const frames: Uint8Array[] = [];
    for (let i = 0; i < 1 + random.below(8); i++) {
      const s = target.seeds[random.below(target.seeds.length)];
      frames.push(random.mutate(s, target.seeds[random.below(target.seeds.length)], target.tokens));
    }
    if (service.extra && random.below(8) === 0) frames.push(service.extra[random.below(service.extra.length)]);
    await new Promise<void>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      const done = (): void => {
        socket.destroy();
        resolve();
      };
      const timer = setTimeout(done, 200);
      socket.on('error', done);
      socket.on('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.on('connect', () => {
        for (const f of frames) socket.write(f);
        socket.end();
      });
      socket.resume();
    });
    count++;
  }
  return count;
}

/** Connections that send half a frame and stay until `until`. */
async function hoard(port: number, half: Uint8Array, until: number): Promise<void> {
  const sockets: Socket[] = [];
  for (let i = 0; i < HOARDERS; i++) {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    socket.on('connect', () => socket.write(half));
    socket.resume();
    sockets.push(socket);
  }
  await sleep(Math.max(0, until - Date.now()));
  for (const s of sockets) s.destroy();
}

async function attack(service: Service): Promise<boolean> {
  const server: ChildServer = await startChildServer(process.execPath, [BIN, ...service.args], { ACTORWIRE_LOG: 'warn' }, 30_000, true);
  const target = FUZZ_TARGETS.find((t) => t.name === service.name)!;
  const baseRss = rssMiB(server.pid);
  let peakRss = baseRss;
  const latencies: number[] = [];
  let failures = 0;
  const started = Date.now();
  const until = started + SECONDS * 1000;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, rssMiB(server.pid))), 200);
  const probing = (async () => {
    while (Date.now() < until) {
      const t = performance.now();
      try {
        await service.probe(server.port);
        latencies.push(performance.now() - t);
      } catch {
        failures++;
      }
      await sleep(500);
    }
  })();
  let connections = 0;
  try {
    const loads: Array<Promise<unknown>> = [probing];
    if (service.half) loads.push(hoard(server.port, service.half, until));
    for (let w = 0; w < JUNK_WORKERS; w++) loads.push(junk(server.port, target, service, 1000 + w, until).then((n) => (connections += n)));
    await Promise.all(loads);
  } finally {
    clearInterval(rssTimer);
    await server.stop();
  }
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const p50 = latencies[Math.floor(latencies.length / 2)] ?? NaN;
  const max = latencies[latencies.length - 1] ?? NaN;
  const logPerMinute = (server.stderrBytes() / seconds) * 60 / 1024 / 1024;
  const rssGrowth = peakRss - baseRss;
  const judged = service.name !== 'oneline';
  const answered = failures === 0 && max <= 1000;
  const rssOk = rssGrowth <= service.budgetMiB + 200;
  const logOk = logPerMinute <= 1;
  process.stdout.write(
    `${service.name.padEnd(8)} ${connections.toLocaleString('en').padStart(7)} hostile connections${service.half ? ` + ${HOARDERS} hoarders` : ''} in ${seconds.toFixed(0)} s | ` +
      `probe p50 ${p50.toFixed(1)} ms max ${max.toFixed(1)} ms, ${failures} failed${judged ? ` (${answered ? 'met' : 'MISSED'}: <= 1 s)` : ' (one client at a time by design: no verdict)'} | ` +
      `RSS ${baseRss.toFixed(0)} -> peak ${peakRss.toFixed(0)} MiB (${rssOk ? 'met' : 'MISSED'}: growth <= ${service.budgetMiB + 200} MiB) | ` +
      `log ${(logPerMinute * 1024).toFixed(1)} KiB/min (${logOk ? 'met' : 'MISSED'}: <= 1 MiB/min)\n`,
  );
  return (!judged || answered) && rssOk && logOk;
}

async function main(): Promise<void> {
  const services = SERVICES.filter((s) => values.only === undefined || s.name === values.only);
  if (services.length === 0) throw new Error(`--only must be one of ${SERVICES.map((s) => s.name).join(', ')}`);
  process.stdout.write(`live hostile phase: ${SECONDS} s per server, ${JUNK_WORKERS} junk connection loops, servers from dist/ logging at warn\n`);
  let ok = true;
  for (const service of services) ok = (await attack(service)) && ok;
  process.exitCode = ok ? 0 : 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
