import { isAbsolute, resolve } from 'node:path';
import {
  BUILTIN_MODELS,
  linspace,
  SELECTION_METHODS,
  UTILITY_METHODS,
  Xoshiro128StarStar,
  type RandomSource,
  type SelectionMethod,
  type UtilityMethod,
} from './core/index.js';
import { PythonInt } from '../protocols/obe/python-json-value.js';
import { RunSpecError } from './errors.js';

/**
 * One setting knob: its values as a list, or `{"linspace": [start, stop, n]}` (NumPy `linspace`),
 * or `{"logspace": [startExp, stopExp, n]}` (NumPy `logspace`, base 10: `[2, 6, 5]` is 1e2..1e6).
 */
export type KnobSpec = readonly number[] | { readonly linspace: readonly [number, number, number] } | { readonly logspace: readonly [number, number, number] };

/**
 * The prior of one parameter, a named distribution:
 * `{"dist": "uniform", "low", "high"}`, `{"dist": "normal", "mean", "std"}`,
 * `{"dist": "lognormal", "mean", "sigma"}` (of the underlying normal, as NumPy's), or
 * `{"dist": "exponential", "scale"}`, or explicit particle values `{"dist": "samples", "values": [...]}`
 * (one per particle; `particles` then defaults to their count). `name` only documents the parameter.
 */
export type PriorSpec =
  | { readonly dist: 'uniform'; readonly low: number; readonly high: number; readonly name?: string }
  | { readonly dist: 'normal'; readonly mean: number; readonly std: number; readonly name?: string }
  | { readonly dist: 'lognormal'; readonly mean: number; readonly sigma: number; readonly name?: string }
  | { readonly dist: 'exponential'; readonly scale: number; readonly name?: string }
  | { readonly dist: 'samples'; readonly values: readonly number[]; readonly name?: string };

/** A model: a built-in name, or a module (loaded inside the worker) and its export. */
export type ModelSpec = string | { readonly module: string; readonly export?: string };

/**
 * A run without code: everything the OBE engine needs, as plain JSON (for `--config run.json`
 * and `{"command": "newrun", "spec": {...}}`).
 *
 * @example
 * ```json
 * {
 *   "model": "lorentzian-dip",
 *   "settings": [{ "linspace": [2, 3, 200] }],
 *   "prior": [
 *     { "name": "f0", "dist": "uniform", "low": 1.5, "high": 3.5 },
 *     { "name": "A", "dist": "uniform", "low": 0.01, "high": 0.1 },
 *     { "name": "lw", "dist": "uniform", "low": 0.003, "high": 0.05 }
 *   ],
 *   "particles": 10000,
 *   "tuning": { "scale": false },
 *   "seed": 1
 * }
 * ```
 */
export interface RunSpec {
  readonly model: ModelSpec;
  /** One entry per setting knob. */
  readonly settings: readonly KnobSpec[];
  /** One entry per model parameter. */
  readonly prior: readonly PriorSpec[];
  /** N, the number of particles. Default 10 000. */
  readonly particles?: number;
  /** Model constants. Default `[]`. */
  readonly constants?: readonly number[];
  /** Default `variance_approx`. */
  readonly utility?: UtilityMethod;
  /** Default `optimal`. */
  readonly selection?: SelectionMethod;
  /** Default pickiness of goodset. Default 15. */
  readonly pickiness?: number;
  /** K, parameter draws per utility evaluation. Default 30. */
  readonly nDraws?: number;
  /** Likelihood exponent, or null. Default null. */
  readonly choke?: number | null;
  /** Noise std assumed by the utility (number, or one per channel). Default 1. */
  readonly defaultNoiseStd?: number | readonly number[];
  /** Measurement cost (number, or one per grid point). Default 1. */
  readonly cost?: number | readonly number[];
  /** ParticlePDF tuning. Defaults as the original (`scale` true; the demos use false). */
  readonly tuning?: {
    readonly aParam?: number;
    readonly resampleThreshold?: number;
    readonly autoResample?: boolean;
    readonly scale?: boolean;
    readonly resampleScheme?: 'multinomial' | 'systematic';
    /**
     * The update's arithmetic: `original` (default; NumPy's bits up to `exp`) or `fast` (log space,
     * about 1e-15 relative from it; docs/OBE-NUMERICS.md).
     */
    readonly arithmetic?: 'original' | 'fast';
  };
  /**
   * Threads for the particle loops (docs/OBE-NUMERICS.md, "The particle pool"), at most the
   * engine's limit (the server's `threads`, by default the number of cores). Results are the same
   * bits for any count. Default: the engine's.
   */
  readonly threads?: number;
  /**
   * Noise as a model parameter (OptBayesExptNoiseParameter): the index of the σ parameter, one per
   * channel. Absent: σ comes with each measurement (`s` of newdat).
   */
  readonly noise?: { readonly parameterIndex: number | readonly number[] };
  /** Seed of the prior draw and the engine's RNG. Default: from OS entropy. */
  readonly seed?: number;
  /** Which values are Python ints (replies write them as `2`, not `2.0`). Default: none. */
  readonly ints?: RunSpecInts;
}

/**
 * Which values of a run spec are Python ints. The engine computes with numbers either way; this
 * only decides how replies write them, as the original's `json.dumps` would: `getcon` echoes each
 * constant as given, and `getset`/`optset`/`goodset` write an integer knob's values as ints (NumPy
 * keeps an all-int axis int; one float makes it float; linspace/logspace are floats).
 * {@link parseRunSpec} sets it from values parsed as {@link PythonInt} (`pythonJsonLoads(text,
 * { keepInts: true })`, as the OBE server reads requests, then parses a `newrun` spec at its
 * boundary, see `parseEngineCommand`); a spec built in code may set it, and parsing a spec keeps
 * the flags it already has. Plain booleans, so the spec itself survives a structured clone.
 */
export interface RunSpecInts {
  /** One flag per constant: true for an int. */
  readonly constants?: readonly boolean[];
  /** One flag per knob: true for a list of ints. */
  readonly settings?: readonly boolean[];
}

/** Default number of particles of a run spec. */
export const DEFAULT_PARTICLES = 10_000;

/**
 * The run of the original's server demo (`demos/server/server_script.py`): the Lorentzian dip,
 * f0 ~ U(1.5, 3.5), A ~ U(0.01, 0.1), lw ~ U(0.003, 0.05), 10 000 particles, `scale=False`, and a
 * default grid of 1 000 points over [2.4, 2.6] (the demo client's `newrun` replaces it).
 */
export const DEMO_RUN_SPEC: RunSpec = Object.freeze<RunSpec>({
  model: 'lorentzian-dip',
  settings: [{ linspace: [2.4, 2.6, 1000] }],
  prior: [
    { name: 'f0', dist: 'uniform', low: 1.5, high: 3.5 },
    { name: 'A', dist: 'uniform', low: 0.01, high: 0.1 },
    { name: 'lw', dist: 'uniform', low: 0.003, high: 0.05 },
  ],
  particles: DEFAULT_PARTICLES,
  tuning: { scale: false },
});

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(v: Json, path: string, check?: (n: number) => boolean, what = 'a finite number'): number {
  const n = typeof v === 'object' && v !== null && 'value' in v && typeof (v as { value: unknown }).value === 'number' ? (v as { value: number }).value : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || (check && !check(n))) throw new RunSpecError(`${path} must be ${what}, got ${JSON.stringify(v)}`);
  return n;
}

const positiveInt = (n: number): boolean => Number.isInteger(n) && n > 0;

/**
 * The `ints` flags of one list (constants, or knobs): the flags given, validated, or'ed with the
 * entries written as JSON ints. `integral[i]` says whether entry i can be an int at all.
 */
function intFlags(given: Json, written: readonly boolean[], integral: readonly boolean[], path: string): boolean[] | undefined {
  if (given !== undefined) {
    if (!Array.isArray(given) || given.length !== integral.length || !given.every((f) => typeof f === 'boolean')) {
      throw new RunSpecError(`${path} must be a list of ${integral.length} booleans`);
    }
    given.forEach((flag, i) => {
      if (flag && !integral[i]) throw new RunSpecError(`${path}[${i}] marks a non-integer value as int`);
    });
  }
  const flags = integral.map((_, i) => (Array.isArray(given) && given[i] === true) || written[i]);
  return flags.some(Boolean) ? flags : undefined;
}

function numList(v: Json, path: string): number[] {
  if (!Array.isArray(v)) throw new RunSpecError(`${path} must be a list of numbers`);
  return v.map((x, i) => num(x, `${path}[${i}]`));
}

function knob(v: Json, path: string): KnobSpec {
  if (Array.isArray(v)) {
    if (v.length === 0) throw new RunSpecError(`${path} needs at least one value`);
    return numList(v, path);
  }
  if (isObject(v)) {
    for (const kind of ['linspace', 'logspace'] as const) {
      if (!(kind in v)) continue;
      const args = v[kind];
      if (!Array.isArray(args) || args.length !== 3) throw new RunSpecError(`${path}.${kind} must be [start, stop, n]`);
      // A logspace's ends are exponents of 10: past 308 they reach Infinity (or underflow to 0 below -323).
      const end = kind === 'logspace' ? (e: number) => e >= -323 && e <= 308 : undefined;
      const what = kind === 'logspace' ? 'an exponent from -323 to 308' : 'a finite number';
      const triple = [num(args[0], `${path}.${kind}[0]`, end, what), num(args[1], `${path}.${kind}[1]`, end, what), num(args[2], `${path}.${kind}[2]`, positiveInt, 'a positive integer')] as const;
      return kind === 'linspace' ? { linspace: triple } : { logspace: triple };
    }
  }
  throw new RunSpecError(`${path} must be a list of values, {"linspace": [start, stop, n]} or {"logspace": [start, stop, n]}`);
}

function prior(v: Json, path: string): PriorSpec {
  if (!isObject(v)) throw new RunSpecError(`${path} must be an object like {"dist": "uniform", "low": 0, "high": 1}`);
  const name = v.name === undefined ? {} : { name: String(v.name) };
  switch (v.dist) {
    case 'uniform': {
      const low = num(v.low, `${path}.low`);
      const high = num(v.high, `${path}.high`, (h) => h >= low, `a number >= low`);
      return { dist: 'uniform', low, high, ...name };
    }
    case 'normal':
      return { dist: 'normal', mean: num(v.mean, `${path}.mean`), std: num(v.std, `${path}.std`, (s) => s >= 0, 'a number >= 0'), ...name };
    case 'lognormal':
      return { dist: 'lognormal', mean: num(v.mean, `${path}.mean`), sigma: num(v.sigma, `${path}.sigma`, (s) => s >= 0, 'a number >= 0'), ...name };
    case 'exponential':
      return { dist: 'exponential', scale: num(v.scale, `${path}.scale`, (s) => s > 0, 'a number > 0'), ...name };
    case 'samples': {
      const values = numList(v.values, `${path}.values`);
      if (values.length === 0) throw new RunSpecError(`${path}.values needs at least one value`);
      return { dist: 'samples', values, ...name };
    }
    default:
      throw new RunSpecError(`${path}.dist must be one of uniform, normal, lognormal, exponential, samples, got ${JSON.stringify(v.dist)}`);
  }
}

function oneOf<T extends string>(v: Json, path: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !allowed.includes(v as T)) throw new RunSpecError(`${path} must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

function numOrList(v: Json, path: string): number | number[] {
  return Array.isArray(v) ? numList(v, path) : num(v, path);
}

const KNOWN_KEYS = new Set(['model', 'settings', 'prior', 'particles', 'constants', 'utility', 'selection', 'pickiness', 'nDraws', 'choke', 'defaultNoiseStd', 'cost', 'tuning', 'noise', 'seed', 'ints', 'description', 'threads']);

/** Options of {@link parseRunSpec}. */
export interface ParseRunSpecOptions {
  /** Directory that a relative model module path is resolved against. Default: the working directory. */
  baseDir?: string;
  /** Allow `{"module": ...}` models (config files: yes; `newrun` messages from the wire: no). Default true. */
  allowModules?: boolean;
}

/**
 * Validates a run spec (from a config file or a `newrun` message) and returns it typed, with module
 * paths made absolute. Unknown keys are rejected so that typos do not pass silently.
 * @throws {@link RunSpecError} naming the offending field.
 */
export function parseRunSpec(value: Json, options: ParseRunSpecOptions = {}): RunSpec {
  if (!isObject(value)) throw new RunSpecError('a run spec must be a JSON object');
  for (const key of Object.keys(value)) if (!KNOWN_KEYS.has(key)) throw new RunSpecError(`unknown run spec key '${key}'`);
  let model: ModelSpec;
  if (typeof value.model === 'string') {
    if (!Object.hasOwn(BUILTIN_MODELS, value.model)) throw new RunSpecError(`unknown model '${value.model}'; built-in models: ${Object.keys(BUILTIN_MODELS).join(', ')}`);
    model = value.model;
  } else if (isObject(value.model) && typeof value.model.module === 'string') {
    if (options.allowModules === false) throw new RunSpecError('model modules can only be given in a config file, not over the wire');
    const path = value.model.module;
    const abs = path.startsWith('file:') || isAbsolute(path) ? path : resolve(options.baseDir ?? process.cwd(), path);
    model = value.model.export === undefined ? { module: abs } : { module: abs, export: String(value.model.export) };
  } else {
    throw new RunSpecError('model must be a built-in model name or {"module": "path", "export": "name"}');
  }
  if (!Array.isArray(value.settings) || value.settings.length === 0) throw new RunSpecError('settings must be a non-empty list of knobs');
  const settings = value.settings.map((k, i) => knob(k, `settings[${i}]`));
  if (!Array.isArray(value.prior) || value.prior.length === 0) throw new RunSpecError('prior must be a non-empty list, one distribution per parameter');
  const priors = value.prior.map((p, i) => prior(p, `prior[${i}]`));
  const spec: Record<string, unknown> = { model, settings, prior: priors };
  if (value.particles !== undefined) spec.particles = num(value.particles, 'particles', positiveInt, 'a positive integer');
  const sampled = priors.filter((p) => p.dist === 'samples').map((p) => (p as { values: readonly number[] }).values.length);
  if (sampled.length > 0) {
    spec.particles ??= sampled[0];
    if (sampled.some((n) => n !== spec.particles)) throw new RunSpecError(`every "samples" prior needs exactly ${String(spec.particles)} values (one per particle)`);
  }
  if (value.constants !== undefined) spec.constants = numList(value.constants, 'constants');
  if (value.utility !== undefined) spec.utility = oneOf(value.utility, 'utility', UTILITY_METHODS);
  if (value.selection !== undefined) spec.selection = oneOf(value.selection, 'selection', SELECTION_METHODS);
  if (value.pickiness !== undefined) spec.pickiness = num(value.pickiness, 'pickiness', (p) => p >= 0, 'a number >= 0');
  if (value.nDraws !== undefined) spec.nDraws = num(value.nDraws, 'nDraws', positiveInt, 'a positive integer');
  if (value.choke !== undefined) spec.choke = value.choke === null ? null : num(value.choke, 'choke', (c) => c >= 0, 'a number >= 0');
  if (value.defaultNoiseStd !== undefined) spec.defaultNoiseStd = numOrList(value.defaultNoiseStd, 'defaultNoiseStd');
  if (value.cost !== undefined) spec.cost = numOrList(value.cost, 'cost');
  if (value.tuning !== undefined) {
    const t = value.tuning;
    if (!isObject(t)) throw new RunSpecError('tuning must be an object');
    const tuning: Record<string, unknown> = {};
    for (const key of Object.keys(t)) {
      switch (key) {
        case 'aParam':
          tuning.aParam = num(t.aParam, 'tuning.aParam', (a) => a >= 0 && a <= 1, 'a number in [0, 1]');
          break;
        case 'resampleThreshold':
          tuning.resampleThreshold = num(t.resampleThreshold, 'tuning.resampleThreshold');
          break;
        case 'autoResample':
        case 'scale':
          if (typeof t[key] !== 'boolean') throw new RunSpecError(`tuning.${key} must be true or false`);
          tuning[key] = t[key];
          break;
        case 'resampleScheme':
          tuning.resampleScheme = oneOf(t.resampleScheme, 'tuning.resampleScheme', ['multinomial', 'systematic'] as const);
          break;
        case 'arithmetic':
          tuning.arithmetic = oneOf(t.arithmetic, 'tuning.arithmetic', ['original', 'fast'] as const);
          break;
        default:
          throw new RunSpecError(`unknown tuning key '${key}'`);
      }
    }
    spec.tuning = tuning;
  }
  if (value.noise !== undefined) {
    if (!isObject(value.noise) || value.noise.parameterIndex === undefined) throw new RunSpecError('noise must be {"parameterIndex": i} (or a list, one per channel)');
    const idx = value.noise.parameterIndex;
    const check = (i: Json, path: string): number => num(i, path, (n) => Number.isInteger(n) && n >= 0 && n < priors.length, `a parameter index 0..${priors.length - 1}`);
    spec.noise = { parameterIndex: Array.isArray(idx) ? idx.map((i, k) => check(i, `noise.parameterIndex[${k}]`)) : check(idx, 'noise.parameterIndex') };
  }
  if (value.seed !== undefined) spec.seed = num(value.seed, 'seed', Number.isSafeInteger, 'a safe integer');
  if (value.threads !== undefined) spec.threads = num(value.threads, 'threads', (n) => Number.isInteger(n) && n >= 1 && n <= 256, 'an integer in [1, 256]');
  const ints = value.ints ?? {};
  if (!isObject(ints)) throw new RunSpecError('ints must be an object like {"constants": [true], "settings": [false]}');
  for (const key of Object.keys(ints)) if (key !== 'constants' && key !== 'settings') throw new RunSpecError(`unknown ints key '${key}'`);
  const constants = (spec.constants ?? []) as number[];
  const rawConstants = Array.isArray(value.constants) ? value.constants : [];
  const intConstants = intFlags(ints.constants, rawConstants.map((c) => c instanceof PythonInt), constants.map(Number.isInteger), 'ints.constants');
  // A knob is int only if every value was written as an int (NumPy's common type); ranges are float.
  const writtenKnobs = value.settings.map((k) => Array.isArray(k) && k.every((x) => x instanceof PythonInt));
  const integralKnobs = settings.map((k) => Array.isArray(k) && (k as readonly number[]).every(Number.isInteger));
  const intKnobs = intFlags(ints.settings, writtenKnobs, integralKnobs, 'ints.settings');
  if (intConstants || intKnobs) spec.ints = { ...(intConstants ? { constants: intConstants } : {}), ...(intKnobs ? { settings: intKnobs } : {}) };
  return spec as unknown as RunSpec;
}

/** The values of one knob. */
export function knobValues(knob: KnobSpec): Float64Array {
  if (Array.isArray(knob)) return Float64Array.from(knob as readonly number[]);
  if ('linspace' in knob) {
    const [a, b, n] = knob.linspace;
    return linspace(a, b, n);
  }
  const [a, b, n] = (knob as { logspace: readonly [number, number, number] }).logspace;
  return linspace(a, b, n).map((e) => 10 ** e);
}

/** Draws `n` samples of one prior distribution. */
export function drawPrior(spec: PriorSpec, n: number, rng: RandomSource): Float64Array {
  const out = new Float64Array(n);
  switch (spec.dist) {
    case 'uniform':
      for (let i = 0; i < n; i++) out[i] = spec.low + (spec.high - spec.low) * rng.nextDouble();
      break;
    case 'normal':
      for (let i = 0; i < n; i++) out[i] = spec.mean + spec.std * rng.nextNormal();
      break;
    case 'lognormal':
      for (let i = 0; i < n; i++) out[i] = Math.exp(spec.mean + spec.sigma * rng.nextNormal());
      break;
    case 'exponential':
      for (let i = 0; i < n; i++) out[i] = -spec.scale * Math.log(1 - rng.nextDouble());
      break;
    case 'samples':
      if (spec.values.length !== n) throw new RunSpecError(`a "samples" prior has ${spec.values.length} values for ${n} particles`);
      out.set(spec.values);
      break;
  }
  return out;
}

/** The random streams of a run: one for the prior draw, one for the engine (non-overlapping). */
export function runRandomStreams(seed: number | undefined): { prior: Xoshiro128StarStar; engine: Xoshiro128StarStar } {
  const prior = seed === undefined ? Xoshiro128StarStar.fromEntropy() : new Xoshiro128StarStar(seed);
  const engine = seed === undefined ? Xoshiro128StarStar.fromEntropy() : new Xoshiro128StarStar(seed);
  if (seed !== undefined) engine.jump();
  return { prior, engine };
}

/** The prior samples of a spec, `D × N`. */
export function samplePrior(spec: RunSpec, rng: RandomSource): Float64Array[] {
  const sampled = spec.prior.find((p) => p.dist === 'samples') as { values: readonly number[] } | undefined;
  const n = spec.particles ?? sampled?.values.length ?? DEFAULT_PARTICLES;
  return spec.prior.map((p) => drawPrior(p, n, rng));
}
