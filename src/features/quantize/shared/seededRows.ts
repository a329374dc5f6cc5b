import { seededRandom } from '../../../lib/syntheticVectors';

function gaussian(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Mixes a row number into a seed, so neighbouring rows get unrelated streams. */
const rowSeed = (seed: number, row: number) => Math.imul(row + 1, 0x9e3779b1) ^ Math.imul(seed, 0x85ebca6b);

export interface SeededRowsOptions {
  dim: number;
  clusters: number;
  /** Offsets' size relative to the centres'. */
  spread: number;
  /** Offsets lie along this many random directions, as image embeddings vary along few. */
  intrinsicDim: number;
  seed: number;
}

/**
 * Clustered, L2-normalised vectors in which any row can be made on its own from (seed, row):
 * row r lies around centre r mod clusters, offset along the shared random directions by
 * weights drawn from r's own stream. A million float vectors of 1280 dimensions (5 GB) need not
 * be kept: the compact codes are made in one pass, and the few rows a rescoring reads are made
 * again, bit for bit the same.
 */
export class SeededRows {
  private readonly centres: Float32Array[];
  /** The shared directions, intrinsicDim × dim, row-major: one flat array, read in order. */
  private readonly basis: Float32Array;
  private readonly weights: Float64Array;
  private readonly sums: Float64Array;

  constructor(readonly options: SeededRowsOptions) {
    const { dim, clusters, intrinsicDim, seed } = options;
    const random = seededRandom(seed);
    this.centres = Array.from({ length: clusters }, () => Float32Array.from({ length: dim }, () => gaussian(random)));
    this.basis = Float32Array.from({ length: intrinsicDim * dim }, () => gaussian(random) / Math.sqrt(intrinsicDim));
    this.weights = new Float64Array(intrinsicDim);
    this.sums = new Float64Array(dim);
  }

  /** Writes row `row` into `out` at `offset`. */
  row(row: number, out: Float32Array, offset = 0): void {
    const { dim, clusters, spread, seed } = this.options;
    const random = seededRandom(rowSeed(seed, row));
    for (let j = 0; j < this.weights.length; j++) this.weights[j] = spread * gaussian(random);
    const centre = this.centres[row % clusters];
    const { sums, basis } = this;
    for (let i = 0; i < dim; i++) sums[i] = centre[i];
    for (let j = 0; j < this.weights.length; j++) {
      const weight = this.weights[j];
      const base = j * dim;
      for (let i = 0; i < dim; i++) sums[i] += weight * basis[base + i];
    }
    let norm = 0;
    for (let i = 0; i < dim; i++) {
      out[offset + i] = sums[i];
      norm += out[offset + i] * out[offset + i];
    }
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < dim; i++) out[offset + i] *= scale;
  }

  /** Rows [from, to), row-major. */
  rows(from: number, to: number): Float32Array {
    const out = new Float32Array((to - from) * this.options.dim);
    for (let row = from; row < to; row++) this.row(row, out, (row - from) * this.options.dim);
    return out;
  }
}
