import { CovarianceFactorError } from './errors.js';

/** How {@link factorCovariance} factored its matrix. */
export type FactorMethod = 'cholesky' | 'eigen';

/**
 * Writes into `out` (row-major `D × D`) a matrix B with B·Bᵀ = `scale`·A, for a symmetric
 * positive-semidefinite A (row-major `D × D`). Multiplying B by a vector of standard normals then gives
 * an MVN(0, scale·A) draw.
 *
 * Cholesky first (B lower-triangular). If a pivot is not positive — A singular, as when a parameter
 * is constant across the cloud, or slightly indefinite from rounding — falls back to a Jacobi
 * eigendecomposition with negative eigenvalues clamped to 0 (B = V·sqrt(Λ)). NumPy's SVD-based
 * sampler would use |λ| for a negative eigenvalue; clamping keeps the draw inside the span of A.
 *
 * @throws {@link CovarianceFactorError} if A has non-finite entries.
 */
export function factorCovariance(a: Float64Array, d: number, scale: number, out: Float64Array): FactorMethod {
  for (let i = 0; i < d * d; i++) {
    if (!Number.isFinite(a[i])) {
      throw new CovarianceFactorError(`covariance entry ${i} is ${a[i]}: cannot draw multivariate normals`);
    }
  }
  if (cholesky(a, d, scale, out)) return 'cholesky';
  eigenFactor(a, d, scale, out);
  return 'eigen';
}

function cholesky(a: Float64Array, d: number, scale: number, out: Float64Array): boolean {
  out.fill(0, 0, d * d);
  for (let j = 0; j < d; j++) {
    let s = scale * a[j * d + j];
    for (let k = 0; k < j; k++) s -= out[j * d + k] * out[j * d + k];
    if (!(s > 0)) return false;
    const ljj = Math.sqrt(s);
    out[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let t = scale * a[i * d + j];
      for (let k = 0; k < j; k++) t -= out[i * d + k] * out[j * d + k];
      out[i * d + j] = t / ljj;
    }
  }
  return true;
}

/** Cyclic Jacobi rotations; D is the number of model parameters (2–4 in practice), so this is cheap. */
function eigenFactor(a: Float64Array, d: number, scale: number, out: Float64Array): void {
  const m = Float64Array.from(a.subarray(0, d * d), (x) => x * scale);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let norm = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        norm += m[i * d + j] * m[i * d + j];
        if (i !== j) off += m[i * d + j] * m[i * d + j];
      }
    }
    if (off <= 1e-30 * norm || off === 0) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q];
        if (apq === 0) continue;
        const theta = (m[q * d + q] - m[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const mkp = m[k * d + p];
          const mkq = m[k * d + q];
          m[k * d + p] = c * mkp - s * mkq;
          m[k * d + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < d; k++) {
          const mpk = m[p * d + k];
          const mqk = m[q * d + k];
          m[p * d + k] = c * mpk - s * mqk;
          m[q * d + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p];
          const vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  for (let j = 0; j < d; j++) {
    const root = Math.sqrt(Math.max(m[j * d + j], 0));
    for (let i = 0; i < d; i++) out[i * d + j] = v[i * d + j] * root;
  }
}
