import { protocol } from '../../../bridge/protocol';
import type { ClickModelKnobs } from '../../../lib/clickModels';
import type { ExperimentResult, LoggedClick } from '../../../lib/onlineSimulation';
import type { RerankRules } from '../../../lib/rerank';

/** The rankers an experiment can compare (the `sim-arm-a` / `sim-arm-b` options). */
export const ARMS = ['exact', 'hnsw', 'hnsw-starved', 'rerank', 'mmr', 'trained'] as const;
export type Arm = (typeof ARMS)[number];

/**
 * The starved HNSW arm: an index built for the experiment with the fewest links and a short
 * candidate list, searched with efSearch 1 (hnswlib then keeps k + 1 candidates). Starving only
 * efSearch on the page's index is not enough here: at M 16 it still finds 99 % of the exact
 * top 10 on the default catalogue.
 */
export const STARVED_HNSW = { M: 2, efConstruction: 10, efSearch: 1 };

export interface SimulationRequest {
  queryIds: number[];
  labelOf: Map<number, string>;
  a: number[][];
  b: number[][];
  names: { a: string; b: string };
  knobs: ClickModelKnobs;
  zipf: number;
  seed: number;
  /** Sessions of each method (the A/B split and interleaving get as many each). */
  sessions: number;
}

export interface SimulationOutput {
  result: ExperimentResult;
  /** Every simulated click, for the click log. */
  clicks: LoggedClick[];
}

/** Over-fetched exact candidates re-ranked by the page's rules, in the worker with the vectors. */
export interface RerankRequest {
  /** Row-major vectors of `ids` (transferred). */
  vectors: Float32Array;
  ids: Int32Array;
  dim: number;
  queryIds: number[];
  /** Each query's exact candidates, best first, the query left out. */
  candidates: number[][];
  k: number;
  rules: RerankRules;
}

/** Every query's exact top k over given vectors (the trained arm's, projected through a head), the query left out. */
export interface ExactListsRequest {
  /** Row-major vectors of `ids` (transferred). */
  vectors: Float32Array;
  ids: Int32Array;
  dim: number;
  queryIds: number[];
  k: number;
}

export interface OnlineWorkerApi {
  /** Null when cancelled; progress in sessions done. */
  simulate(request: SimulationRequest, onProgress: (done: number) => void): Promise<SimulationOutput | null>;
  /** Each query's re-ranked top k; null when cancelled. */
  rerankLists(request: RerankRequest, onProgress: (done: number) => void): Promise<number[][] | null>;
  /** Each query's exact top k (cosine), itself left out; null when cancelled. */
  exactLists(request: ExactListsRequest, onProgress: (done: number) => void): Promise<number[][] | null>;
}

export const ONLINE_WORKER = protocol<OnlineWorkerApi>()({
  simulate: { job: true, callbacks: [1] },
  rerankLists: { job: true, callbacks: [1], transfer: (request) => [request.vectors.buffer] },
  exactLists: { job: true, callbacks: [1], transfer: (request) => [request.vectors.buffer] },
});
