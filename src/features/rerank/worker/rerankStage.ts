import { candidateCount, isActive, rerank, type RerankRules } from '../../../lib/rerank';
import type { Neighbour } from '../../../lib/types';
import type { HnswIndex } from '../../search/worker/hnswIndex';
import type { RerankedResults } from '../../search/shared/protocol';
import type { VectorStore } from '../../search/worker/vectorStore';

type Timed = { result: Neighbour[]; ms: number };

export interface RerankStageInput {
  /** The engines as re-ranking asks them (the search worker may pass views that collapse object entries). */
  store: Pick<VectorStore, 'count' | 'exactTopK' | 'vectorOf'>;
  index: Pick<HnswIndex, 'search'>;
  vector: Float32Array;
  k: number;
  efSearch: number;
  rules: RerankRules | null;
  /** The engines' raw top k, reused as the candidates when nothing more is needed. */
  raw: { exact: Timed; hnsw: Timed };
  timed: (run: () => Neighbour[]) => Timed;
}

const PASS_THROUGH: RerankRules = { excluded: new Map(), dedupThreshold: null, mmrLambda: null };

/**
 * The re-ranking service on both columns, so they stay comparable: each engine is asked for
 * 3k candidates when a rule is active (the raw top-k search keeps its own k, so ANN recall@k
 * and the latency readouts mean what they did), and its candidates are re-ranked down to k.
 * The exact candidates come from the store's WebAssembly scan, the engine of the raw exact
 * search, so the exact time means the same with re-ranking on and off.
 */
export function rerankBoth(input: RerankStageInput): RerankedResults {
  const { store, vector, k, efSearch } = input;
  const rules = isActive(input.rules) ? input.rules : PASS_THROUGH;
  const fetched = candidateCount(k, store.count, rules !== PASS_THROUGH);
  const more = fetched > input.raw.exact.result.length;
  const exact = more ? input.timed(() => store.exactTopK(vector, fetched)) : input.raw.exact;
  const hnsw = more ? input.timed(() => input.index.search(vector, fetched, efSearch)) : input.raw.hnsw;
  const vectorOf = (id: number) => store.vectorOf(id);
  return {
    fetched,
    exactCandidatesMs: exact.ms,
    hnswCandidatesMs: hnsw.ms,
    exact: rerank(exact.result, k, rules, vectorOf),
    hnsw: rerank(hnsw.result, k, rules, vectorOf),
  };
}
