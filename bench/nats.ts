/**
 * `npm run bench:nats`: the RSB bus on NATS against raw nats.js publish -> subscribe, in the same
 * run, on one nats-server on 127.0.0.1 (started here, on a free port, and stopped):
 *
 * - raw:    nats.js publisher -> nats-server -> nats.js subscriber (the baseline);
 * - nats:   actorwire Informer -> NATS transport -> nats-server -> NATS transport -> Listener;
 * - bridge: actorwire socket Informer -> `actorwire rsb bus --bridge` -> nats-server ->
 *           `actorwire rsb bus --bridge` -> socket Listener (what unmodified socket programs get).
 *
 * Small events (64 B payloads): events/s delivered, goal >= 0.8x raw for `nats`. Large events
 * (1 MiB): MiB/s delivered. Publishers of every kind wait for a server round trip every 4 MiB.
 * Each figure is the median over the rounds; every phase is bounded in count and time.
 * Options: --rounds N (default 3), --small N (default 200 000), --large N (default 100).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NatsServerProcess } from '../test/helpers/nats-server.js';
import { startChildServer, type ChildServer } from './support/child-server.js';
import { bounded as boundedBy, spawnRole, type RoleProcess } from './support/role-process.js';
import { median, ratio } from './support/stats.js';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    small: { type: 'string', default: '200000' },
    large: { type: 'string', default: '100' },
  },
});
const ROUNDS = Number(opts.rounds);
const SMALL = Number(opts.small);
const LARGE = Number(opts.large);
const PHASE_TIMEOUT_MS = 120_000;

const role = (args: string[]): RoleProcess => spawnRole(ROLES, args);
const bounded = <T>(name: string, roles: RoleProcess[], phase: Promise<T>): Promise<T> => boundedBy(name, roles, phase, PHASE_TIMEOUT_MS);
const ROLES = fileURLToPath(new URL('./nats/roles.ts', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/actorwire.js', import.meta.url));

type Kind = 'raw' | 'nats' | 'bridge';


interface Throughput {
  count: number;
  seconds: number;
  bytes: number;
  cpuMicrosPerEvent: number;
  informerCpuMicrosPerEvent: number;
}

/** Where the listener and the informer of a kind connect. */
interface Targets {
  readonly kind: 'raw' | 'rsb' | 'socket';
  readonly listener: string;
  readonly informer: string;
}

async function throughput(name: string, targets: Targets, count: number, size: number): Promise<Throughput> {
  const listener = role(['listener', targets.kind, targets.listener, String(count)]);
  const roles = [listener];
  return bounded(`${name} ${size}-byte events`, roles, (async () => {
    await listener.next();
    const informer = role(['informer', targets.kind, targets.informer, String(count), String(size)]);
    roles.push(informer);
    const result = (await listener.next()) as Throughput;
    const sent = (await informer.next()) as { cpuMicrosPerEvent: number };
    await Promise.all([listener.exited, informer.exited]);
    return { ...result, informerCpuMicrosPerEvent: sent.cpuMicrosPerEvent };
  })());
}

function bridge(url: string): Promise<ChildServer> {
  return startChildServer(process.execPath, [BIN, 'rsb', 'bus', '--port', '0', '--bridge', url]); // compiled (the script builds first)
}

interface Results {
  small: Throughput;
  large: Throughput;
}

async function measure(kind: Kind, url: string): Promise<Results> {
  if (kind !== 'bridge') {
    const targets: Targets = { kind: kind === 'raw' ? 'raw' : 'rsb', listener: url, informer: url };
    return { small: await throughput(kind, targets, SMALL, 64), large: await throughput(kind, targets, LARGE, 1024 * 1024) };
  }
  const [near, far] = await Promise.all([bridge(url), bridge(url)]);
  try {
    const targets: Targets = { kind: 'socket', listener: String(far.port), informer: String(near.port) };
    return { small: await throughput(kind, targets, SMALL, 64), large: await throughput(kind, targets, LARGE, 1024 * 1024) };
  } finally {
    await Promise.all([near.stop(), far.stop()]);
  }
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

// 1 MiB payloads plus their RSB envelope exceed the server's default max_payload (1 MiB).
const config = join(mkdtempSync(join(tmpdir(), 'actorwire-bench-nats-')), 'bench.conf');
writeFileSync(config, 'max_payload: 8388608\n');
const server = await NatsServerProcess.start({ args: ['-c', config] });
const runs: Record<Kind, Results[]> = { raw: [], nats: [], bridge: [] };
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of ['raw', 'nats', 'bridge'] as const) runs[kind].push(await measure(kind, server.url));
  }
} finally {
  await server.stop();
}
const rate = (t: Throughput): number => t.count / t.seconds;
const byteRate = (t: Throughput): number => t.bytes / t.seconds / 2 ** 20;
const mid = (kind: Kind, pick: (r: Results) => number): number => median(runs[kind].map(pick));
const small = (kind: Kind): number => mid(kind, (r) => rate(r.small));
const large = (kind: Kind): number => mid(kind, (r) => byteRate(r.large));
const cpu = (kind: Kind, phase: 'small' | 'large'): string =>
  `informer ${fmt(mid(kind, (r) => r[phase].informerCpuMicrosPerEvent), 2)} us, listener ${fmt(mid(kind, (r) => r[phase].cpuMicrosPerEvent), 2)} us`;

console.log(`RSB on NATS vs raw nats.js (publisher -> nats-server on 127.0.0.1 -> subscriber, separate processes; median of ${ROUNDS} rounds)`);
console.log(`small events (64 B, ${fmt(SMALL)}):  raw ${fmt(small('raw'))} ev/s   nats ${fmt(small('nats'))} ev/s (${ratio(small('nats'), small('raw'))})   bridge ${fmt(small('bridge'))} ev/s (${ratio(small('bridge'), small('raw'))})   goal nats >= 0.8x: ${small('nats') >= 0.8 * small('raw') ? 'met' : 'MISSED'}`);
console.log(`large events (1 MiB, ${fmt(LARGE)}):    raw ${fmt(large('raw'), 1)} MiB/s   nats ${fmt(large('nats'), 1)} MiB/s (${ratio(large('nats'), large('raw'))})   bridge ${fmt(large('bridge'), 1)} MiB/s (${ratio(large('bridge'), large('raw'))})`);
for (const kind of ['raw', 'nats', 'bridge'] as const) console.log(`  cpu/event ${kind}: small ${cpu(kind, 'small')}; large ${cpu(kind, 'large')}`);
