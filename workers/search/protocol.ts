import type { Neighbour } from '../../src/lib/types';

export interface HnswParams {
  /** Maximum number of links per node (the paper's M). */
  M: number;
  /** Candidate list size while inserting (the paper's efConstruction). */
  efConstruction: number;
}

export interface BuildResult {
  count: number;
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

export interface SearchWorkerApi {
  /** Takes the vectors (row-major, ids.length × dim) that both engines search. */
  setVectors(vectors: Float32Array, ids: Int32Array, dim: number): Promise<void>;
  /** Builds a new HNSW index over those vectors; the old one serves until it is done. */
  buildIndex(params: HnswParams, onProgress: (added: number) => void): Promise<BuildResult>;
  search(query: SearchQuery, k: number, efSearch: number): Promise<SearchResult>;
}
