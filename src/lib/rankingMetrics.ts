/**
 * Offline ranking metrics with binary relevance (relevant = same label as the query).
 * Each takes the ranked relevance flags of one query, best first, and R, the number of
 * relevant items that exist for it. Conventions (docs/user-guide.md, "Metric conventions"): a list shorter than k counts
 * the missing places as not relevant; a query with R = 0 scores 0 on every metric.
 *
 * Not to be confused with ANN recall@k (annRecall.ts): that compares two engines' lists.
 */

function topK(relevant: readonly boolean[], k: number): readonly boolean[] {
  return relevant.slice(0, Math.max(0, k));
}

function hits(relevant: readonly boolean[], k: number): number {
  return topK(relevant, k).filter(Boolean).length;
}

/** P@k = (relevant items in the top k) / k */
export function precisionAtK(relevant: readonly boolean[], k: number): number {
  return k > 0 ? hits(relevant, k) / k : 0;
}

/** label recall@k = (relevant items in the top k) / R */
export function labelRecallAtK(relevant: readonly boolean[], totalRelevant: number, k: number): number {
  return totalRelevant > 0 ? hits(relevant, k) / totalRelevant : 0;
}

/** RR@k = 1 / (rank of the first relevant item in the top k), 0 when there is none; MRR is its mean. */
export function reciprocalRankAtK(relevant: readonly boolean[], k: number): number {
  const first = topK(relevant, k).indexOf(true);
  return first === -1 ? 0 : 1 / (first + 1);
}

/** AP@k = Σ_{i≤k} P@i · rel_i / min(k, R); equals scikit-learn's average precision when k ≥ N. */
export function averagePrecisionAtK(relevant: readonly boolean[], totalRelevant: number, k: number): number {
  if (totalRelevant === 0 || k <= 0) return 0;
  let found = 0;
  let sum = 0;
  topK(relevant, k).forEach((isRelevant, i) => {
    if (!isRelevant) return;
    found++;
    sum += found / (i + 1);
  });
  return sum / Math.min(k, totalRelevant);
}

/** nDCG@k = DCG@k / IDCG@k with DCG@k = Σ_{i≤k} rel_i / log2(i + 1), as scikit-learn's ndcg_score. */
export function ndcgAtK(relevant: readonly boolean[], totalRelevant: number, k: number): number {
  if (totalRelevant === 0 || k <= 0) return 0;
  let dcg = 0;
  topK(relevant, k).forEach((isRelevant, i) => {
    if (isRelevant) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, totalRelevant); i++) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}

export interface RankingScores {
  precision: number;
  labelRecall: number;
  mrr: number;
  map: number;
  ndcg: number;
}

export const METRIC_FORMULAS: Record<keyof RankingScores, string> = {
  precision: 'P@k = |relevant ∩ top k| / k',
  labelRecall: 'recall@k = |relevant ∩ top k| / R  (R = images sharing the query’s label)',
  mrr: 'MRR = mean over queries of 1 / rank of the first relevant result in the top k (0 if none)',
  map: 'mAP@k = mean of AP@k = Σ_{i≤k} P@i·rel_i / min(k, R)',
  ndcg: 'nDCG@k = Σ_{i≤k} rel_i / log2(i+1)  ÷  the same sum for an ideal ranking',
};

export function scoreQuery(relevant: readonly boolean[], totalRelevant: number, k: number): RankingScores {
  return {
    precision: precisionAtK(relevant, k),
    labelRecall: labelRecallAtK(relevant, totalRelevant, k),
    mrr: reciprocalRankAtK(relevant, k),
    map: averagePrecisionAtK(relevant, totalRelevant, k),
    ndcg: ndcgAtK(relevant, totalRelevant, k),
  };
}

export function meanScores(scores: readonly RankingScores[]): RankingScores {
  const total: RankingScores = { precision: 0, labelRecall: 0, mrr: 0, map: 0, ndcg: 0 };
  for (const s of scores) for (const key of Object.keys(total) as (keyof RankingScores)[]) total[key] += s[key];
  const n = Math.max(1, scores.length);
  for (const key of Object.keys(total) as (keyof RankingScores)[]) total[key] /= n;
  return total;
}
