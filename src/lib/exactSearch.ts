import type { Neighbour } from './types';

/**
 * Brute-force cosine search over L2-normalised vectors stored row after row in one
 * Float32Array: the dot product is the cosine. O(N·d) per query.
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
  // Kept sorted best first; insertion is cheap because k is small next to N.
  // Float64, like the scores: a float32 copy would round and reorder ties.
  const topScores = new Float64Array(want).fill(-Infinity);
  const topRows = new Int32Array(want).fill(-1);
  for (let row = 0; row < count; row++) {
    const score = dot(vectors, row * dim, query, dim);
    if (score <= topScores[want - 1]) continue;
    let slot = want - 1;
    while (slot > 0 && topScores[slot - 1] < score) {
      topScores[slot] = topScores[slot - 1];
      topRows[slot] = topRows[slot - 1];
      slot--;
    }
    topScores[slot] = score;
    topRows[slot] = row;
  }
  const result: Neighbour[] = [];
  for (let i = 0; i < want; i++) result.push({ id: ids[topRows[i]], score: topScores[i] });
  return result;
}

/** Dot product of row `offset` of `vectors` with `query`, unrolled by four. */
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
