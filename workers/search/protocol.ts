import type { Neighbour } from '../../src/lib/types';

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
  buildMs: number;
}

/** A query: a catalogue image already in the index, or a vector from an uploaded image. */
export type SearchQuery = { id: number } | { vector: Float32Array };

export interface SearchResult {
  exact: Neighbour[];
  hnsw: Neighbour[];
  /** Medians over `repeats` runs of the same query, in milliseconds. */
  exactMs: number;
  hnswMs: number;
  repeats: number;
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
  /** Takes the vectors (row-major, ids.length × dim) that both engines search. */
  setVectors(vectors: Float32Array, ids: Int32Array, dim: number): Promise<void>;
  /** Builds a new HNSW index; the old one serves queries until it is done. Null when cancelled. */
  buildIndex(params: HnswParams, onProgress: (added: number) => void): Promise<BuildResult | null>;
  /** Indexing pipeline: adds vectors (row-major) to the exact store and the live HNSW index, no rebuild. */
  add(vectors: Float32Array, ids: number[]): Promise<IndexSize>;
  /** Deletes images: HNSW mark-delete and removal from the exact store. */
  remove(ids: number[]): Promise<IndexSize>;
  search(query: SearchQuery, k: number, efSearch: number): Promise<SearchResult>;
  leaveOneOut(k: number, efSearch: number, onProgress: (done: number) => void): Promise<LeaveOneOutRankings | null>;
  sweep(request: SweepRequest, onProgress: (progress: SweepProgress) => void): Promise<SweepResult | null>;
  /** Stops the running build, evaluation or sweep at its next checkpoint. */
  cancel(): Promise<void>;
}
