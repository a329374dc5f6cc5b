import { protocol } from '../../../bridge/protocol';
import type { RerankOutcome, RerankRules } from '../../../lib/rerank';
import type { Neighbour } from '../../../lib/types';
import type { Engine } from '../../../lib/params';
import type { QuantizationProgress, QuantizationRequest, QuantizationResult } from '../../quantize/shared/methods';
import type { IndexSource, ShippedIndexMeta } from '../../../lib/shippedIndex';
import type { PqCodes } from '../../quantize/shared/pqTrainProtocol';

export interface HnswParams {
  /** Maximum number of links per node (the paper's M). */
  M: number;
  /** Candidate list size while inserting (the paper's efConstruction). */
  efConstruction: number;
}

export interface IndexSize {
  /** Vectors both engines search. */
  count: number;
  /** Estimated from hnswlib's memory layout, for the slots the index holds. */
  indexBytes: number;
}

export interface BuildResult extends IndexSize {
  /** Time to build the index, or to read it back when it was shipped or stored. */
  buildMs: number;
  /** Built here, read back from browser storage, or read from the catalogue's shipped file. */
  source: IndexSource;
}

/** The catalogue's shipped index to read: where its bytes are and what they must be. */
export interface ShippedIndexRequest {
  /** Absolute URL of the index file. */
  url: string;
  meta: ShippedIndexMeta;
  /** The name to keep it under in browser storage, so a later visit reads it as a stored index. */
  file: string;
}

/** What was saved of an index, to check it when it is read back. */
export interface SavedIndex {
  file: string;
  bytes: number;
  /** sha256 of the stored file, hex. */
  checksum: string;
}

/** Why a stored index could not be used; the caller builds a new one. */
export interface RestoreFailure {
  problem: string;
}

/** A query: a catalogue image already in the index, or a vector from an uploaded image. */
export type SearchQuery = { id: number } | { vector: Float32Array };

export interface SearchResult {
  /** Each engine's raw top k, before re-ranking: ANN recall@k compares these. */
  exact: Neighbour[];
  hnsw: Neighbour[];
  /** Medians over `repeats` warm runs of the same query, in milliseconds (the first run left out). */
  exactMs: number;
  hnswMs: number;
  /** The first run of the query on each engine, timed on its own, in milliseconds: before the warm runs. */
  exactFirstMs: number;
  hnswFirstMs: number;
  /** Warm runs behind each median. */
  repeats: number;
  /** What is shown: each engine's candidates through the re-ranking service. */
  reranked: RerankedResults;
  /**
   * The engines beyond exact and HNSW that the search was asked for (`engines=`), each answered in
   * full; PQ only once its codes are installed (setPqCodes), absent while they are trained.
   */
  extra: Partial<Record<ExtraEngine, EngineAnswer>>;
}

/** The engines that answer beside the two every search runs. */
export type ExtraEngine = Exclude<Engine, 'exact' | 'hnsw'>;

/** The engines of a list beyond exact and HNSW: those a search is asked to answer in `extra`. */
export const extraEngines = (engines: readonly Engine[]): ExtraEngine[] =>
  engines.filter((engine): engine is ExtraEngine => engine !== 'exact' && engine !== 'hnsw');

/** One further engine's answer to a query, timed as exact and HNSW are. */
export interface EngineAnswer {
  /** Its raw top k, before re-ranking: its recall@k compares these with exact's. */
  raw: Neighbour[];
  /** Median of the warm runs, and the first run on its own, in milliseconds. */
  warmMs: number;
  firstMs: number;
  /** What its column shows: its candidates through the re-ranking rules. */
  reranked: RerankOutcome;
}

/** The prediction pipeline after the raw top k: over-fetched candidates, re-ranked per engine. */
export interface RerankedResults {
  /** Candidates asked of each engine (3k when a rule is active, else k; at most N). */
  fetched: number;
  /** Median ms of each engine's candidate search (the raw search when nothing more was fetched). */
  exactCandidatesMs: number;
  hnswCandidatesMs: number;
  exact: RerankOutcome;
  hnsw: RerankOutcome;
}

/** Leave-one-out result lists: for every indexed id, the top k of each engine without the query. */
export interface LeaveOneOutRankings {
  queryIds: number[];
  exact: number[][];
  hnsw: number[][];
}

export interface SweepRequest {
  Ms: number[];
  efConstruction: number;
  efSearches: number[];
  k: number;
  queryIds: number[];
}

/** One point of the recall/speed curve; field names are the CSV columns. */
export interface SweepRow {
  M: number;
  efConstruction: number;
  efSearch: number;
  k: number;
  recall: number;
  qps: number;
  p50_ms: number;
  p95_ms: number;
  /** Q, the sampled catalogue images searched at this point. */
  queries: number;
  /** Each query is left out of its own exact and HNSW lists (k + 1 searched, its id dropped). */
  self_matches: 'excluded';
}

export interface SweepResult {
  rows: SweepRow[];
  /** The exact scan over the same queries, the reference point. */
  exact: { qps: number; p50_ms: number; p95_ms: number };
}

export interface SweepProgress {
  done: number;
  total: number;
  stage: string;
}

export interface SearchWorkerApi {
  /**
   * Loads hnswlib-wasm and reads the indexes earlier visits saved into its file system, so that
   * work runs while the page is still fetching the vectors, not after.
   */
  prepare(): Promise<void>;
  /** Takes the vectors (row-major, ids.length × dim) that both engines search; they are transferred, not copied. */
  setVectors(vectors: Float32Array, ids: Int32Array, dim: number): Promise<void>;
  /** Builds a new HNSW index; the old one serves queries until it is done. Null when cancelled: the old one stays. */
  buildIndex(params: HnswParams, onProgress: (added: number) => void): Promise<BuildResult | null>;
  /** Saves the serving index as `file` in browser storage and deletes the files in `replaces`. */
  saveIndex(file: string, replaces: string[]): Promise<SavedIndex>;
  /**
   * Serves a saved index instead of building one, after checking its checksum and size
   * against what saveIndex reported. A bad file is deleted and reported, never served.
   */
  restoreIndex(saved: SavedIndex, params: HnswParams): Promise<BuildResult | RestoreFailure>;
  /**
   * Serves the catalogue's shipped index (built by setup in Node) instead of building one, after
   * checking its size and checksum against its description; it is also kept in browser storage as
   * `file`. A bad or missing file is reported, never served.
   */
  loadShippedIndex(request: ShippedIndexRequest, params: HnswParams): Promise<BuildResult | RestoreFailure>;
  /** Deletes every saved index. */
  forgetIndexes(): Promise<void>;
  /**
   * A copy of the indexed vectors (row-major, in catalogue order) for export; with `imagesOnly`,
   * without the object-level entries (src/lib/objectEntries.ts).
   */
  copyVectors(imagesOnly?: boolean): Promise<{ vectors: Float32Array; ids: Int32Array; dim: number }>;
  /** Indexing pipeline: adds vectors (row-major, transferred) to the exact store and the live HNSW index, no rebuild. */
  add(vectors: Float32Array, ids: number[]): Promise<IndexSize>;
  /** Deletes images: HNSW mark-delete and removal from the exact store. */
  remove(ids: number[]): Promise<IndexSize>;
  /**
   * Serves the PQ engine from codes trained in the PQ training worker (never trained here, so no
   * query waits for k-means); false when they are not the rows stored now.
   */
  setPqCodes(codes: PqCodes): Promise<boolean>;
  /**
   * Both engines' top k, then their candidates re-ranked with `rules` (null: shown as they come);
   * and each of the further `engines` asked, answered in `extra`.
   */
  search(
    query: SearchQuery,
    k: number,
    efSearch: number,
    rules: RerankRules | null,
    engines?: readonly ExtraEngine[],
  ): Promise<SearchResult>;
  /** Null when cancelled. */
  leaveOneOut(k: number, efSearch: number, onProgress: (done: number) => void): Promise<LeaveOneOutRankings | null>;
  /**
   * HNSW's leave-one-out lists (in `leaveOneOut`'s query order) on a temporary index built with
   * `params` for this call and freed after it, e.g. a starved one; null when cancelled.
   */
  leaveOneOutOnIndex(
    params: HnswParams,
    k: number,
    efSearch: number,
    onProgress: (done: number) => void,
  ): Promise<number[][] | null>;
  /** Null when cancelled. */
  sweep(request: SweepRequest, onProgress: (progress: SweepProgress) => void): Promise<SweepResult | null>;
  /** The quantization lab: every method trained and searched on sampled catalogue queries. Null when cancelled. */
  quantization(
    request: QuantizationRequest,
    onProgress: (progress: QuantizationProgress) => void,
  ): Promise<QuantizationResult | null>;
}

/** The search worker's boundary: what is transferred, which callbacks are proxied, which calls are cancellable jobs. */
export const SEARCH_WORKER = protocol<SearchWorkerApi>()({
  prepare: {},
  setVectors: { transfer: (vectors) => [vectors.buffer] },
  buildIndex: { job: true, callbacks: [1] },
  saveIndex: {},
  restoreIndex: {},
  loadShippedIndex: {},
  forgetIndexes: {},
  copyVectors: { transferResult: (copy) => [copy.vectors.buffer] },
  add: { transfer: (vectors) => [vectors.buffer] },
  remove: {},
  setPqCodes: {},
  search: {},
  leaveOneOut: { job: true, callbacks: [2] },
  leaveOneOutOnIndex: { job: true, callbacks: [3] },
  sweep: { job: true, callbacks: [1] },
  quantization: { job: true, callbacks: [1] },
});
