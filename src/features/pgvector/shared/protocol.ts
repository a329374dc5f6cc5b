import { protocol } from '../../../bridge/protocol';
import type { PgvectorIndexParams, PgvectorRow } from '../../../lib/pgvectorSql';
import type { RerankRules } from '../../../lib/rerank';
import type { EngineAnswer, SearchQuery } from '../../search/shared/protocol';

/** The catalogue as the worker loads it into `items`: rows and their vectors (row-major, rows.length × dim). */
export interface PgvectorTable {
  rows: PgvectorRow[];
  vectors: Float32Array;
  dim: number;
  /** Identifies exactly these rows and vectors (cacheKeys.vectorsFingerprint): a stored database with another is reloaded. */
  fingerprint: string;
}

/** Where the database lives: an IndexedDB data directory (`idb://name`), or memory (null). */
export type PgvectorStorage = string | null;

export interface PgvectorOpened {
  count: number;
  /** Time to load the rows (COPY), ms; 0 when the rows were read back from IndexedDB. */
  loadMs: number;
  /** Time to build the HNSW index, or to open the stored database when `restored`, ms. */
  buildMs: number;
  /** True when the table and index were read back from IndexedDB instead of loaded and built. */
  restored: boolean;
  /** Why the database is in memory only (IndexedDB unavailable or failing); null when it is stored. */
  storageProblem: string | null;
}

export interface PgvectorProgress {
  stage: 'starting' | 'loading' | 'indexing';
  /** Rows loaded so far, out of `total` (the index build reports none: Postgres builds it in one statement). */
  done: number;
  total: number;
}

export interface PgvectorSearchOptions {
  k: number;
  efSearch: number;
  /** Re-ranking rules: their excluded ids become the WHERE clause; near-duplicates and MMR run after. */
  rules: RerankRules | null;
  /** pgvector's `hnsw.iterative_scan`: keep scanning the graph when the filter removed candidates. */
  iterativeScan: boolean;
  /** `SET enable_seqscan = off`: the planner takes the HNSW index even where scanning every row looks cheaper. */
  forceIndex: boolean;
}

/** What the filter did: the filtered top k against the exact top k of the rows the filter keeps. */
export interface FilteredFigures {
  /** Rows the WHERE clause removes. */
  excluded: number;
  /** Rows the filtered query returned (fewer than asked when the scan ran dry, iterative scan off). */
  returned: number;
  /** How many were asked for (the re-ranking stage's candidates). */
  asked: number;
  /** Recall@k of the filtered answer against the exact top k among the kept rows. */
  recall: number;
  /** Median of the warm runs of the filtered query, ms. */
  warmMs: number;
  /** How Postgres ran the filtered query (EXPLAIN). */
  plan: PgvectorPlan;
}

/** What the planner chose: the HNSW index scan, or a sequential scan and sort (exact) when that looked cheaper. */
export type PgvectorPlan = 'hnsw index scan' | 'sequential scan';

export interface PgvectorAnswer {
  /** The column's answer: raw top k without filter (its recall@k compares it with exact), and the filtered, re-ranked results. */
  answer: EngineAnswer;
  /** Null when no rule excludes anything. */
  filtered: FilteredFigures | null;
  /** The ef_search used (pgvector caps it at 1000). */
  efSearch: number;
  /** How Postgres ran the raw top-k query (EXPLAIN). */
  plan: PgvectorPlan;
}

export interface PgvectorSweepRequest {
  efSearches: number[];
  k: number;
  queryIds: number[];
}

/** One point of the recall/speed curve of pgvector at one ef_search; field names as the sweep CSV's. */
export interface PgvectorSweepRow {
  efSearch: number;
  k: number;
  recall: number;
  qps: number;
  p50_ms: number;
  p95_ms: number;
  queries: number;
}

export interface PgvectorWorkerApi {
  /**
   * Opens the database (`storage`), and loads the table and builds the HNSW index unless the stored
   * database already holds exactly these rows with an index of these parameters. Null when cancelled.
   */
  open(
    storage: PgvectorStorage,
    table: PgvectorTable,
    params: PgvectorIndexParams,
    onProgress: (progress: PgvectorProgress) => void,
  ): Promise<PgvectorOpened | null>;
  /** The query through pgvector: raw top k, then the filtered candidates re-ranked. */
  search(query: SearchQuery, options: PgvectorSearchOptions): Promise<PgvectorAnswer>;
  /** Recall@k and speed of pgvector at each ef_search, each query left out of its own lists. Null when cancelled. */
  sweep(
    request: PgvectorSweepRequest,
    onProgress: (done: number, total: number) => void,
  ): Promise<PgvectorSweepRow[] | null>;
  /** Closes the database and deletes every stored pgvector database of this app. */
  forget(): Promise<void>;
}

export const PGVECTOR_WORKER = protocol<PgvectorWorkerApi>()({
  open: { job: true, callbacks: [3], transfer: (_storage, table) => [table.vectors.buffer] },
  search: {},
  sweep: { job: true, callbacks: [1] },
  forget: {},
});
