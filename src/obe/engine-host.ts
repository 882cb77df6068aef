import { pythonJsonDumps } from '../protocols/obe/python-json-encode.js';
import { PythonInt, type PythonJson } from '../protocols/obe/python-json-value.js';
import { ActorwireError } from '../errors.js';
import { availableParallelism } from 'node:os';
import { DEFAULT_POOL_MIN_PARTICLES, OptBayesExpt, OptBayesExptNoiseParameter, type Model, type OptBayesExptConfig } from './core/index.js';
import { loadModelModule } from './core/model-module.js';
import { ParticlePool } from './core/parallel/particle-pool.js';
import type { EngineCommand, EngineInit, EngineOutcome, NewrunGrid, NumberOrList } from './engine-commands.js';
import { SNAPSHOT_MAX_GRID_VALUES, type EngineCoreStats, type EngineSnapshotUpdate, type RunRead, type SnapshotRead } from './engine-snapshot.js';
import { BadArgumentError, NoRunError, ReplyTooLargeError, RunSpecError } from './errors.js';

/** The default reply budget: a getpar of about 2.5 million floats (e.g. 800 000 particles x 3). */
export const DEFAULT_MAX_REPLY_BYTES = 64 * 1024 * 1024;
/** What one float takes in a reply at most: Python's repr (up to 24 characters) and ", ". */
const BYTES_PER_FLOAT = 26;
import { knobValues, runRandomStreams, samplePrior, type KnobSpec, type RunSpec } from './run-spec.js';

const OK_BODY = Buffer.from('"OK"', 'latin1');

function body(value: PythonJson): Uint8Array {
  return Buffer.from(pythonJsonDumps(value), 'latin1');
}

/** A setting combination (optset/goodset): a value of allsettings, so an integer knob's entry is an int. */
function settingBody(setting: readonly number[], intKnobs: readonly boolean[] | undefined): Uint8Array {
  return body(intKnobs ? setting.map((v, s) => (intKnobs[s] ? new PythonInt(v) : v)) : setting);
}

/** A measurement must have one value per channel (σ may be one for all): NumPy would not broadcast a 3 onto a 1. */
function checkChannels(command: { readonly y: NumberOrList; readonly s: NumberOrList }, channels: number): void {
  const y = command.y;
  if (Array.isArray(y) && y.length !== channels) throw new BadArgumentError(`newdat: 'y' has ${y.length} values, the model has ${channels} channel${channels === 1 ? '' : 's'}`);
  const s = command.s;
  if (Array.isArray(s) && s.length !== channels && s.length !== 1) throw new BadArgumentError(`newdat: 's' has ${s.length} values, the model has ${channels} channel${channels === 1 ? '' : 's'}`);
}

/** Loads a model module (inside the worker): its named export, or its default export. */
function loadModel(spec: { module: string; export?: string }): Promise<Model> {
  return loadModelModule(spec, (message) => new RunSpecError(message));
}

/** A run: the engine plus what `newrun` needs to start the next one, and how replies type its values. */
interface Run {
  readonly spec: RunSpec;
  readonly prior: Float64Array[];
  readonly engine: OptBayesExpt;
  /** One flag per knob, true for an integer knob; undefined when every knob is float (the usual case). */
  readonly intKnobs: readonly boolean[] | undefined;
  /** The getcon reply, constants as given (ints stay ints). */
  readonly constantsText: string;
}

/** The core counters a snapshot carries (`EngineCoreStats`). */
function coreStats(engine: OptBayesExpt): EngineCoreStats {
  // n_eff is cached per weight state: the resample test after an update has computed it already.
  return { ...engine.stats(), arithmetic: engine.tuningParameters.arithmetic, threads: engine.threadsInUse, effectiveSampleSize: engine.effectiveSampleSize() };
}

function outcomeOf(compute: () => Uint8Array): EngineOutcome {
  try {
    return { ok: true, body: compute() };
  } catch (err) {
    return errorOutcome(err);
  }
}

function errorOutcome(err: unknown): EngineOutcome {
  const code = err instanceof ActorwireError ? err.code : 'ENGINE_ERROR';
  const message = err instanceof Error ? err.message : String(err);
  return { ok: false, code, message };
}

/**
 * The engine side of the OBE server, without any thread: holds the current run, executes
 * {@link EngineCommand}s one at a time and writes each reply body as Python's `json.dumps` would.
 * Any exception becomes an error outcome and leaves the run as it was. After each write the
 * worker publishes {@link snapshot}, which the actor answers reads from. The worker thread of an
 * {@link ObeEngineActor} runs one of these; tests can use it directly.
 */
export class EngineHost {
  private run: Run | undefined;
  private readonly init: EngineInit;
  /** Prior samples of the configured spec, drawn once (the demo reuses them for every newrun). */
  private basePrior: Float64Array[] | undefined;
  private readonly models = new Map<string, Model>();
  /** The run whose run reads the last snapshot carried (null: no run; undefined: none published yet). */
  private publishedRun: Run | null | undefined;
  /** Particle pools by thread count, started by the first run that uses one. */
  private readonly pools = new Map<number, Promise<ParticlePool>>();

  constructor(init: EngineInit) {
    this.init = init;
  }

  /** Starts the configured run when asked to; call once before the first command. */
  async start(): Promise<void> {
    if (this.init.startRun && this.init.baseSpec) this.run = await this.createRun(this.init.baseSpec, this.baseSamples(this.init.baseSpec));
  }

  /** True while a run exists. */
  get hasRun(): boolean {
    return this.run !== undefined;
  }

  /**
   * What read commands need of the current state, as the outcomes {@link execute} would give
   * (same bytes, same errors): getmean and getstd always, getset and getcon when the run changed
   * since the previous call. Deterministic (no random draws), so seeded runs do not depend on
   * when it is called. The core caches the moments, so a later getmean costs no second pass.
   */
  snapshot(): EngineSnapshotUpdate {
    const state = { getmean: this.read('getmean'), getstd: this.read('getstd') };
    const run = this.run ?? null;
    const core = run === null ? undefined : coreStats(run.engine);
    if (run === this.publishedRun) return core === undefined ? { state } : { state, core };
    this.publishedRun = run;
    const grid = run?.engine.allSettings;
    const gridValues = grid ? grid.length * (grid[0]?.length ?? 0) : 0;
    const runReads: { [op in RunRead]?: EngineOutcome } = { getcon: this.read('getcon') };
    if (gridValues <= SNAPSHOT_MAX_GRID_VALUES) runReads.getset = this.read('getset');
    return core === undefined ? { state, run: runReads } : { state, run: runReads, core };
  }

  /**
   * Executes one command. Never throws, never rejects. The outcome comes at once, except for
   * `newrun` and `startrun`, which may load a model module and return a promise of it.
   */
  execute(command: EngineCommand): EngineOutcome | Promise<EngineOutcome> {
    switch (command.op) {
      case 'newrun':
      case 'startrun':
        return this.replaceRun(command);
      default:
        return outcomeOf(() => this.dispatch(command));
    }
  }

  private async replaceRun(command: Extract<EngineCommand, { op: 'newrun' | 'startrun' }>): Promise<EngineOutcome> {
    try {
      const old = this.run;
      this.run = await (command.op === 'newrun' ? this.newrun(command.grid) : this.createRun(command.spec, samplePrior(command.spec, runRandomStreams(command.spec.seed).prior)));
      // Its shared memory goes back to the particle pool, for the runs to come.
      old?.engine.dispose();
      return { ok: true, body: OK_BODY };
    } catch (err) {
      return errorOutcome(err);
    }
  }

  private read(op: SnapshotRead): EngineOutcome {
    return outcomeOf(() => this.dispatch({ op }));
  }

  private baseSamples(spec: RunSpec): Float64Array[] {
    this.basePrior ??= samplePrior(spec, runRandomStreams(spec.seed).prior);
    return this.basePrior;
  }

  private async createRun(spec: RunSpec, prior: Float64Array[], settings: readonly KnobSpec[] = spec.settings): Promise<Run> {
    let model: Model | string;
    if (typeof spec.model === 'string') {
      model = spec.model;
    } else {
      const key = `${spec.model.module}#${spec.model.export ?? 'default'}`;
      model = this.models.get(key) ?? (await loadModel(spec.model));
      this.models.set(key, model);
    }
    const pool = await this.poolFor(spec, prior[0]?.length ?? 0);
    const config: OptBayesExptConfig = {
      model,
      settingValues: settings.map(knobValues),
      prior,
      constants: spec.constants,
      nDraws: spec.nDraws,
      choke: spec.choke,
      utilityMethod: spec.utility,
      selectionMethod: spec.selection,
      pickiness: spec.pickiness,
      defaultNoiseStd: spec.defaultNoiseStd,
      cost: spec.cost,
      ...spec.tuning,
      rng: runRandomStreams(spec.seed).engine,
      pool,
      poolMinParticles: this.init.poolMinParticles,
    };
    const engine = spec.noise ? new OptBayesExptNoiseParameter({ ...config, noiseParameterIndex: spec.noise.parameterIndex }) : new OptBayesExpt(config);
    if (pool !== undefined) await engine.attachPoolModel(typeof spec.model === 'string' ? { builtin: spec.model } : spec.model);
    // The engine stores every knob as Float64Array; int-ness only matters when writing replies.
    const intKnobs = settings === spec.settings ? spec.ints?.settings : undefined;
    const intConstants = spec.ints?.constants;
    const constants: PythonJson[] = (spec.constants ?? []).map((c, i) => (intConstants?.[i] ? new PythonInt(c) : c));
    return { spec, prior, engine, intKnobs: intKnobs?.some(Boolean) ? intKnobs : undefined, constantsText: pythonJsonDumps(constants) };
  }

  /**
   * The particle pool for a run of `n` particles: none below `poolMinParticles` or for one thread,
   * else the pool of the spec's thread count (at most the engine's `threads`), started on first use.
   */
  private async poolFor(spec: RunSpec, n: number): Promise<ParticlePool | undefined> {
    const limit = this.init.threads ?? availableParallelism();
    const threads = Math.min(spec.threads ?? limit, limit);
    if (threads <= 1 || n < (this.init.poolMinParticles ?? DEFAULT_POOL_MIN_PARTICLES)) return undefined;
    let pool = this.pools.get(threads);
    if (pool === undefined) {
      pool = ParticlePool.create({ threads });
      this.pools.set(threads, pool);
      // A pool that failed to start is forgotten, so the next run tries again.
      pool.catch(() => this.pools.delete(threads));
    }
    return pool;
  }

  /** Stops the particle pools (the worker's exit stops them too). */
  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.then((pool) => pool.close(), () => undefined)));
  }

  private requireRun(): Run {
    if (!this.run) throw new NoRunError();
    return this.run;
  }

  /** The configured run again, from the same prior samples, on the demo's grid if one is given. */
  private newrun(grid: NewrunGrid | undefined): Promise<Run> {
    const base = this.init.baseSpec;
    if (!base) throw new NoRunError('newrun: this server has no configured run; send newrun with a "spec"');
    if (!grid) return this.createRun(base, this.baseSamples(base));
    if (base.settings.length !== 1) throw new BadArgumentError('newrun: lolim/hilim/steps need a run with one setting knob');
    return this.createRun(base, this.baseSamples(base), [{ linspace: [grid.lolim, grid.hilim, grid.steps] }]);
  }

  /** Refuses a reply of `floats` numbers that would exceed the reply budget, before serialising it. */
  private checkReply(op: string, floats: number): void {
    const max = this.init.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
    const estimate = floats * BYTES_PER_FLOAT;
    if (estimate > max) {
      throw new ReplyTooLargeError(`${op}: the reply would be about ${Math.round(estimate / 1024 / 1024)} MiB, more than the server's limit of ${Math.round(max / 1024 / 1024)} MiB`);
    }
  }

  /** Every command but newrun/startrun (the ones that may load a model module), synchronously. */
  private dispatch(command: Exclude<EngineCommand, { op: 'newrun' | 'startrun' }>): Uint8Array {
    if (command.op === 'endrun') {
      this.run?.engine.dispose();
      this.run = undefined;
      return OK_BODY;
    }
    const run = this.requireRun();
    const engine = run.engine;
    switch (command.op) {
      case 'getset': {
        const grid = engine.allSettings;
        this.checkReply(command.op, grid.length * (grid[0]?.length ?? 0));
        const ints = run.intKnobs;
        if (!ints) return body(grid as Float64Array[]);
        // An integer knob's row holds NumPy ints; the others stay float rows.
        return body(grid.map((row, s) => (ints[s] ? Array.from(row, (v) => new PythonInt(v)) : row)));
      }
      case 'getpar':
      case 'getpdf':
        this.checkReply(command.op, engine.nParticles * engine.particles.length);
        return body(engine.particles as Float64Array[]);
      case 'getpdfw':
        this.checkReply(command.op, engine.nParticles * (engine.particles.length + 1));
        // [particles, weights], so that a Python client can `p, w = reply`.
        return body([engine.particles as Float64Array[], engine.weights]);
      case 'getcon':
        return Buffer.from(run.constantsText, 'latin1');
      case 'getwgt':
        this.checkReply(command.op, engine.nParticles);
        return body(engine.weights);
      case 'optset':
        return settingBody(engine.optSetting(), run.intKnobs);
      case 'goodset':
        return settingBody(engine.goodSetting(command.pickiness), run.intKnobs);
      case 'newdat':
        checkChannels(command, engine.nChannels);
        engine.pdfUpdate({ settings: command.x, y: command.y, sigma: command.s });
        return OK_BODY;
      case 'getmean':
        return body(engine.mean());
      case 'getstd':
        return body(engine.std());
      case 'getcov':
        return body(engine.covariance());
    }
  }
}
