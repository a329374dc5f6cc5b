import { describe, expect, it } from 'vitest';
import {
  averagePrecisionAtK,
  labelRecallAtK,
  meanScores,
  ndcgAtK,
  precisionAtK,
  reciprocalRankAtK,
  scoreQuery,
} from '../../src/lib/rankingMetrics';

// Ranking: relevant, not, relevant, not, relevant; 4 relevant items exist in all.
const ranking = [true, false, true, false, true];
const R = 4;

describe('ranking metrics, hand-computed', () => {
  it('precision@k', () => {
    expect(precisionAtK(ranking, 1)).toBe(1);
    expect(precisionAtK(ranking, 3)).toBeCloseTo(2 / 3);
    expect(precisionAtK(ranking, 5)).toBeCloseTo(3 / 5);
  });

  it('label recall@k', () => {
    expect(labelRecallAtK(ranking, R, 3)).toBeCloseTo(2 / 4);
    expect(labelRecallAtK(ranking, R, 5)).toBeCloseTo(3 / 4);
  });

  it('reciprocal rank', () => {
    expect(reciprocalRankAtK(ranking, 5)).toBe(1);
    expect(reciprocalRankAtK([false, false, true], 5)).toBeCloseTo(1 / 3);
    expect(reciprocalRankAtK([false, false, true], 2)).toBe(0);
  });

  it('average precision@k', () => {
    // P@1 = 1, P@3 = 2/3, P@5 = 3/5 at the relevant places; divided by min(k, R).
    expect(averagePrecisionAtK(ranking, R, 5)).toBeCloseTo((1 + 2 / 3 + 3 / 5) / 4);
    expect(averagePrecisionAtK(ranking, R, 3)).toBeCloseTo((1 + 2 / 3) / 3);
    expect(averagePrecisionAtK([true, true], 2, 2)).toBe(1);
  });

  it('average precision over the whole ranking matches scikit-learn', () => {
    // sklearn.metrics.average_precision_score([1,0,1,0,1,1], [6,5,4,3,2,1]) = 0.7333…
    const full = [true, false, true, false, true, true];
    expect(averagePrecisionAtK(full, 4, full.length)).toBeCloseTo(0.73333333, 6);
  });

  it('nDCG@k with log2 discount', () => {
    const dcg = 1 + 1 / Math.log2(4) + 1 / Math.log2(6);
    const idcg = 1 + 1 / Math.log2(3) + 1 / Math.log2(4) + 1 / Math.log2(5);
    expect(ndcgAtK(ranking, R, 5)).toBeCloseTo(dcg / idcg, 10);
    // sklearn.metrics.ndcg_score([[1,0,1,0,1,1]], [[6,5,4,3,2,1]], k=3) = 0.7039…
    expect(ndcgAtK([true, false, true, false, true, true], 4, 3)).toBeCloseTo(0.70391809, 6);
    expect(ndcgAtK([true, true, true], 3, 3)).toBe(1);
  });
});

describe('edge cases', () => {
  it('no relevant items: every metric is 0', () => {
    expect(scoreQuery([false, false, false], 0, 3)).toEqual({ precision: 0, labelRecall: 0, mrr: 0, map: 0, ndcg: 0 });
  });

  it('k larger than the list: missing places count as not relevant', () => {
    const short = [true, true];
    expect(precisionAtK(short, 5)).toBeCloseTo(2 / 5);
    expect(labelRecallAtK(short, 2, 5)).toBe(1);
    expect(averagePrecisionAtK(short, 2, 5)).toBe(1);
    expect(ndcgAtK(short, 2, 5)).toBe(1);
    expect(reciprocalRankAtK(short, 5)).toBe(1);
  });

  it('k = 0 scores 0', () => {
    expect(scoreQuery(ranking, R, 0)).toEqual({ precision: 0, labelRecall: 0, mrr: 0, map: 0, ndcg: 0 });
  });

  it('means over queries', () => {
    const a = scoreQuery([true], 1, 1);
    const b = scoreQuery([false], 1, 1);
    expect(meanScores([a, b])).toEqual({ precision: 0.5, labelRecall: 0.5, mrr: 0.5, map: 0.5, ndcg: 0.5 });
  });
});
