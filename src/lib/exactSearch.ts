import type { Neighbour } from './types';

/**
 * The k best rows seen so far, best first. On equal scores the row offered first stays
 * ahead, so ties keep catalogue order. Insertion is cheap because k is small next to N.
 */
export class TopK {
  // Float64, like the scores: a float32 copy would round and reorder ties.
  private readonly scores: Float64Array;
  private readonly rows: Int32Array;

  constructor(readonly size: number) {
    this.scores = new Float64Array(size).fill(-Infinity);
    this.rows = new Int32Array(size).fill(-1);
  }

  offer(score: number, row: number): void {
    const { scores, rows } = this;
    let slot = this.size - 1;
    if (score <= scores[slot]) return;
    while (slot > 0 && scores[slot - 1] < score) {
      scores[slot] = scores[slot - 1];
      rows[slot] = rows[slot - 1];
      slot--;
    }
    scores[slot] = score;
    rows[slot] = row;
  }

  neighbours(ids: ArrayLike<number>): Neighbour[] {
    return Array.from(this.rows, (row, i) => ({ id: ids[row], score: this.scores[i] }));
  }
}

/**
 * Brute-force cosine search over L2-normalised vectors stored row after row in one
 * Float32Array: the dot product is the cosine. O(N·d) per query. The workers run the same
 * sums in WebAssembly SIMD (features/search/worker/exactScan.ts); this is the plain reference.
 */
export function exactTopK(
  vectors: Float32Array,
  ids: ArrayLike<number>,
  dim: number,
  query: Float32Array,
  k: number,
): Neighbour[] {
  const count = ids.length;
  const want = Math.min(k, count);
  if (want <= 0) return [];
  const top = new TopK(want);
  for (let row = 0; row < count; row++) top.offer(dot(vectors, row * dim, query, dim), row);
  return top.neighbours(ids);
}

/** Four float64 accumulators, summed ((s0 + s1) + s2) + s3: the WebAssembly kernel sums in the same order. */
export function dot(vectors: Float32Array, offset: number, query: Float32Array, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 4 <= dim; i += 4) {
    s0 += vectors[offset + i] * query[i];
    s1 += vectors[offset + i + 1] * query[i + 1];
    s2 += vectors[offset + i + 2] * query[i + 2];
    s3 += vectors[offset + i + 3] * query[i + 3];
  }
  for (; i < dim; i++) s0 += vectors[offset + i] * query[i];
  return s0 + s1 + s2 + s3;
}
