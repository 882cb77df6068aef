import { pathToFileURL } from 'node:url';
import { pythonJsonDumps } from '../protocols/obe/python-json-encode.js';
import { jsonNumber, PythonInt, type PythonJson, type PythonJsonObject } from '../protocols/obe/python-json-value.js';
import { ActorwireError } from '../errors.js';
import { OptBayesExpt, OptBayesExptNoiseParameter, type Model, type OptBayesExptConfig } from './core/index.js';
import { isReadOnly, reviveEngineCommand, type EngineCommand, type EngineInit, type EngineOutcome } from './engine-commands.js';
import { BadArgumentError, NoRunError, RunSpecError } from './errors.js';
import { knobValues, parseRunSpec, runRandomStreams, samplePrior, type KnobSpec, type RunSpec } from './run-spec.js';

const OK_BODY = Buffer.from('"OK"', 'latin1');

function body(value: PythonJson): Uint8Array {
  return Buffer.from(pythonJsonDumps(value), 'latin1');
}

/** A setting combination (optset/goodset): a value of allsettings, so an integer knob's entry is an int. */
function settingBody(setting: readonly number[], intKnobs: readonly boolean[] | undefined): Uint8Array {
  return body(intKnobs ? setting.map((v, s) => (intKnobs[s] ? new PythonInt(v) : v)) : setting);
}

/** A number, or a list of numbers, from a request field. */
function numbers(value: PythonJson | undefined, field: string, command: string): number | number[] {
  const n = jsonNumber(value);
  if (n !== undefined) return n;
  if (Array.isArray(value)) {
    return value.map((v, i) => {
      const x = jsonNumber(v);
      if (x === undefined) throw new BadArgumentError(`${command}: '${field}'[${i}] must be a number`);
      return x;
    });
  }
  if (value === undefined) throw new BadArgumentError(`${command}: the request has no '${field}' key`);
  throw new BadArgumentError(`${command}: '${field}' must be a number or a list of numbers`);
}

/** Loads a model module (inside the worker): its named export, or its default export. */
async function loadModel(spec: { module: string; export?: string }): Promise<Model> {
  const url = spec.module.startsWith('file:') ? spec.module : pathToFileURL(spec.module).href;
  const mod = (await import(url)) as Record<string, unknown>;
  const m = mod[spec.export ?? 'default'];
  if (typeof m !== 'function' && (typeof m !== 'object' || m === null)) {
    throw new RunSpecError(`module ${spec.module} has no model export '${spec.export ?? 'default'}'`);
  }
  return m as Model;
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

/**
 * The engine side of the OBE server, without any thread: holds the current run, executes
 * {@link EngineCommand}s one at a time and writes each reply body as Python's `json.dumps` would.
 * Any exception becomes an error outcome and leaves the run as it was. The worker thread of an
 * {@link ObeEngineActor} runs one of these; tests can use it directly.
 */
export class EngineHost {
  private run: Run | undefined;
  private readonly init: EngineInit;
  /** Prior samples of the configured spec, drawn once (the demo reuses them for every newrun). */
  private basePrior: Float64Array[] | undefined;
  private readonly models = new Map<string, Model>();
  /** getmean/getstd values of the current state; cleared by every command that changes it. */
  private moments: { mean?: Float64Array; std?: Float64Array } = {};

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
   * Computes what getmean and getstd will return, ahead of the request. The worker calls it after
   * replying to a state change: the original client's step is newdat → getmean → getstd, each on
   * a new TCP connection, so the engine would otherwise sit idle while the client reconnects.
   * Deterministic (no random draws), so seeded runs do not depend on timing. Returns the two reply
   * bodies, which the worker also hands to its actor (see `ObeEngineActor`), or undefined without a run.
   */
  warmMoments(): { mean: Uint8Array; std: Uint8Array } | undefined {
    const engine = this.run?.engine;
    if (!engine) return undefined;
    this.moments.mean ??= engine.mean();
    this.moments.std ??= engine.std();
    return { mean: body(this.moments.mean), std: body(this.moments.std) };
  }

  /** Executes one command. Never throws. */
  async execute(command: EngineCommand): Promise<EngineOutcome> {
    if (!isReadOnly(command.op)) this.moments = {};
    try {
      return { ok: true, body: await this.dispatch(reviveEngineCommand(command)) };
    } catch (err) {
      const code = err instanceof ActorwireError ? err.code : 'ENGINE_ERROR';
      const message = err instanceof Error ? err.message : String(err);
      return { ok: false, code, message };
    }
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
    };
    const engine = spec.noise ? new OptBayesExptNoiseParameter({ ...config, noiseParameterIndex: spec.noise.parameterIndex }) : new OptBayesExpt(config);
    // The engine stores every knob as Float64Array; int-ness only matters when writing replies.
    const intKnobs = settings === spec.settings ? spec.ints?.settings : undefined;
    const intConstants = spec.ints?.constants;
    const constants: PythonJson[] = (spec.constants ?? []).map((c, i) => (intConstants?.[i] ? new PythonInt(c) : c));
    return { spec, prior, engine, intKnobs: intKnobs?.some(Boolean) ? intKnobs : undefined, constantsText: pythonJsonDumps(constants) };
  }

  private requireRun(): Run {
    if (!this.run) throw new NoRunError();
    return this.run;
  }

  private async newrun(message: PythonJsonObject): Promise<void> {
    if (Object.hasOwn(message, 'spec')) {
      const spec = parseRunSpec(message.spec, { allowModules: false });
      this.run = await this.createRun(spec, samplePrior(spec, runRandomStreams(spec.seed).prior));
      return;
    }
    const base = this.init.baseSpec;
    const keys = ['lolim', 'hilim', 'steps'].filter((k) => Object.hasOwn(message, k));
    if (!base) throw new NoRunError('newrun: this server has no configured run; send newrun with a "spec"');
    if (keys.length === 0) {
      this.run = await this.createRun(base, this.baseSamples(base));
      return;
    }
    // The server demo's hook: a fresh engine on linspace(lolim, hilim, steps) from the same prior.
    const lolim = jsonNumber(message.lolim);
    const hilim = jsonNumber(message.hilim);
    const steps = jsonNumber(message.steps);
    if (lolim === undefined || !Number.isFinite(lolim)) throw new BadArgumentError("newrun: 'lolim' must be a number");
    if (hilim === undefined || !Number.isFinite(hilim)) throw new BadArgumentError("newrun: 'hilim' must be a number");
    if (steps === undefined || !Number.isInteger(steps) || steps < 1) throw new BadArgumentError("newrun: 'steps' must be a positive integer");
    if (base.settings.length !== 1) throw new BadArgumentError('newrun: lolim/hilim/steps need a run with one setting knob');
    this.run = await this.createRun(base, this.baseSamples(base), [{ linspace: [lolim, hilim, steps] }]);
  }

  private async dispatch(command: EngineCommand): Promise<Uint8Array> {
    switch (command.op) {
      case 'newrun':
        await this.newrun(command.message);
        return OK_BODY;
      case 'startrun':
        this.run = await this.createRun(command.spec, samplePrior(command.spec, runRandomStreams(command.spec.seed).prior));
        return OK_BODY;
      case 'endrun':
        this.run = undefined;
        return OK_BODY;
      default:
    }
    const run = this.requireRun();
    const engine = run.engine;
    switch (command.op) {
      case 'getset': {
        const grid = engine.allSettings;
        const ints = run.intKnobs;
        if (!ints) return body(grid as Float64Array[]);
        // An integer knob's row holds NumPy ints; the others stay float rows.
        return body(grid.map((row, s) => (ints[s] ? Array.from(row, (v) => new PythonInt(v)) : row)));
      }
      case 'getpar':
      case 'getpdf':
        return body(engine.particles as Float64Array[]);
      case 'getpdfw':
        // [particles, weights], so that a Python client can `p, w = reply`.
        return body([engine.particles as Float64Array[], engine.weights]);
      case 'getcon':
        return Buffer.from(run.constantsText, 'latin1');
      case 'getwgt':
        return body(engine.weights);
      case 'optset':
        return settingBody(engine.optSetting(), run.intKnobs);
      case 'goodset': {
        const p = command.pickiness;
        if (p !== undefined && p !== null && jsonNumber(p) === undefined) throw new BadArgumentError("goodset: 'pickiness' must be a number or null");
        return settingBody(engine.goodSetting(p === undefined || p === null ? undefined : jsonNumber(p)), run.intKnobs);
      }
      case 'newdat': {
        const x = numbers(command.x, 'x', 'newdat');
        const y = numbers(command.y, 'y', 'newdat');
        const s = numbers(command.s, 's', 'newdat');
        engine.pdfUpdate({ settings: x, y, sigma: s });
        return OK_BODY;
      }
      case 'getmean':
        return body((this.moments.mean ??= engine.mean()));
      case 'getstd':
        return body((this.moments.std ??= engine.std()));
      case 'getcov':
        return body(engine.covariance());
    }
  }
}
