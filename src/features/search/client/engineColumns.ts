import { annRecallAtK } from '../../../lib/annRecall';
import type { RerankOutcome } from '../../../lib/rerank';
import type { MetricName } from '../../../lib/testContract';
import type { Neighbour } from '../../../lib/types';
import type { SearchResult } from '../shared/protocol';

/** What a column's header says about its engine's settings. */
export interface ColumnKnobs {
  /** Vectors searched; null before the index is built. */
  n: number | null;
  efSearch: number;
  /** M of the index that serves; null before it is built. */
  M: number | null;
}

/**
 * One engine as a result column: how to read its part of a search result, and the metrics its
 * header carries. The columns are drawn from ENGINE_COLUMNS, so a further engine (a quantized
 * index, pgvector, a trained head) is one more entry here and in the search result.
 */
export interface EngineColumn {
  /** data-engine of its results. */
  engine: 'exact' | 'hnsw';
  title: string;
  /** One line under the title: the kind of search and its knobs. */
  describe(knobs: ColumnKnobs): string;
  /** What the column shows: the engine's candidates after re-ranking. */
  outcome(result: SearchResult): RerankOutcome;
  /** The engine's raw top k, before re-ranking: recall@k and the timings describe these. */
  raw(result: SearchResult): Neighbour[];
  warmMs(result: SearchResult): number;
  firstMs(result: SearchResult): number;
  msMetric: MetricName;
  firstMsMetric: MetricName;
  /** Its recall@k against the reference; null for the reference itself. */
  recallMetric: MetricName | null;
  /** What the time measures, for the header's tooltip. */
  timeHint: string;
}

/** The engine the others are measured against: its top k is the truth. */
export const REFERENCE_ENGINE = 'exact';

const count = (n: number | null) => (n === null ? '' : ` · N ${n.toLocaleString('en')}`);

export const ENGINE_COLUMNS: readonly EngineColumn[] = [
  {
    engine: 'exact',
    title: 'Exact',
    describe: ({ n }) => `brute force${count(n)}`,
    outcome: (r) => r.reranked.exact,
    raw: (r) => r.exact,
    warmMs: (r) => r.exactMs,
    firstMs: (r) => r.exactFirstMs,
    msMetric: 'exact-ms',
    firstMsMetric: 'exact-first-ms',
    recallMetric: null,
    timeHint: 'Brute-force scan of all N vectors (WebAssembly SIMD).',
  },
  {
    engine: 'hnsw',
    title: 'HNSW',
    describe: ({ efSearch, M }) => `efSearch ${efSearch}${M === null ? '' : ` · M ${M}`}`,
    outcome: (r) => r.reranked.hnsw,
    raw: (r) => r.hnsw,
    warmMs: (r) => r.hnswMs,
    firstMs: (r) => r.hnswFirstMs,
    msMetric: 'hnsw-ms',
    firstMsMetric: 'hnsw-first-ms',
    recallMetric: 'recall-at-k',
    timeHint: 'Approximate graph search (hnswlib-wasm) at this efSearch.',
  },
];

const reference = ENGINE_COLUMNS.find((c) => c.engine === REFERENCE_ENGINE)!;

/** An engine's name as its column's title. */
export function titleOf(engine: string): string {
  return ENGINE_COLUMNS.find((c) => c.engine === engine)?.title ?? engine;
}

/** ANN recall@k of a column's raw top k against the reference's; null for the reference. */
export function columnRecall(column: EngineColumn, result: SearchResult): number | null {
  if (column.recallMetric === null) return null;
  return annRecallAtK(
    reference.raw(result).map((n) => n.id),
    column.raw(result).map((n) => n.id),
  );
}
