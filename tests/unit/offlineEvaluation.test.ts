import { describe, expect, it } from 'vitest';
import { exactTopK } from '../../src/lib/exactSearch';
import { evaluateRankings, leaveOut } from '../../src/lib/offlineEvaluation';

describe('leave-one-out evaluation', () => {
  // Two classes: a (ids 0, 1, 2) and b (ids 3, 4).
  const labelOf = new Map([
    [0, 'a'],
    [1, 'a'],
    [2, 'a'],
    [3, 'b'],
    [4, 'b'],
  ]);

  it('scores each query against the others of its label and averages per class', () => {
    const rankings = [
      [1, 3], // a: R=2, hits 1 of 2 → P@2 = .5, recall .5, RR 1, AP (1)/2 = .5
      [0, 2], // a: perfect → 1 everywhere
      [3, 4], // a: nothing relevant → 0
      [4, 0], // b: R=1 → P@2 .5, recall 1, RR 1, AP 1
      [0, 1], // b: 0
    ];
    const result = evaluateRankings([0, 1, 2, 3, 4], rankings, labelOf, 2);
    expect(result.queries).toBe(5);
    expect(result.overall.precision).toBeCloseTo((0.5 + 1 + 0 + 0.5 + 0) / 5);
    expect(result.overall.labelRecall).toBeCloseTo((0.5 + 1 + 0 + 1 + 0) / 5);
    expect(result.overall.mrr).toBeCloseTo((1 + 1 + 0 + 1 + 0) / 5);
    expect(result.overall.map).toBeCloseTo((0.5 + 1 + 0 + 1 + 0) / 5);
    expect(result.perClass.map((c) => [c.label, c.queries])).toEqual([
      ['b', 2],
      ['a', 3],
    ]);
    expect(result.perClass[0].scores.precision).toBeCloseTo(0.25);
    expect(result.perClass[1].scores.precision).toBeCloseTo(0.5);
  });

  it('leaves the query out of its own results, wherever it ranks', () => {
    expect(leaveOut(7, [7, 1, 2, 3], 2)).toEqual([1, 2]);
    expect(leaveOut(7, [1, 2, 3], 2)).toEqual([1, 2]);
    expect(leaveOut(7, [1, 7], 2)).toEqual([1]);
  });

  it('ties in scores: the image earlier in the catalogue ranks first, so the metrics are deterministic', () => {
    // Query 0 (label a); ids 1 (label b) and 2 (label a) have the same vector: a tie at similarity 0.6.
    const vectors = Float32Array.from([1, 0, 0.6, 0.8, 0.6, 0.8]);
    const ids = [0, 1, 2];
    const labels = new Map([
      [0, 'a'],
      [1, 'b'],
      [2, 'a'],
    ]);
    const rankings = ids.map((id) =>
      leaveOut(
        id,
        exactTopK(vectors, ids, 2, vectors.subarray(id * 2, id * 2 + 2), 3).map((n) => n.id),
        2,
      ),
    );
    expect(rankings[0]).toEqual([1, 2]);
    const { perClass } = evaluateRankings(ids, rankings, labels, 2);
    // Class a: query 0 finds its relevant item (2) second; query 2 finds 0 second too (1 ties it at 1.0 first).
    const a = perClass.find((c) => c.label === 'a')!.scores;
    expect(rankings[2]).toEqual([1, 0]);
    expect(a.mrr).toBe(0.5);
    expect(a.precision).toBe(0.5);
    expect(a.ndcg).toBeCloseTo(1 / Math.log2(3));
  });
});
