import { seededRandom } from './syntheticVectors';

/**
 * The first two principal components of row-major vectors, by power iteration on the centred
 * data (X·v then Xᵀ·(X·v), never the d×d covariance), the second deflated against the first.
 * Returns each row's (x, y) in the plane they span: the instant first picture of a map, and
 * one a new point can be placed in (`projectPca`).
 */
export interface PcaPlane {
  mean: Float64Array;
  axes: [Float64Array, Float64Array];
}

const ITERATIONS = 60;

export function fitPca(vectors: Float32Array, dim: number, seed = 1): PcaPlane {
  const count = vectors.length / dim;
  const mean = new Float64Array(dim);
  for (let r = 0; r < count; r++) for (let i = 0; i < dim; i++) mean[i] += vectors[r * dim + i] / count;
  const random = seededRandom(seed);
  const axes: Float64Array[] = [];
  const scores = new Float64Array(count);
  for (let component = 0; component < 2; component++) {
    let v = Float64Array.from({ length: dim }, () => random() - 0.5);
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      for (const axis of axes) subtractProjection(v, axis);
      normalise(v);
      for (let r = 0; r < count; r++) {
        let s = 0;
        for (let i = 0; i < dim; i++) s += (vectors[r * dim + i] - mean[i]) * v[i];
        scores[r] = s;
      }
      const next = new Float64Array(dim);
      for (let r = 0; r < count; r++) {
        const s = scores[r];
        for (let i = 0; i < dim; i++) next[i] += (vectors[r * dim + i] - mean[i]) * s;
      }
      v = next;
    }
    for (const axis of axes) subtractProjection(v, axis);
    normalise(v);
    axes.push(v);
  }
  return { mean, axes: [axes[0], axes[1]] };
}

/** Each row's coordinates in the plane: (x0, y0, x1, y1, …). */
export function projectPca(plane: PcaPlane, vectors: Float32Array, dim: number): Float32Array {
  const count = vectors.length / dim;
  const out = new Float32Array(count * 2);
  for (let r = 0; r < count; r++) {
    for (let a = 0; a < 2; a++) {
      let s = 0;
      for (let i = 0; i < dim; i++) s += (vectors[r * dim + i] - plane.mean[i]) * plane.axes[a][i];
      out[r * 2 + a] = s;
    }
  }
  return out;
}

function normalise(v: Float64Array): void {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < v.length; i++) v[i] /= norm;
}

function subtractProjection(v: Float64Array, axis: Float64Array): void {
  let dot = 0;
  for (let i = 0; i < v.length; i++) dot += v[i] * axis[i];
  for (let i = 0; i < v.length; i++) v[i] -= dot * axis[i];
}
