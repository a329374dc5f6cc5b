import {
  MAX_OBJECTS_PER_IMAGE,
  collapseToParents,
  imagesOnly,
  isObjectEntry,
  objectEntryId,
  searchUntil,
  type CollapsedHit,
} from '../../../lib/objectEntries';
import type { RerankOutcome, RerankRules } from '../../../lib/rerank';
import type { Neighbour } from '../../../lib/types';
import type { EngineAnswer, RerankedResults } from '../shared/protocol';
import type { HnswIndex } from './hnswIndex';
import type { VectorStore } from './vectorStore';

/*
 * Object-level entries in the search worker (src/lib/objectEntries.ts): while the index holds
 * any, every engine's list is collapsed to one row per image before anything reads it — the raw
 * top k (so ANN recall@k compares images with images), the re-ranked columns and the further
 * engines — and offline evaluation sees the images only.
 */

/** One engine's searches, collapsed to images; remembers which entry hit each image, to give back after re-ranking. */
export class CollapsedEngine {
  private readonly entries = new Map<number, number>();

  constructor(
    private readonly search: (n: number) => Neighbour[],
    private readonly total: number,
  ) {}

  /** The top k images: the engine is asked for more until k images are left after collapsing. */
  topK(k: number): CollapsedHit[] {
    const rows = searchUntil(this.search, (hits) => collapseToParents(hits), k, this.total);
    for (const row of rows) if (row.entry !== undefined) this.entries.set(row.id, row.entry);
    return rows;
  }

  /** The re-ranked outcome with each kept image's entry put back (re-ranking keeps only id and score). */
  withEntries(outcome: RerankOutcome): RerankOutcome {
    const kept = outcome.kept.map((hit) => {
      const entry = this.entries.get(hit.id);
      return entry === undefined ? hit : { ...hit, entry };
    });
    return { ...outcome, kept };
  }
}

/**
 * Exact and HNSW as the raw top k and the re-ranking stage both read them for one query: with
 * `collapsing` (the index holds object entries), views that answer in images, and `withEntries`
 * puts back which entry hit each re-ranked image; else the engines themselves.
 */
export function engineViews(
  store: VectorStore,
  hnsw: HnswIndex,
  vector: Float32Array,
  efSearch: number,
  collapsing: boolean,
) {
  if (!collapsing) return { exactView: store, hnswView: hnsw, withEntries: (results: RerankedResults) => results };
  const exact = new CollapsedEngine((n) => store.exactTopK(vector, n), store.count);
  const approximate = new CollapsedEngine((n) => hnsw.search(vector, n, efSearch), store.count);
  return {
    exactView: {
      count: store.count,
      vectorOf: (id: number) => store.vectorOf(id),
      exactTopK: (_: Float32Array, n: number) => exact.topK(n),
    },
    hnswView: { search: (_: Float32Array, n: number) => approximate.topK(n) },
    withEntries: (results: RerankedResults): RerankedResults => ({
      ...results,
      exact: exact.withEntries(results.exact),
      hnsw: approximate.withEntries(results.hnsw),
    }),
  };
}

/** The rules with every possible entry of an excluded image excluded too (for engines re-ranked before collapsing). */
export function rulesOverEntries(rules: RerankRules | null): RerankRules | null {
  if (!rules || rules.excluded.size === 0) return rules;
  const excluded = new Map(rules.excluded);
  for (const [id, reason] of rules.excluded) {
    if (isObjectEntry(id)) continue;
    for (let slot = 0; slot < MAX_OBJECTS_PER_IMAGE; slot++) excluded.set(objectEntryId(id, slot), reason);
  }
  return { ...rules, excluded };
}

/** How many rows a further engine is asked for so that k images are left after collapsing: each image has at most 1 + MAX rows. */
export function rowsForImages(k: number, total: number): number {
  return Math.min(total, k * (1 + MAX_OBJECTS_PER_IMAGE));
}

/** A further engine's answer (asked for rowsForImages rows) collapsed to its top k images. */
export function collapseAnswer(answer: EngineAnswer, k: number): EngineAnswer {
  return {
    ...answer,
    raw: collapseToParents(answer.raw, k),
    reranked: { ...answer.reranked, kept: collapseToParents(answer.reranked.kept, k) },
  };
}

/** The top k images (object entries left out) for offline evaluation. */
export function imagesTopK(search: (n: number) => Neighbour[], k: number, total: number): Neighbour[] {
  return searchUntil(search, imagesOnly, k, total);
}

/** Object entries among ids. */
export function countEntries(ids: ArrayLike<number>): number {
  let count = 0;
  for (let i = 0; i < ids.length; i++) if (isObjectEntry(ids[i])) count++;
  return count;
}
