/**
 * The particle pool's control block: one `SharedArrayBuffer` through which the calling thread
 * hands a kernel call to the workers, without a message per call (docs/OBE-NUMERICS.md, "The
 * particle pool"). A call is open while `open` is set: every thread, the caller included, claims
 * blocks of units from `cursor` until none is left, so a thread that the scheduler keeps waiting
 * takes fewer blocks instead of holding the others up. The caller closes the call and waits for
 * `inflight` to drop to 0 before it writes the next one. Arrays are named by buffer id, offset and
 * length; a buffer is sent to the workers once, by message, the first time a call names it.
 */

/** Int32 slots of the header. */
export const CTL = Object.freeze({
  /** Incremented per call and command; idle workers wait on it. */
  generation: 0,
  /** Workers that have not yet acknowledged a command (`loadModel`). */
  pending: 1,
  /** Kernel index (`KERNEL_NAMES`), or one of the commands below. */
  kernel: 2,
  /** Units of the call (leaves, chunks, grid points). */
  units: 3,
  /** Set to 1 by a worker whose kernel threw (its message follows on its reply port). */
  failed: 4,
  arrayCount: 5,
  intCount: 6,
  numberCount: 7,
  /** 1 while the current call takes claims. */
  open: 8,
  /** The next unclaimed unit. */
  cursor: 9,
  /** Units per claim. */
  block: 10,
  /** Workers inside a call (between checking `open` and finishing their last claim). */
  inflight: 11,
});

/** Commands that are not kernels. */
export const COMMAND = Object.freeze({ stop: -1, loadModel: -2 });

/** Slots of the header. */
export const HEADER_INTS = 16;
/** Arrays per call at most (3 ints each: buffer id, element offset, length). */
export const MAX_ARRAYS = 64;
/** Int arguments per call at most. */
export const MAX_INTS = 256;
/** Number arguments per call at most. */
export const MAX_NUMBERS = 256;

const ARRAY_BASE = HEADER_INTS;
const INT_BASE = ARRAY_BASE + 3 * MAX_ARRAYS;
const INT_SLOTS = INT_BASE + MAX_INTS;

/** Views of a control block. */
export interface ControlBlock {
  readonly ints: Int32Array;
  readonly numbers: Float64Array;
}

/** A new control block. */
export function createControlBlock(): { buffer: SharedArrayBuffer; block: ControlBlock } {
  const buffer = new SharedArrayBuffer(INT_SLOTS * 4 + MAX_NUMBERS * 8);
  return { buffer, block: controlBlockOf(buffer) };
}

/** Views of an existing control block. */
export function controlBlockOf(buffer: SharedArrayBuffer): ControlBlock {
  return { ints: new Int32Array(buffer, 0, INT_SLOTS), numbers: new Float64Array(buffer, INT_SLOTS * 4, MAX_NUMBERS) };
}

/** Writes array i's reference. */
export function writeArrayRef(block: ControlBlock, i: number, bufferId: number, offset: number, length: number): void {
  const at = ARRAY_BASE + 3 * i;
  block.ints[at] = bufferId;
  block.ints[at + 1] = offset;
  block.ints[at + 2] = length;
}

/** Reads array i's reference as `[bufferId, elementOffset, length]`. */
export function readArrayRef(block: ControlBlock, i: number): [number, number, number] {
  const at = ARRAY_BASE + 3 * i;
  return [block.ints[at], block.ints[at + 1], block.ints[at + 2]];
}

/** The int arguments of the current call. */
export function intArgs(block: ControlBlock): Int32Array {
  return block.ints.subarray(INT_BASE, INT_BASE + block.ints[CTL.intCount]);
}

/** Writes the int arguments. */
export function writeIntArgs(block: ControlBlock, values: ArrayLike<number>): void {
  block.ints.set(values, INT_BASE);
  block.ints[CTL.intCount] = values.length;
}

/**
 * Units per claim: about sixteen claims per thread, so that a late thread's share is taken by the
 * others, and a thread descheduled inside a block holds the caller up for one small block only.
 */
export function claimBlock(units: number, threads: number): number {
  return Math.max(1, Math.ceil(units / (16 * threads)));
}
