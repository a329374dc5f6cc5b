import { describe, expect, it } from 'vitest';
import { exactTopK } from '../../src/lib/exactSearch';
import { l2NormaliseRows } from '../../src/lib/preprocess';
import { seededRandom } from '../../src/lib/syntheticVectors';

/** The obvious way: score everything, sort, cut. */
function naiveTopK(vectors: Float32Array, ids: number[], dim: number, query: Float32Array, k: number) {
  return ids
    .map((id, row) => {
      let s = 0;
      for (let i = 0; i < dim; i++) s += vectors[row * dim + i] * query[i];
      return { id, score: s };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}

function randomUnitVectors(count: number, dim: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return l2NormaliseRows(
    Float32Array.from({ length: count * dim }, () => random() * 2 - 1),
    dim,
  );
}

describe('exactTopK', () => {
  it.each([
    [500, 7, 10],
    [300, 64, 1],
    [50, 13, 50],
  ])('matches a naive sort-everything reference (N=%i, d=%i, k=%i)', (count, dim, k) => {
    const vectors = randomUnitVectors(count, dim, count + dim);
    const ids = Array.from({ length: count }, (_, i) => 1000 + i);
    for (let q = 0; q < 5; q++) {
      const query = randomUnitVectors(1, dim, 99 + q);
      const got = exactTopK(vectors, ids, dim, query, k);
      const want = naiveTopK(vectors, ids, dim, query, k);
      expect(got.map((n) => n.id)).toEqual(want.map((n) => n.id));
      got.forEach((n, i) => expect(n.score).toBeCloseTo(want[i].score, 5));
    }
  });

  it('finds a stored vector as its own nearest neighbour with similarity 1', () => {
    const vectors = randomUnitVectors(100, 16, 3);
    const ids = Array.from({ length: 100 }, (_, i) => i);
    const [best] = exactTopK(vectors, ids, 16, vectors.slice(42 * 16, 43 * 16), 3);
    expect(best.id).toBe(42);
    expect(best.score).toBeCloseTo(1, 6);
  });

  it('returns all N when k is larger than N, best first', () => {
    const vectors = randomUnitVectors(4, 3, 5);
    const got = exactTopK(vectors, [0, 1, 2, 3], 3, vectors.slice(0, 3), 10);
    expect(got).toHaveLength(4);
    for (let i = 1; i < got.length; i++) expect(got[i - 1].score).toBeGreaterThanOrEqual(got[i].score);
  });

  it('returns nothing for k = 0 or an empty store', () => {
    expect(exactTopK(new Float32Array(6), [0, 1], 3, new Float32Array(3), 0)).toEqual([]);
    expect(exactTopK(new Float32Array(0), [], 3, new Float32Array(3), 5)).toEqual([]);
  });

  it('keeps the earlier row first when scores tie', () => {
    const vectors = Float32Array.from([1, 0, 1, 0, 0, 1]);
    expect(exactTopK(vectors, [7, 8, 9], 2, Float32Array.from([1, 0]), 2).map((n) => n.id)).toEqual([7, 8]);
  });

  it('keeps ties in order even when the score is not a float32 (duplicate images)', () => {
    // These dot products are float64 values with no exact float32: a float32 top list would round them.
    const row = Float32Array.from([0.6, 0.8]);
    const vectors = Float32Array.from([...row, ...row, 1, 0]);
    const ids = [0, 1, 2];
    for (const query of [row, Float32Array.from([0.28, 0.96])]) {
      expect(
        exactTopK(vectors, ids, 2, query, 3)
          .map((n) => n.id)
          .slice(0, 2),
      ).toEqual([0, 1]);
    }
  });
});
