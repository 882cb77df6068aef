/**
 * `npm run bench:masep`: the masep engine against a raw `node:net` ping-pong with the same
 * 2-byte framing and the same payload sizes, in the same run, on 127.0.0.1:
 * 1. observation → action round trip with one remote agent (p50/p99), goal p50 ≤ 2× raw;
 * 2. agent-actions per second with 8 remote agents in simultaneous mode, goal ≥ 20 000/s.
 * The engine or raw server runs here; the agents run in one child process (tsx), and for the
 * throughput also in one child process each (8 processes on a 2-core machine compete for the same
 * cores, and interfaces in one process share the decoding of identical observations). Bounded in
 * steps and time. Every measurement runs `--rounds N` times (default 2), raw and masep alternating
 * and swapping who goes first, so that the machine's drift hits both; the throughput goal is judged
 * on the set-up it names (agents in one process), the other placement is context.
 */
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { MasepEngine, buildObservationState } from '../src/actors/masep/index.js';
import { Value, actionMessage, encodeMessage, observationMessage, type MasepValue } from '../src/protocols/masep/index.js';
import { BENCH_GAME, benchGames, tickAction, tickGame } from './masep/bench-game.js';

const RTT_STEPS = 3_000;
const THROUGHPUT_STEPS = 4_000;
// Long enough for the JIT to settle on the hot paths of engine and agents (the raw loop is tiny).
const WARMUP_STEPS = 3_000;
// With one process per agent, each process warms up on every step, but steps are slower.
const WARMUP_STEPS_PROCESS_EACH = 1_000;
const TIME_LIMIT_MS = 15_000;
/** Time the agents have to connect before a masep run is abandoned. */
const START_LIMIT_MS = 60_000;
const AGENTS_SCRIPT = fileURLToPath(new URL('./masep/agents.ts', import.meta.url));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Where the agents run: all in one child process, or one child process each. */
type Placement = 'one-process' | 'process-each';

type AgentMode = 'masep' | 'masep-bytes' | 'raw';

function spawnAgents(mode: AgentMode, port: number, count: number, placement: Placement, actionHex = ''): Promise<unknown> {
  const spawnOne = (n: number): Promise<number | null> => {
    const child = spawn(process.execPath, ['--import', 'tsx', AGENTS_SCRIPT, mode, String(port), String(n), actionHex], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  };
  if (placement === 'one-process') return spawnOne(count);
  return Promise.all(Array.from({ length: count }, () => spawnOne(1)));
}

/** Payloads of the same size as the engine's for `agents` agents (ids are 36-byte UUIDs). */
function samplePayloads(agents: number): { observation: Buffer; action: Buffer } {
  const id = '00000000-0000-4000-8000-000000000000';
  const players = Array.from({ length: agents }, (_, i) => `player${i}`);
  const ctx = { episode: 0, players, random: Math.random };
  const state = buildObservationState({
    view: tickGame.render(tickGame.init(ctx), ctx),
    players,
    control: new Map(players.map((p) => [p, id])),
    head: 0,
    coordination: 'simultaneous',
    envStep: 1000,
    isFinal: false,
  });
  const info = new Map<string, MasepValue>([
    ['state_changed', Value.bool(true)],
    ['reward', Value.dict(new Map(players.map((p) => [`State.${p}`, Value.float(0)])))],
    ['episode', Value.int(0)],
  ]);
  const frame = (payload: Uint8Array): Buffer => {
    const out = Buffer.alloc(2 + payload.length);
    out.writeUInt16LE(payload.length, 0);
    out.set(payload, 2);
    return out;
  };
  return {
    observation: frame(encodeMessage(observationMessage(id, state, info))),
    action: frame(encodeMessage(actionMessage(id, tickAction(1000)))),
  };
}

interface Run {
  /** Step intervals after warm-up, ms. */
  intervals: number[];
  steps: number;
  seconds: number;
}

/** The masep engine with `agents` remote agents, for `steps` steps after warm-up. */
async function masepRun(agents: number, steps: number, mode: AgentMode = 'masep', placement: Placement = 'one-process'): Promise<Run> {
  const warmup = placement === 'one-process' ? WARMUP_STEPS : WARMUP_STEPS_PROCESS_EACH;
  const engine = new MasepEngine({
    games: benchGames,
    game: BENCH_GAME,
    port: 0,
    players: agents,
    episodes: 1,
    actionTimeoutMs: 0,
    maxStepsPerEpisode: warmup + steps,
  });
  const intervals: number[] = [];
  let last = 0;
  let start = 0;
  let count = 0;
  // The time limit counts from the first episode: starting 8 agent processes takes a while.
  let limit: NodeJS.Timeout | undefined;
  const startLimit = setTimeout(() => void engine.stop(), START_LIMIT_MS);
  engine.events$.subscribe((event) => {
    if (event.type === 'episode-started') {
      clearTimeout(startLimit);
      limit ??= setTimeout(() => void engine.stop(), TIME_LIMIT_MS);
    }
    if (event.type !== 'step') return;
    const now = performance.now();
    if (event.step === warmup) start = now;
    if (event.step > warmup) {
      intervals.push(now - last);
      count++;
    }
    last = now;
  });
  const { port } = await engine.listen();
  const exited = spawnAgents(mode, port, agents, placement);
  await engine.done;
  clearTimeout(startLimit);
  clearTimeout(limit);
  const seconds = count > 0 ? (last - start) / 1000 : 0;
  await exited;
  return { intervals, steps: count, seconds };
}

/** Raw ping-pong: one frame to each of `agents` peers, wait for all replies, repeat. */
async function rawRun(
  agents: number,
  steps: number,
  payloads: { observation: Buffer; action: Buffer },
  placement: Placement = 'one-process',
): Promise<Run> {
  const warmup = placement === 'one-process' ? WARMUP_STEPS : WARMUP_STEPS_PROCESS_EACH;
  const sockets: Socket[] = [];
  const intervals: number[] = [];
  let replies = 0;
  let step = 0;
  let last = 0;
  let start = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const deadline = Date.now() + TIME_LIMIT_MS;
  const broadcast = (): void => {
    for (const socket of sockets) socket.write(payloads.observation);
  };
  const onStep = (): void => {
    const now = performance.now();
    step++;
    if (step === warmup) start = now;
    if (step > warmup) intervals.push(now - last);
    last = now;
    if (step >= warmup + steps || Date.now() > deadline) finish();
    else broadcast();
  };
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    sockets.push(socket);
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let offset = 0;
      while (pending.length - offset >= 2) {
        const length = pending.readUInt16LE(offset);
        if (pending.length - offset < 2 + length) break;
        offset += 2 + length;
        if (++replies === agents) {
          replies = 0;
          onStep();
        }
      }
      pending = pending.subarray(offset);
    });
    socket.on('error', () => undefined);
    if (sockets.length === agents) {
      last = performance.now();
      broadcast();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const exited = spawnAgents('raw', (server.address() as AddressInfo).port, agents, placement, payloads.action.toString('hex'));
  await finished;
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await exited;
  return { intervals, steps: intervals.length, seconds: intervals.length > 0 ? (last - start) / 1000 : 0 };
}

function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}

/** Rounds of every measurement; in each, raw and masep alternate and swap who goes first. */
const ROUNDS = (() => {
  const i = process.argv.indexOf('--rounds');
  const n = i < 0 ? 2 : Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--rounds must be a positive integer, got ${process.argv[i + 1]}`);
  return n;
})();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `ROUNDS` rounds of raw and masep measured back to back, raw first in even rounds, masep first in odd ones. */
async function alternate<R, M>(raw: () => Promise<R>, masep: () => Promise<M>): Promise<Array<{ raw: R; masep: M }>> {
  const rounds: Array<{ raw: R; masep: M }> = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      const a = await raw();
      rounds.push({ raw: a, masep: await masep() });
    } else {
      const b = await masep();
      rounds.push({ raw: await raw(), masep: b });
    }
  }
  return rounds;
}

async function main(): Promise<void> {
  const one = samplePayloads(1);
  const eight = samplePayloads(8);
  process.stdout.write(
    `masep benchmark on 127.0.0.1 (observation ${one.observation.length} B with 1 agent, ${eight.observation.length} B with 8; action ${one.action.length} B); ` +
      `${ROUNDS} rounds, raw node:net and masep alternating; ratios are medians of the per-round ratios\n`,
  );

  process.stdout.write('\nobservation -> action round trip, 1 remote agent\n');
  const rtt = await alternate(
    () => rawRun(1, RTT_STEPS, one),
    () => masepRun(1, RTT_STEPS),
  );
  const pct = (run: Run, p: number): number => percentile([...run.intervals].sort((a, b) => a - b), p);
  for (const [r, { raw, masep }] of rtt.entries()) {
    process.stdout.write(
      `  round ${r + 1}: raw p50 ${fmt(pct(raw, 0.5) * 1000)} us p99 ${fmt(pct(raw, 0.99) * 1000)} us   masep p50 ${fmt(pct(masep, 0.5) * 1000)} us p99 ${fmt(pct(masep, 0.99) * 1000)} us (${fmt(pct(masep, 0.5) / pct(raw, 0.5), 2)}x)\n`,
    );
  }
  const rttRatio = median(rtt.map(({ raw, masep }) => pct(masep, 0.5) / pct(raw, 0.5)));
  const p99Ratio = median(rtt.map(({ raw, masep }) => pct(masep, 0.99) / pct(raw, 0.99)));
  process.stdout.write(`  ratio masep/raw  p50 ${fmt(rttRatio, 2)}x  p99 ${fmt(p99Ratio, 2)}x  (goal p50 <= 2x: ${rttRatio <= 2 ? 'met' : 'NOT met'})\n`);

  const rate = (run: Run): number => (run.steps > 0 ? (run.steps * 8) / run.seconds : 0);
  const line = (name: string, run: Run, raw: Run): string =>
    `  ${name}  ${fmt(rate(run), 0)} actions/s  (${run.steps} steps in ${fmt(run.seconds, 2)} s, ratio to raw ${fmt(rate(run) / rate(raw), 3)})\n`;
  process.stdout.write('\nagent-actions per second, 8 remote agents, simultaneous; agents in one process (the goal\'s set-up)\n');
  const oneProcess = await alternate(
    () => rawRun(8, THROUGHPUT_STEPS, eight),
    async () => ({ agents: await masepRun(8, THROUGHPUT_STEPS), bytes: await masepRun(8, THROUGHPUT_STEPS, 'masep-bytes') }),
  );
  for (const [r, { raw, masep }] of oneProcess.entries()) {
    process.stdout.write(`  round ${r + 1}\n`);
    process.stdout.write(line('raw node:net                          ', raw, raw));
    process.stdout.write(line('masep engine + MasepInterface agents  ', masep.agents, raw));
    process.stdout.write(line('masep engine + byte-level agents      ', masep.bytes, raw));
  }
  process.stdout.write('agents in one process each (context: 8 processes on this machine\'s cores)\n');
  const each = await alternate(
    () => rawRun(8, THROUGHPUT_STEPS, eight, 'process-each'),
    () => masepRun(8, THROUGHPUT_STEPS, 'masep', 'process-each'),
  );
  for (const [r, { raw, masep }] of each.entries()) {
    process.stdout.write(`  round ${r + 1}\n`);
    process.stdout.write(line('raw node:net                          ', raw, raw));
    process.stdout.write(line('masep engine + MasepInterface agents  ', masep, raw));
  }
  const agentsRate = median(oneProcess.map(({ masep }) => rate(masep.agents)));
  const agentsRatio = median(oneProcess.map(({ raw, masep }) => rate(masep.agents) / rate(raw)));
  const bytesRatio = median(oneProcess.map(({ raw, masep }) => rate(masep.bytes) / rate(raw)));
  process.stdout.write(
    `  median over rounds, agents in one process: MasepInterface agents ${fmt(agentsRate, 0)} actions/s (ratio to raw ${fmt(agentsRatio, 3)}), byte-level agents ratio to raw ${fmt(bytesRatio, 3)}\n`,
  );
  process.stdout.write(`  goal >= 20000 actions/s with MasepInterface agents in one process: ${agentsRate >= 20_000 ? 'met' : 'NOT met'}\n`);
}

await main();
