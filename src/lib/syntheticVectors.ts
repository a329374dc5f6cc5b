/** Small seeded PRNG (mulberry32): the same seed gives the same vectors in Node and the browser. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export interface ClusteredOptions {
  count: number;
  dim: number;
  clusters: number;
  /** Standard deviation of points around their centre, relative to the centres' spread. */
  spread: number;
  seed: number;
  /**
   * When set, points vary around their centre along this many random directions only, as
   * image embeddings do (their intrinsic dimension is far below their length); otherwise
   * in every direction, the hardest case for any index.
   */
  intrinsicDim?: number;
}

/**
 * L2-normalised vectors drawn around random cluster centres, row-major, like image
 * embeddings of a catalogue with classes. Rows are drawn in order, a chunk at a time if
 * need be, so a worker can report progress and stop between chunks.
 */
export class ClusteredVectorSource {
  private readonly random: () => number;
  private readonly centres: Float32Array[];
  private readonly basis: Float32Array[] | null;
  private readonly offset: Float32Array;

  constructor(private readonly options: Omit<ClusteredOptions, 'count'>) {
    const { dim, clusters, seed, intrinsicDim } = options;
    this.random = seededRandom(seed);
    this.centres = Array.from({ length: clusters }, () =>
      Float32Array.from({ length: dim }, () => gaussian(this.random)),
    );
    this.basis = intrinsicDim
      ? Array.from({ length: intrinsicDim }, () => Float32Array.from({ length: dim }, () => gaussian(this.random)))
      : null;
    this.offset = new Float32Array(dim);
  }

  /** Writes rows [from, to) into `out`, which holds all rows. */
  fill(out: Float32Array, from: number, to: number): void {
    const { dim, clusters, spread } = this.options;
    const { random, basis, offset } = this;
    for (let row = from; row < to; row++) {
      const centre = this.centres[row % clusters];
      if (basis) {
        offset.fill(0);
        for (const direction of basis) {
          const weight = (spread * gaussian(random)) / Math.sqrt(basis.length);
          for (let i = 0; i < dim; i++) offset[i] += weight * direction[i];
        }
      } else {
        for (let i = 0; i < dim; i++) offset[i] = spread * gaussian(random);
      }
      let norm = 0;
      for (let i = 0; i < dim; i++) {
        const value = centre[i] + offset[i];
        out[row * dim + i] = value;
        norm += value * value;
      }
      norm = Math.sqrt(norm);
      for (let i = 0; i < dim; i++) out[row * dim + i] /= norm;
    }
  }
}

export function clusteredVectors(options: ClusteredOptions): Float32Array {
  const out = new Float32Array(options.count * options.dim);
  new ClusteredVectorSource(options).fill(out, 0, options.count);
  return out;
}
