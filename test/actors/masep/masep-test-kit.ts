import { firstValueFrom, filter, type Observable } from 'rxjs';
import { RawPeer } from '../../helpers/raw-peer.js';
import {
  MasepEngine,
  MasepInterface,
  createGameRegistry,
  createResourceGrid,
  greedyPolicy,
  type MasepEngineEvent,
  type MasepEngineOptions,
  type Policy,
} from '../../../src/actors/masep/index.js';

/** A test game that never runs out of steps on its own: a simultaneous and a turn-based grid. */
export const LONG_GRID = 'test.LongGrid';
export const LONG_GRID_TURNS = 'test.LongGridTurns';
export const testGames = createGameRegistry([
  createResourceGrid({ name: LONG_GRID, width: 9, height: 9, resources: 40, maxSteps: 40 }),
  createResourceGrid({ name: LONG_GRID_TURNS, coordination: 'turn', width: 9, height: 9, resources: 40, maxSteps: 40 }),
]);

/** Greedy moves, each after a short pause so that a running game does not hog the CPU. */
export const pacedGreedy: Policy = async (observation) => {
  await new Promise((resolve) => setTimeout(resolve, 2));
  return greedyPolicy(observation);
};

/** A 2-byte little-endian framed payload. */
export function frame(payload: string | Uint8Array): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : Buffer.from(payload);
  const header = Buffer.alloc(2);
  header.writeUInt16LE(body.length, 0);
  return Buffer.concat([header, body]);
}

/** The payloads framed in `bytes`, and how many bytes are left over. */
export function parseFrames(bytes: Buffer): { frames: Buffer[]; rest: number } {
  const frames: Buffer[] = [];
  let offset = 0;
  while (offset + 2 <= bytes.length) {
    const length = bytes.readUInt16LE(offset);
    if (offset + 2 + length > bytes.length) break;
    frames.push(bytes.subarray(offset + 2, offset + 2 + length));
    offset += 2 + length;
  }
  return { frames, rest: bytes.length - offset };
}

/** DEFINE, REGISTER, ACTION payloads as a byte-level peer writes them. */
export const raw = {
  define: (id: string, game: string) =>
    `<Message msg_type="define" src_sub_app="${id}"><dict><item key="game"><type>&lt;class '${game}'&gt;</type></item></dict></Message>`,
  register: (id: string, role: string, registeredId = id) =>
    `<Message msg_type="register" src_sub_app="${id}"><dict><item key="id"><str>${registeredId}</str></item><item key="queue_id"><int>0</int></item><item key="role"><str>${role}</str></item></dict></Message>`,
  move: (id: string, direction: string) =>
    `<Message msg_type="action" src_sub_app="${id}"><dict><item key="action"><Action type="1"><ActionParameter name="direction"><str>${direction}</str></ActionParameter></Action></item></dict></Message>`,
  quit: (id: string) => `<Message msg_type="quit" src_sub_app="${id}" />`,
};

/** A byte-level masep interface over a {@link RawPeer}. */
export class RawInterface {
  constructor(
    readonly peer: RawPeer,
    readonly id: string,
  ) {}

  static async connect(port: number, id: string): Promise<RawInterface> {
    return new RawInterface(await RawPeer.connect(port), id);
  }

  /** Sends our hello and waits for the engine's. */
  async hello(): Promise<string> {
    this.peer.write(frame(this.id));
    await this.peer.until((p) => parseFrames(p.bytes).frames.length >= 1, 5_000, 'engine hello');
    return parseFrames(this.peer.bytes).frames[0].toString('latin1');
  }

  send(payload: string | Uint8Array): void {
    this.peer.write(frame(payload));
  }

  /** Received payloads as text (the hello first). */
  get frames(): string[] {
    return parseFrames(this.peer.bytes).frames.map((f) => f.toString('latin1'));
  }

  /** Waits until a received payload satisfies `predicate`. */
  async waitForFrame(predicate: (payload: string) => boolean, what = 'frame'): Promise<string> {
    await this.peer.until((p) => parseFrames(p.bytes).frames.some((f) => predicate(f.toString('latin1'))), 5_000, what);
    return this.frames.find(predicate)!;
  }
}

/** The next engine event matching `predicate`. */
export function nextEvent<T extends MasepEngineEvent['type']>(
  events$: Observable<MasepEngineEvent>,
  type: T,
  predicate: (event: Extract<MasepEngineEvent, { type: T }>) => boolean = () => true,
): Promise<Extract<MasepEngineEvent, { type: T }>> {
  return firstValueFrom(
    events$.pipe(filter((e): e is Extract<MasepEngineEvent, { type: T }> => e.type === type && predicate(e as Extract<MasepEngineEvent, { type: T }>))),
  );
}

/** Resolves after the engine has taken `count` more steps. */
export function moreSteps(engine: MasepEngine, count: number): Promise<void> {
  const target = engine.stats().steps + count;
  return new Promise((resolve) => {
    if (engine.stats().steps >= target) resolve();
    const subscription = engine.events$.subscribe((event) => {
      if (event.type === 'step' && engine.stats().steps >= target) {
        queueMicrotask(() => subscription.unsubscribe());
        resolve();
      }
    });
  });
}

/** A TCP engine on port 0 with `agents` well-behaved TCP agents playing. */
export async function playingEngine(
  options: Partial<MasepEngineOptions> & { agents?: number; game?: string } = {},
): Promise<{ engine: MasepEngine; port: number; agents: MasepInterface[] }> {
  const count = options.agents ?? 2;
  const game = options.game ?? LONG_GRID;
  const engine = new MasepEngine({ games: testGames, port: 0, players: count, ...options, game });
  const { port } = await engine.listen();
  const agents: MasepInterface[] = [];
  for (let i = 0; i < count; i++) agents.push(await MasepInterface.connect({ game, port, policy: pacedGreedy }));
  await moreSteps(engine, 1);
  return { engine, port, agents };
}
