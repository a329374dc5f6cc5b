import { exactTopK } from './exactSearch';
import { evaluateRankings, leaveOut, type EvaluationSummary } from './offlineEvaluation';

/**
 * The book's offline evaluation restricted to some rows (the test split): each of them is a
 * query against the others only, ranked exactly (cosine over L2-normalised rows), relevance =
 * same label. Images outside `rows` (the ones a head trained on) are neither queries nor
 * candidates, so the figure says nothing about what the head memorised.
 */
export function evaluateRows(
  vectors: Float32Array,
  dim: number,
  rows: readonly number[],
  labels: readonly string[],
  k: number,
): EvaluationSummary {
  const subset = new Float32Array(rows.length * dim);
  rows.forEach((row, i) => subset.set(vectors.subarray(row * dim, (row + 1) * dim), i * dim));
  const ids = Int32Array.from(rows);
  const rankings = rows.map((row, i) =>
    leaveOut(
      row,
      exactTopK(subset, ids, dim, subset.subarray(i * dim, (i + 1) * dim), k + 1).map((n) => n.id),
      k,
    ),
  );
  const labelOf = new Map(rows.map((row) => [row, labels[row]]));
  return evaluateRankings([...rows], rankings, labelOf, k);
}
