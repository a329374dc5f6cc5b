import { dot } from './exactSearch';
import type { Neighbour } from './types';

/**
 * The re-ranking service: what runs on the nearest-neighbour candidates before they are
 * shown. Business rules first (they never depend on the other results), then near-duplicate
 * removal, then — optionally — diversity by maximal marginal relevance (MMR).
 */

/** Why a candidate did not make it into the results. */
export type RemovalReason = 'private' | 'flagged' | 'hidden-label' | 'untagged' | 'near-duplicate';
export type ExclusionReason = Exclude<RemovalReason, 'near-duplicate'>;

export interface RerankRules {
  /** Catalogue ids that must never be shown, each with its rule. */
  excluded: ReadonlyMap<number, ExclusionReason>;
  /** A candidate whose cosine similarity to a higher-ranked kept result is above this is removed; null = off. */
  dedupThreshold: number | null;
  /** MMR trade-off λ: 1 ranks by similarity to the query only, 0 by novelty only; null = off. */
  mmrLambda: number | null;
}

export interface Removal {
  id: number;
  /** Cosine similarity to the query. */
  score: number;
  /** Position among the candidates, from 1. */
  rank: number;
  reason: RemovalReason;
  /** For near-duplicates: the kept result it is too similar to, and that similarity. */
  duplicateOf?: number;
  similarity?: number;
}

export interface RerankStepTimes {
  filterMs: number;
  /** Near-duplicate removal on its own; with MMR on it happens inside MMR's pass and counts there. */
  dedupMs: number;
  mmrMs: number;
  totalMs: number;
}

export interface RerankOutcome {
  /** Candidates that came in from the engine. */
  candidates: number;
  /** Candidates left after the business rules. */
  afterFilters: number;
  /** The results, best first; `score` stays the cosine similarity to the query. */
  kept: Neighbour[];
  removed: Removal[];
  times: RerankStepTimes;
}

/** How many candidates to ask each engine for: 3k, so removals rarely leave fewer than k, at most N. */
export function candidateCount(k: number, n: number, reranking: boolean): number {
  return Math.max(0, Math.min(n, reranking ? 3 * k : k));
}

export function isActive(rules: RerankRules | null): rules is RerankRules {
  return rules !== null && (rules.excluded.size > 0 || rules.dedupThreshold !== null || rules.mmrLambda !== null);
}

/** Cosine similarity of two L2-normalised vectors; the exact scan's loop, already optimised by the time a query re-ranks. */
function cosine(a: Float32Array, b: Float32Array): number {
  return dot(a, 0, b, a.length);
}

interface Ranked extends Neighbour {
  rank: number;
}

/**
 * Re-ranks `candidates` (best first) down to at most k results. `vectorOf` gives a
 * candidate's embedding, needed only for near-duplicates and MMR.
 *
 * Near-duplicates are judged against results already kept, in ranking order (with MMR, in
 * the order MMR picks them); the query itself is not a reference. So a catalogue image used
 * as the query stays first (it is its own best match) and its near-copies below it go, while
 * an uploaded photo of a catalogue image still finds that image.
 */
export function rerank(
  candidates: readonly Neighbour[],
  k: number,
  rules: RerankRules,
  vectorOf: (id: number) => Float32Array,
): RerankOutcome {
  const start = performance.now();
  const removed: Removal[] = [];
  const ranked: Ranked[] = candidates.map((c, i) => ({ ...c, rank: i + 1 }));

  const allowed: Ranked[] = [];
  for (const c of ranked) {
    const reason = rules.excluded.get(c.id);
    if (reason) removed.push({ id: c.id, score: c.score, rank: c.rank, reason });
    else allowed.push(c);
  }
  const filtered = performance.now();

  // Comparing candidates with each other is the costly part, so it stops once k are kept;
  // with MMR, near-duplicates are dropped in MMR's own pass (one similarity per pair).
  let kept: Ranked[];
  const { dedupThreshold: threshold, mmrLambda: lambda } = rules;
  if (lambda === null) {
    kept = threshold === null ? allowed.slice(0, k) : removeNearDuplicates(allowed, threshold, k, vectorOf, removed);
  } else {
    const nearDuplicate =
      threshold === null
        ? undefined
        : {
            threshold,
            remove: (c: Ranked, of: Ranked, similarity: number) =>
              removed.push({
                id: c.id,
                score: c.score,
                rank: c.rank,
                reason: 'near-duplicate',
                duplicateOf: of.id,
                similarity,
              }),
          };
    kept = maximalMarginalRelevance(allowed, k, lambda, vectorOf, nearDuplicate);
  }
  const end = performance.now();
  const selectionMs = end - filtered;

  removed.sort((a, b) => a.rank - b.rank);
  return {
    candidates: candidates.length,
    afterFilters: allowed.length,
    kept: kept.map(({ id, score }) => ({ id, score })),
    removed,
    times: {
      filterMs: filtered - start,
      dedupMs: lambda === null ? selectionMs : 0,
      mmrMs: lambda === null ? 0 : selectionMs,
      totalMs: end - start,
    },
  };
}

function removeNearDuplicates(
  pool: Ranked[],
  threshold: number,
  limit: number,
  vectorOf: (id: number) => Float32Array,
  removed: Removal[],
): Ranked[] {
  const kept: Ranked[] = [];
  const keptVectors: Float32Array[] = [];
  for (const c of pool) {
    if (kept.length >= limit) break;
    const vector = vectorOf(c.id);
    let closest = -1;
    let closestSimilarity = -Infinity;
    keptVectors.forEach((other, i) => {
      const similarity = cosine(vector, other);
      if (similarity > closestSimilarity) {
        closestSimilarity = similarity;
        closest = i;
      }
    });
    if (closest >= 0 && closestSimilarity > threshold) {
      removed.push({
        id: c.id,
        score: c.score,
        rank: c.rank,
        reason: 'near-duplicate',
        duplicateOf: kept[closest].id,
        similarity: closestSimilarity,
      });
    } else {
      kept.push(c);
      keptVectors.push(vector);
    }
  }
  return kept;
}

/**
 * Greedy MMR (Carbonell & Goldstein, 1998): each pick maximises
 * λ·sim(query, c) − (1 − λ)·max over picked p of sim(c, p). Ties go to the higher-ranked candidate.
 * With `nearDuplicate`, a candidate more similar than its threshold to a pick is removed then.
 */
export function maximalMarginalRelevance<T extends Neighbour>(
  pool: readonly T[],
  k: number,
  lambda: number,
  vectorOf: (id: number) => Float32Array,
  nearDuplicate?: { threshold: number; remove: (candidate: T, of: T, similarity: number) => void },
): T[] {
  const remaining = pool.map((c) => ({ c, vector: vectorOf(c.id), maxSimilarity: -Infinity }));
  const picked: T[] = [];
  while (picked.length < k && remaining.length > 0) {
    let best = 0;
    let bestValue = -Infinity;
    remaining.forEach((r, i) => {
      const redundancy = picked.length === 0 ? 0 : r.maxSimilarity;
      const value = lambda * r.c.score - (1 - lambda) * redundancy;
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    });
    const [chosen] = remaining.splice(best, 1);
    picked.push(chosen.c);
    for (let i = remaining.length - 1; i >= 0; i--) {
      const r = remaining[i];
      const similarity = cosine(r.vector, chosen.vector);
      if (nearDuplicate && similarity > nearDuplicate.threshold) {
        nearDuplicate.remove(r.c, chosen.c, similarity);
        remaining.splice(i, 1);
      } else {
        r.maxSimilarity = Math.max(r.maxSimilarity, similarity);
      }
    }
  }
  return picked;
}
