/** The Scale lab's compact-code rows: N vectors held only as codes, the floats regenerated from the seed. */

export const COMPACT_SCALE_METHODS = ['sq8', 'binary-rescore'] as const;
export type CompactScaleMethod = (typeof COMPACT_SCALE_METHODS)[number];

/**
 * The most bytes of codes one method may hold: one WebAssembly memory, kept within the 2 GiB
 * the HNSW heap is capped at, so a tab stays well inside what a browser gives it.
 */
export const COMPACT_BUDGET_BYTES = 2 * 2 ** 30;

/** Held-out queries per N: each costs a float dot product per generated row in the one pass. */
export const COMPACT_QUERIES = 20;

export interface CompactScaleRequest {
  n: number;
  dim: number;
  k: number;
  /** Held-out queries, made from the same seed after the N rows. */
  queries: number;
  rescore: number;
  seed: number;
}

export interface CompactScaleRow {
  n: number;
  method: CompactScaleMethod;
  /** Set when the codes would not fit COMPACT_BUDGET_BYTES: nothing was measured. */
  refused: string | null;
  codeBytes: number;
  /** What the float32 vectors would take: not held, regenerated from the seed where rescoring reads them. */
  floatBytes: number;
  /** One pass, ms: training on a sample, then generating all N rows, encoding them and scoring the exact top k. */
  passMs: number;
  /** Median query time over the codes (and, rescoring, the regenerated floats), ms. */
  queryMs: number;
  p95Ms: number;
  /** ANN recall@k against the exact float top k, computed in the generating pass. */
  recall: number;
}

export interface CompactScaleProgress {
  stage: string;
  done: number;
  total: number;
}
