import { candidateCount, isActive, rerank, type RerankRules } from '../../../lib/rerank';
import type { TimedRuns } from '../../../lib/timing';
import type { Neighbour } from '../../../lib/types';
import type { EngineAnswer } from '../../search/shared/protocol';
import { PQ_M, PQ_SEED, RESCORE, type QuantizedMethod } from '../shared/methods';
import { buildQuantizedIndex, type FloatVectors, type QuantizedIndex } from './quantizedIndex';

const PASS_THROUGH: RerankRules = { excluded: new Map(), dedupThreshold: null, mmrLambda: null };

export interface EngineQuery {
  vector: Float32Array;
  k: number;
  rules: RerankRules | null;
  vectorOf: (id: number) => Float32Array;
  timed: (run: () => Neighbour[]) => TimedRuns<Neighbour[]>;
}

/**
 * The quantized engines of the Search tab, inside the search worker where the float vectors
 * are. Each is trained on first use over the vectors stored then and kept until they change
 * (an add, a delete, new vectors: `forget()`); its answer is timed and re-ranked as exact and
 * HNSW are. Binary + rescoring rescores RESCORE.default Hamming candidates; PQ uses m = PQ_M.default.
 */
export class QuantizedEngines {
  private readonly built = new Map<QuantizedMethod, Promise<QuantizedIndex>>();

  constructor(private readonly source: () => FloatVectors) {}

  forget(): void {
    this.built.clear();
  }

  private index(method: QuantizedMethod): Promise<QuantizedIndex> {
    let index = this.built.get(method);
    if (!index) {
      index = buildQuantizedIndex(method, this.source(), { pqM: PQ_M.default, pqSeed: PQ_SEED });
      // A failed build is not kept: the next query tries again.
      index.catch(() => this.built.delete(method));
      this.built.set(method, index);
    }
    return index;
  }

  async answer(method: QuantizedMethod, query: EngineQuery): Promise<EngineAnswer> {
    const index = await this.index(method);
    const { vector, k } = query;
    const search = (want: number) => () => index.search(vector, { k: want, rescore: RESCORE.default });
    const raw = query.timed(search(k));
    const rules = isActive(query.rules) ? query.rules : PASS_THROUGH;
    const fetched = candidateCount(k, this.source().ids.length, rules !== PASS_THROUGH);
    const candidates = fetched > raw.result.length ? query.timed(search(fetched)).result : raw.result;
    return {
      raw: raw.result,
      warmMs: raw.ms,
      firstMs: raw.firstMs,
      reranked: rerank(candidates, k, rules, query.vectorOf),
    };
  }
}
