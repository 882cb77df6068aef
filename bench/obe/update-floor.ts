/**
 * The floor of the default path's `pdf_update` for `npm run bench:obe` (docs/OBE-NUMERICS.md,
 * "Measured speed"): the least arithmetic one update of the Lorentzian workload needs per particle,
 * in the fastest form Node offers (WebAssembly SIMD, two doubles per instruction, compiled here from
 * text with wabt), with none of the engine's bookkeeping:
 * - pass 1, 128 particles at a time: the model `1 − A·lw²/((2(f − f0))² + lw²)` (one division),
 *   `q = (y_model − y)/σ`, `e^(−q²/2)` by a polynomial without table lookups, `L = e/σ`,
 *   `w·L` with nan_to_num, stored, and summed in eight chains per leaf;
 * - pass 2: `w' = tmp/Σ` and the leaves of `w'²`.
 * Its `exp` is within about 1 ulp, not the engine's bits, and arguments below −708 are not
 * handled: it is a lower bound on what an exact implementation costs, not one.
 */
import { argv } from 'node:process';
import { fileURLToPath } from 'node:url';
import wabt from 'wabt';
import { createWorkload, TRUTH } from './lorentzian-workload.js';

/** The slice of the WebAssembly API used here (the project's TypeScript lib has no DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  instantiate(bytes: Uint8Array): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const LEAF = 128;

/** Two doubles of `name` at particle pair `pair` of the current 8-particle group. */
function load(base: string, pair: number): string {
  return `(v128.load offset=${16 * pair} (i32.add (local.get $${base}) (local.get $i)))`;
}

/** Pass 1 for pair `pair` of the group: leaves the products in $v and stores them. */
function products(pair: number): string {
  return `
    (local.set $x (f64x2.mul (f64x2.sub (local.get $F) ${load('f0', pair)}) (f64x2.splat (f64.const 2))))
    (local.set $l ${load('lw', pair)})
    (local.set $v (f64x2.sub (f64x2.splat (f64.const 1))
      (f64x2.div (f64x2.mul (f64x2.mul ${load('a', pair)} (local.get $l)) (local.get $l))
        (f64x2.add (f64x2.mul (local.get $x) (local.get $x)) (f64x2.mul (local.get $l) (local.get $l))))))
    (local.set $q (f64x2.div (f64x2.sub (local.get $v) (local.get $Y)) (local.get $S)))
    (local.set $v (f64x2.mul ${load('w', pair)}
      (f64x2.div ${exp('(f64x2.max (f64x2.mul (f64x2.neg (f64x2.mul (local.get $q) (local.get $q))) (f64x2.splat (f64.const 0.5))) (f64x2.splat (f64.const -708)))')} (local.get $S))))
    (local.set $v (v128.and (f64x2.gt (local.get $v) (v128.const i64x2 0 0)) (f64x2.min (local.get $v) (f64x2.splat (f64.const 1.7976931348623157e308)))))
    (v128.store offset=${16 * pair} (i32.add (local.get $tmp) (local.get $i)) (local.get $v))
    (local.set $r${pair} (f64x2.add (local.get $r${pair}) (local.get $v)))`;
}

/** Pass 2 for pair `pair`: w' = tmp/Σ stored, w'² into chain `pair`. */
function normalise(pair: number): string {
  return `
    (local.set $v (f64x2.div ${load('tmp', pair)} (local.get $T)))
    (v128.store offset=${16 * pair} (i32.add (local.get $w) (local.get $i)) (local.get $v))
    (local.set $r${pair} (f64x2.add (local.get $r${pair}) (f64x2.mul (local.get $v) (local.get $v))))`;
}

const TAYLOR = Array.from({ length: 14 }, (_, k) => {
  let f = 1;
  for (let j = 2; j <= k; j++) f *= j;
  return 1 / f;
});

/**
 * e^t for t in [−708, 0], inline (no call per pair): t = n·ln2 + r, e^r by the degree-13 Taylor
 * polynomial in Estrin's form (a short dependency chain: Horner's form measured 20 % slower), times
 * 2^n built in the exponent field.
 */
function exp(t: string): string {
  const c = (k: number) => `(f64x2.splat (f64.const ${TAYLOR[k]}))`;
  const g = (name: string) => `(local.get $${name})`;
  const lin = (k: number) => `(f64x2.add ${c(k)} (f64x2.mul ${c(k + 1)} ${g('r')}))`;
  const estrin = `(f64x2.add
        (f64x2.add (f64x2.add ${lin(0)} (f64x2.mul ${lin(2)} ${g('rr2')})) (f64x2.mul (f64x2.add ${lin(4)} (f64x2.mul ${lin(6)} ${g('rr2')})) ${g('rr4')}))
        (f64x2.mul (f64x2.add (f64x2.add ${lin(8)} (f64x2.mul ${lin(10)} ${g('rr2')})) (f64x2.mul ${lin(12)} ${g('rr4')})) (f64x2.mul ${g('rr4')} ${g('rr4')})))`;
  return `(block (result v128)
      (local.set $t ${t})
      (local.set $nf (f64x2.sub (f64x2.add (f64x2.mul (local.get $t) (f64x2.splat (f64.const ${Math.LOG2E})))
        (f64x2.splat (f64.const 6755399441055744))) (f64x2.splat (f64.const 6755399441055744))))
      (local.set $r (f64x2.sub (f64x2.sub (local.get $t) (f64x2.mul (local.get $nf) (f64x2.splat (f64.const 0.6931471803691238))))
        (f64x2.mul (local.get $nf) (f64x2.splat (f64.const 1.9082149292705877e-10)))))
      (local.set $rr2 (f64x2.mul ${g('r')} ${g('r')}))
      (local.set $rr4 (f64x2.mul ${g('rr2')} ${g('rr2')}))
      (f64x2.mul ${estrin}
        (i64x2.shl (i64x2.add (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero (local.get $nf))) (i64x2.splat (i64.const 1023))) (i32.const 52))))`;
}

const sumChains = '(local.set $r0 (f64x2.add (f64x2.add (local.get $r0) (local.get $r1)) (f64x2.add (local.get $r2) (local.get $r3))))';
const zeroChains = [0, 1, 2, 3].map((k) => `(local.set $r${k} (v128.const i64x2 0 0))`).join(' ');
const laneSum = '(f64.add (f64x2.extract_lane 0 (local.get $r0)) (f64x2.extract_lane 1 (local.get $r0)))';

/**
 * A pass over the particles, leaf by leaf: `pair(k)` for the four pairs of each group of eight
 * particles, chains k summed per leaf into the row at `$target`, then `after`.
 */
function overLeaves(label: string, pair: (k: number) => string, target: string, after: string): string {
  return `(loop $${label}
      (local.set $end (i32.add (local.get $i) (i32.const ${8 * LEAF})))
      ${zeroChains}
      (loop $${label}groups
        ${[0, 1, 2, 3].map(pair).join('')}
        (local.set $i (i32.add (local.get $i) (i32.const 64)))
        (br_if $${label}groups (i32.lt_u (local.get $i) (local.get $end))))
      ${sumChains}
      (f64.store (i32.add (local.get $${target}) (local.get $leaf)) ${laneSum})
      ${after}
      (local.set $leaf (i32.add (local.get $leaf) (i32.const 8)))
      (br_if $${label} (i32.lt_u (local.get $i) (i32.shl (local.get $n) (i32.const 3)))))`;
}

const WAT = `(module
  (memory (export "memory") 1)
  (func (export "update") (param $n i32) (param $f f64) (param $y f64) (param $sigma f64)
    (param $f0 i32) (param $a i32) (param $lw i32) (param $w i32) (param $tmp i32) (param $sums i32) (param $squares i32) (result f64)
    (local $i i32) (local $end i32) (local $leaf i32) (local $total f64)
    (local $F v128) (local $Y v128) (local $S v128) (local $T v128) (local $x v128) (local $l v128) (local $q v128) (local $v v128)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $t v128) (local $nf v128) (local $r v128) (local $rr2 v128) (local $rr4 v128)
    (local.set $F (f64x2.splat (local.get $f)))
    (local.set $Y (f64x2.splat (local.get $y)))
    (local.set $S (f64x2.splat (local.get $sigma)))
    ${overLeaves('pass1', products, 'sums', '(local.set $total (f64.add (local.get $total) (f64.load (i32.add (local.get $sums) (local.get $leaf)))))')}
    (local.set $T (f64x2.splat (local.get $total)))
    (local.set $i (i32.const 0))
    (local.set $leaf (i32.const 0))
    ${overLeaves('pass2', normalise, 'squares', '')}
    (local.get $total)))`;

/** The workload's particles and weights, as the floor reads them. */
export interface FloorInput {
  readonly f0: Float64Array;
  readonly a: Float64Array;
  readonly lw: Float64Array;
  readonly w: Float64Array;
}

/**
 * A compiled floor: `run` does one update of the first `particles` particles (the largest multiple
 * of 128 in the input; time it and scale by N / particles), `weights` shows its result.
 */
export interface UpdateFloor {
  run(setting: number, y: number, sigma: number): number;
  readonly particles: number;
  readonly weights: Float64Array;
}

/** Compiles the floor and copies `input` into its memory. */
export async function createUpdateFloor(input: FloorInput): Promise<UpdateFloor> {
  const n = input.w.length - (input.w.length % LEAF);
  const { buffer } = (await wabt()).parseWat('update-floor.wat', WAT, { simd: true }).toBinary({});
  const { instance } = await wasm.instantiate(buffer);
  const memory = instance.exports.memory as WasmMemory;
  const bytes = n * 8;
  const leaves = (n / LEAF) * 8;
  const need = 5 * bytes + 2 * leaves;
  memory.grow(Math.ceil(need / 65536));
  const view = (k: number) => new Float64Array(memory.buffer, k * bytes, n);
  [input.f0, input.a, input.lw, input.w].forEach((row, k) => view(k).set(row.subarray(0, n)));
  const update = instance.exports.update as (...args: number[]) => number;
  return {
    run: (setting, y, sigma) => update(n, setting, y, sigma, 0, bytes, 2 * bytes, 3 * bytes, 4 * bytes, 5 * bytes, 5 * bytes + leaves),
    particles: n,
    weights: view(3),
  };
}

/**
 * The median (ms) of one floor update over N particles of the workload's prior (200 timed runs
 * after 20 to warm up), scaled to N.
 */
export async function measureUpdateFloor(particles: number): Promise<number> {
  const { obe } = createWorkload({ particles, grid: 200, seed: 7000 });
  const [f0, a, lw] = obe.particles;
  const kernel = await createUpdateFloor({ f0, a, lw, w: obe.weights });
  const times: number[] = [];
  for (let i = 0; i < 220; i++) {
    const t0 = performance.now();
    kernel.run(2.5, 0.99, TRUTH.sigma);
    if (i >= 20) times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  return (times[times.length >> 1] * particles) / kernel.particles;
}

// `node --import tsx update-floor.ts <particles>` prints the floor's median in ms (bench:obe runs it
// in a process of its own).
if (argv[1] !== undefined && fileURLToPath(import.meta.url) === argv[1]) {
  console.log(await measureUpdateFloor(Number(argv[2])));
}
