import { meanScores, scoreQuery, type RankingScores } from './rankingMetrics';

export interface ClassScores {
  label: string;
  queries: number;
  scores: RankingScores;
}

export interface EvaluationSummary {
  k: number;
  queries: number;
  overall: RankingScores;
  /** Worst first, by precision@k. */
  perClass: ClassScores[];
}

/**
 * Leave-one-out evaluation: every indexed image is a query against the others, and an
 * item is relevant when it shares the query's label. `rankings[i]` are the ids returned
 * for `queryIds[i]`, best first, the query itself already left out. When only a sample of the
 * images are queries, `population` lists all the images searched, so each query's relevant
 * count is that of its whole label, not of its label within the sample.
 */
export function evaluateRankings(
  queryIds: readonly number[],
  rankings: readonly (readonly number[])[],
  labelOf: ReadonlyMap<number, string>,
  k: number,
  population: readonly number[] = queryIds,
): EvaluationSummary {
  const labelCounts = new Map<string, number>();
  for (const id of population) {
    const label = labelOf.get(id) ?? '';
    labelCounts.set(label, (labelCounts.get(label) ?? 0) + 1);
  }
  const byClass = new Map<string, RankingScores[]>();
  const all: RankingScores[] = [];
  queryIds.forEach((queryId, i) => {
    const label = labelOf.get(queryId) ?? '';
    const relevant = rankings[i].map((id) => labelOf.get(id) === label);
    const scores = scoreQuery(relevant, (labelCounts.get(label) ?? 1) - 1, k);
    all.push(scores);
    byClass.set(label, [...(byClass.get(label) ?? []), scores]);
  });
  const perClass = [...byClass.entries()]
    .map(([label, scores]) => ({ label, queries: scores.length, scores: meanScores(scores) }))
    .sort((a, b) => a.scores.precision - b.scores.precision || a.label.localeCompare(b.label));
  return { k, queries: queryIds.length, overall: meanScores(all), perClass };
}

/** Drops the query from its own result list and keeps k. */
export function leaveOut(queryId: number, ranked: readonly number[], k: number): number[] {
  return ranked.filter((id) => id !== queryId).slice(0, k);
}
