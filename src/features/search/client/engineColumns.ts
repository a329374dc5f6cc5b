import { formatCount } from '../../../lib/formatCount';
import { annRecallAtK } from '../../../lib/annRecall';
import type { RerankOutcome } from '../../../lib/rerank';
import type { MetricName } from '../../../lib/testContract';
import type { Neighbour } from '../../../lib/types';
import type { Engine } from '../../../lib/params';
import type { EngineAnswer, ExtraEngine, SearchResult } from '../shared/protocol';
import { PQ_M, RESCORE } from '../../quantize/shared/methods';

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
  /** data-engine of its results; `engines=` in the URL lists the shown columns by it. */
  engine: Engine;
  title: string;
  /** One line under the title: the kind of search and its knobs. */
  describe(knobs: ColumnKnobs): string;
  /** What the column shows: the engine's candidates after re-ranking. */
  outcome(result: SearchResult): RerankOutcome;
  /** The engine's raw top k, before re-ranking: recall@k and the timings describe these. */
  raw(result: SearchResult): Neighbour[];
  /** Null when the engine gave no answer to this query. */
  warmMs(result: SearchResult): number | null;
  firstMs(result: SearchResult): number | null;
  msMetric: MetricName;
  firstMsMetric: MetricName;
  /** Its recall@k against the reference; null for the reference itself. */
  recallMetric: MetricName | null;
  /** What the time measures, for the header's tooltip. */
  timeHint: string;
}

/** The engine the others are measured against: its top k is the truth. */
export const REFERENCE_ENGINE = 'exact';

const count = (n: number | null) => (n === null ? '' : ` · N ${formatCount(n)}`);

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
  extraColumn('pgvector', {
    title: 'pgvector',
    // pgvector caps ef_search at 1000 (MAX_EF_SEARCH in lib/pgvectorSql.ts).
    describe: ({ efSearch, M }) =>
      `Postgres HNSW · ef_search ${Math.min(1000, efSearch)}${M === null ? '' : ` · m ${M}`}`,
    timeHint:
      'Postgres + pgvector (PGlite, WebAssembly) in its own worker: HNSW index scan at this ef_search, SQL round trip included.',
    msMetric: 'pgvector-ms',
    firstMsMetric: 'pgvector-first-ms',
  }),
  // The quantized engines (features/quantize): SQ8 and binary trained at their first query, PQ off the search worker.
  extraColumn('sq8', {
    title: 'SQ8',
    describe: ({ n }) => `int8 codes, 4× smaller${count(n)}`,
    timeHint: 'Scan of int8 codes (per-dimension scalar quantization), int8 dot products in WebAssembly SIMD.',
    msMetric: 'quant-ms',
    firstMsMetric: 'quant-first-ms',
  }),
  extraColumn('binary', {
    title: 'Binary',
    describe: ({ n }) => `1 bit a dimension, Hamming${count(n)}`,
    timeHint: 'Scan of binary codes by Hamming distance (i64.popcnt in WebAssembly), no rescoring.',
    msMetric: 'quant-ms',
    firstMsMetric: 'quant-first-ms',
  }),
  extraColumn('binary-rescore', {
    title: 'Binary + rescore',
    describe: () => `Hamming top ${RESCORE.default}, rescored with floats`,
    timeHint: `Hamming scan of the binary codes, then the float vectors rescore its top ${RESCORE.default}.`,
    msMetric: 'quant-ms',
    firstMsMetric: 'quant-first-ms',
  }),
  extraColumn('pq', {
    title: 'PQ',
    describe: () => `m ${PQ_M.default} bytes a vector, 256 centroids`,
    timeHint: `Product quantization, m = ${PQ_M.default}: asymmetric distances from a per-query lookup table, summed in WebAssembly SIMD lanes.`,
    msMetric: 'quant-ms',
    firstMsMetric: 'quant-first-ms',
  }),
];

/** What an empty answer shows: an engine that was not asked, or gave nothing. */
const NOTHING: RerankOutcome = {
  candidates: 0,
  afterFilters: 0,
  kept: [],
  removed: [],
  times: { filterMs: 0, dedupMs: 0, mmrMs: 0, totalMs: 0 },
};

/**
 * The column of an engine beyond exact and HNSW, read from the search result's `extra` answers:
 * a further engine gives its title, describe line, time hint and metric names.
 */
export function extraColumn(
  engine: ExtraEngine,
  spec: Pick<EngineColumn, 'title' | 'describe' | 'timeHint' | 'msMetric' | 'firstMsMetric'>,
): EngineColumn {
  const answer = (r: SearchResult): EngineAnswer | undefined => r.extra[engine];
  return {
    engine,
    ...spec,
    outcome: (r) => answer(r)?.reranked ?? NOTHING,
    raw: (r) => answer(r)?.raw ?? [],
    warmMs: (r) => answer(r)?.warmMs ?? null,
    firstMs: (r) => answer(r)?.firstMs ?? null,
    recallMetric: 'recall-at-k',
  };
}

/** The columns the page shows, in ENGINE_COLUMNS' order. */
export function shownColumns(engines: readonly Engine[]): EngineColumn[] {
  return ENGINE_COLUMNS.filter((column) => engines.includes(column.engine));
}

const reference = ENGINE_COLUMNS.find((c) => c.engine === REFERENCE_ENGINE)!;

/** An engine's name as its column's title. */
export function titleOf(engine: string): string {
  return ENGINE_COLUMNS.find((c) => c.engine === engine)?.title ?? engine;
}

/** ANN recall@k of a column's raw top k against the reference's; null for the reference and for no answer. */
export function columnRecall(column: EngineColumn, result: SearchResult): number | null {
  if (column.recallMetric === null || column.warmMs(result) === null) return null;
  return annRecallAtK(
    reference.raw(result).map((n) => n.id),
    column.raw(result).map((n) => n.id),
  );
}
