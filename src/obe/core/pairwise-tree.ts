/**
 * The shape of NumPy's pairwise summation over n values (`pairwise-sum.ts`, docs/OBE-NUMERICS.md):
 * the ranges of at most 128 values that the recursion sums directly ("leaves", contiguous and in
 * order) and the order in which their sums are added. The shape depends only on n, never on the
 * values or on who computes the leaves, so leaf sums computed inside another loop, or by several
 * threads over any split of the leaves, and then combined by {@link PairwiseTree.combine} give the
 * bits of `pairwiseSum` over the same values.
 */

import { PAIRWISE_BLOCK_SIZE, pairwiseSplit } from './pairwise-sum.js';

const BLOCK_SIZE = PAIRWISE_BLOCK_SIZE;

/**
 * The leaves of NumPy's pairwise summation over `n` values and their combination order.
 * @example
 * ```ts
 * const tree = new PairwiseTree(x.length);
 * const sums = new Float64Array(tree.leafCount);
 * for (let k = 0; k < tree.leafCount; k++) sums[k] = pairwiseLeafSum(x, tree.leafStart[k], tree.leafLength(k));
 * tree.combine(sums); // === pairwiseSum(x, 0, x.length), bit for bit
 * ```
 */
export class PairwiseTree {
  /** Number of values summed. */
  readonly n: number;
  /** Number of leaves (1 for n <= 128, including n = 0). */
  readonly leafCount: number;
  /** Start of leaf k at index k; entry `leafCount` is n (so leaf k ends where leaf k + 1 starts). */
  readonly leafStart: Int32Array;
  /**
   * The combination order in postfix form: an entry k >= 0 pushes leaf k's sum, −1 adds the top two
   * (the left subtree's sum, pushed first, plus the right one's), as NumPy's recursion adds them.
   */
  private readonly program: Int32Array;
  private readonly stack: Float64Array;

  constructor(n: number) {
    this.n = n;
    const starts: number[] = [];
    const program: number[] = [];
    const depth = collectLeaves(0, n, starts, program);
    starts.push(n);
    this.leafStart = Int32Array.from(starts);
    this.leafCount = starts.length - 1;
    this.program = Int32Array.from(program);
    this.stack = new Float64Array(depth + 1);
  }

  /** Length of leaf k. */
  leafLength(k: number): number {
    return this.leafStart[k + 1] - this.leafStart[k];
  }

  /**
   * The pairwise sum from the leaf sums `sums[offset + k]`, added in NumPy's order and started
   * from the reduction's identity 0 (as `pairwiseSum`: a sum of −0 is +0).
   */
  combine(sums: Float64Array, offset = 0): number {
    const program = this.program;
    const stack = this.stack;
    let top = -1;
    for (let i = 0; i < program.length; i++) {
      const op = program[i];
      if (op >= 0) {
        stack[++top] = sums[offset + op];
      } else {
        const right = stack[top--];
        stack[top] = stack[top] + right;
      }
    }
    return 0 + stack[0];
  }
}

/** Appends the leaves of `[from, from + n)` and its postfix program; returns the stack depth needed. */
function collectLeaves(from: number, n: number, starts: number[], program: number[]): number {
  if (n <= BLOCK_SIZE) {
    program.push(starts.length);
    starts.push(from);
    return 1;
  }
  const half = pairwiseSplit(n);
  const left = collectLeaves(from, half, starts, program);
  const right = collectLeaves(from + half, n - half, starts, program);
  program.push(-1);
  return Math.max(left, right + 1);
}
