import { candidateCount, isActive, rerank, type RerankRules } from '../../../lib/rerank';
import type { TimedRuns } from '../../../lib/timing';
import type { Neighbour } from '../../../lib/types';
import type { EngineAnswer } from '../../search/shared/protocol';
import { PQ_M, PQ_SEED, RESCORE, type QuantizedMethod } from '../shared/methods';
import type { ProductQuantizer } from '../shared/productQuantizer';
import { buildQuantizedIndex, pqIndexFromCodes, type FloatVectors, type QuantizedIndex } from './quantizedIndex';

const PASS_THROUGH: RerankRules = { excluded: new Map(), dedupThreshold: null, mmrLambda: null };

export interface EngineQuery {
  vector: Float32Array;
  k: number;
  rules: RerankRules | null;
  vectorOf: (id: number) => Float32Array;
  timed: (run: () => Neighbour[]) => TimedRuns<Neighbour[]>;
}

/** Whether two id lists are the same rows in the same order. */
const sameRows = (a: Int32Array, b: Int32Array) => a.length === b.length && a.every((id, row) => id === b[row]);

/**
 * The quantized engines of the Search tab, inside the search worker where the float vectors
 * are. SQ8 and binary are trained on first use (a pass over the vectors, well under a second)
 * over the vectors stored then; PQ's k-means takes far longer, so it never runs here: PQ answers
 * once codes trained in the PQ training worker are installed (`installPq`). Each is kept until
 * the vectors change (an add, a delete, new vectors: `forget()`); its answer is timed and
 * re-ranked as exact and HNSW are. Binary + rescoring rescores RESCORE.default Hamming candidates.
 */
export class QuantizedEngines {
  private readonly built = new Map<QuantizedMethod, Promise<QuantizedIndex>>();

  constructor(private readonly source: () => FloatVectors) {}

  forget(): void {
    this.built.clear();
  }

  /**
   * Serves PQ from codes trained elsewhere, when they are the rows stored now (same ids, same
   * order); false when the vectors changed meanwhile.
   */
  installPq(pq: ProductQuantizer, codes: Uint8Array, ids: Int32Array): boolean {
    const source = this.source();
    if (!sameRows(source.ids, ids)) return false;
    this.built.set('pq', Promise.resolve(pqIndexFromCodes(source, pq, codes)));
    return true;
  }

  private index(method: Exclude<QuantizedMethod, 'pq'>): Promise<QuantizedIndex> {
    let index = this.built.get(method);
    if (!index) {
      index = buildQuantizedIndex(method, this.source(), { pqM: PQ_M.default, pqSeed: PQ_SEED });
      // A failed build is not kept: the next query tries again.
      index.catch(() => this.built.delete(method));
      this.built.set(method, index);
    }
    return index;
  }

  /** The engine's answer; null for PQ while its codes are not installed (they are being trained). */
  async answer(method: QuantizedMethod, query: EngineQuery): Promise<EngineAnswer | null> {
    const pq = this.built.get('pq');
    if (method === 'pq' && !pq) return null;
    const index = await (method === 'pq' ? pq! : this.index(method));
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
