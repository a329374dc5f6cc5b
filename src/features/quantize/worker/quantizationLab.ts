import { annRecallAtK } from '../../../lib/annRecall';
import { leaveOut } from '../../../lib/offlineEvaluation';
import { quantile } from '../../../lib/stats';
import type { Neighbour } from '../../../lib/types';
import {
  PQ_SEED,
  QUANT_METHODS,
  bytesPerVector,
  modelBytes,
  needsFloats,
  type QuantMethod,
  type QuantizationProgress,
  type QuantizationRequest,
  type QuantizationResult,
  type QuantizationRow,
} from '../shared/methods';
import { buildQuantizedIndex, type FloatVectors } from './quantizedIndex';

/** The search worker's float store, as the lab reads it: the vectors, a stored vector by id, and the exact scan. */
export interface LabVectors extends FloatVectors {
  vectorOf(id: number): Float32Array;
  exactTopK(query: Float32Array, k: number): Neighbour[];
}

/** Untimed queries before each method's timed ones, so no method pays for cold caches the next is spared. */
const WARM_UP_QUERIES = 10;

interface Checkpoint {
  checkpoint(): Promise<void>;
}

/**
 * Every method on the same sampled queries: each trained (timed), each query searched once
 * (timed) for k + 1 with the query's own id then dropped (as the sweep does), recall@k against
 * the float32 exact scan's list, and the lists kept so the page can score them by label.
 */
export async function runQuantization(
  store: LabVectors,
  request: QuantizationRequest,
  job: Checkpoint,
  onProgress: (progress: QuantizationProgress) => void,
): Promise<QuantizationResult> {
  const { k, queryIds } = request;
  const { dim, ids } = store;
  const count = ids.length;
  // Both PQ methods report each sub-space's k-means.
  const total = QUANT_METHODS.length * queryIds.length + 2 * request.pqM;
  let done = 0;
  const rankings = {} as Record<QuantMethod, number[][]>;
  const rows: QuantizationRow[] = [];
  let exact: number[][] = [];

  for (const method of QUANT_METHODS) {
    onProgress({ done, total, stage: `${method}: training` });
    let trainMs = 0;
    let search: (query: Float32Array, want: number) => Neighbour[];
    if (method === 'float32') {
      search = (query, want) => store.exactTopK(query, want);
    } else {
      const index = await buildQuantizedIndex(method, store, {
        pqM: request.pqM,
        pqSeed: PQ_SEED,
        rotate: request.rotate,
        onSubspace: async (subspaces) => {
          onProgress({
            done: done + subspaces,
            total,
            stage: `${method}: k-means of sub-space ${subspaces} / ${request.pqM}`,
          });
          await job.checkpoint();
        },
      });
      if (method === 'pq' || method === 'ivf-pq') done += request.pqM;
      trainMs = index.trainMs;
      search = (query, want) => index.search(query, { k: want, rescore: request.rescore });
    }
    for (const id of queryIds.slice(0, WARM_UP_QUERIES)) search(store.vectorOf(id), k + 1);
    const times: number[] = [];
    const lists: number[][] = [];
    for (const id of queryIds) {
      const query = store.vectorOf(id);
      const start = performance.now();
      const found = search(query, k + 1);
      times.push(performance.now() - start);
      lists.push(
        leaveOut(
          id,
          found.map((n) => n.id),
          k,
        ),
      );
      done++;
      if (done % 16 === 0) onProgress({ done, total, stage: `${method}: queries` });
      await job.checkpoint();
    }
    if (method === 'float32') exact = lists;
    rankings[method] = lists;
    const perVector = bytesPerVector(method, dim, request.pqM);
    rows.push({
      method,
      bytes_per_vector: perVector,
      total_bytes: perVector * count + modelBytes(method, dim, request.pqM, count, request.rotate),
      train_ms: trainMs,
      p50_ms: quantile(times, 0.5),
      p95_ms: quantile(times, 0.95),
      recall: lists.reduce((sum, list, q) => sum + annRecallAtK(exact[q], list), 0) / Math.max(1, lists.length),
      needs_floats: needsFloats(method),
    });
  }
  onProgress({ done: total, total, stage: 'done' });
  return { rows, rankings, queryIds, k, count, dim };
}
