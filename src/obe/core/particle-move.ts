/**
 * The last step of resampling (spec §1.7) over a range of particles: each drawn particle is
 * copied, nudged by the factor of the covariance times standard normals, and contracted toward
 * the mean when `scale` is set. Every particle's arithmetic is its own, so any split of the range
 * (between threads of the particle pool, `parallel/`) gives the same bits.
 */

/**
 * For particles i in `[from, to)`: `dst_r[i] = src_r[idx[i]]`, then `+= f[r·D + k]·noise_k[i]` for
 * k = 0..D−1 in order (zero factors skipped), then `a·dst_r[i] + (1 − a)·mean_r` when `scale`.
 * Row by row, so that every loop is tight and sequential.
 */
export function moveParticles(
  src: readonly Float64Array[],
  dst: readonly Float64Array[],
  noise: readonly Float64Array[],
  idx: ArrayLike<number>,
  f: Float64Array,
  mean: Float64Array,
  a: number,
  scale: boolean,
  from: number,
  to: number,
): void {
  const d = src.length;
  for (let r = 0; r < d; r++) {
    const source = src[r];
    const out = dst[r];
    for (let i = from; i < to; i++) out[i] = source[idx[i]];
    for (let k = 0; k < d; k++) {
      const c = f[r * d + k];
      if (c === 0) continue;
      const zk = noise[k];
      for (let i = from; i < to; i++) out[i] += c * zk[i];
    }
    if (scale) {
      const shift = (1 - a) * mean[r];
      for (let i = from; i < to; i++) out[i] = a * out[i] + shift;
    }
  }
}
