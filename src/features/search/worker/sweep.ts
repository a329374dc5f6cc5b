import { annRecallAtK } from '../../../lib/annRecall';
import { quantile } from '../../../lib/stats';
import type { JobControl } from '../../../bridge/jobControl';
import { HnswIndex } from './hnswIndex';
import type { SweepProgress, SweepRequest, SweepResult, SweepRow } from '../shared/protocol';
import type { VectorStore } from './vectorStore';

function timings(times: number[]): { qps: number; p50_ms: number; p95_ms: number } {
  const total = times.reduce((a, b) => a + b, 0);
  return {
    qps: total > 0 ? (times.length * 1000) / total : Infinity,
    p50_ms: quantile(times, 0.5),
    p95_ms: quantile(times, 0.95),
  };
}

/**
 * The ann-benchmarks experiment on this catalogue: for each M (an index built for it, or
 * the live one when its parameters match) and each efSearch, the mean ANN recall@k
 * against exact search over the sample queries, and per-query latency.
 */
export async function runSweep(
  store: VectorStore,
  live: HnswIndex | null,
  request: SweepRequest,
  control: JobControl,
  onProgress: (progress: SweepProgress) => void,
): Promise<SweepResult> {
  const { Ms, efConstruction, efSearches, k, queryIds } = request;
  const queries = queryIds.map((id) => store.vectorOf(id));
  const total = queries.length * (1 + Ms.length * efSearches.length);
  let done = 0;

  const exactTimes: number[] = [];
  const truth: number[][] = [];
  for (const query of queries) {
    const start = performance.now();
    const result = store.exactTopK(query, k);
    exactTimes.push(performance.now() - start);
    truth.push(result.map((n) => n.id));
    done++;
    await control.checkpoint();
  }
  onProgress({ done, total, stage: 'exact search' });

  const rows: SweepRow[] = [];
  for (const M of Ms) {
    const reuse = live && live.params.M === M && live.params.efConstruction === efConstruction;
    const index = reuse
      ? live
      : await HnswIndex.build(store.vectors, store.ids, store.dim, { M, efConstruction }, control, (added) =>
          onProgress({ done, total, stage: `building M=${M}: ${added}/${store.count}` }),
        );
    try {
      for (const efSearch of efSearches) {
        const times: number[] = [];
        let recallSum = 0;
        for (let q = 0; q < queries.length; q++) {
          const start = performance.now();
          const result = index.search(queries[q], k, efSearch);
          times.push(performance.now() - start);
          recallSum += annRecallAtK(
            truth[q],
            result.map((n) => n.id),
          );
          done++;
          await control.checkpoint();
        }
        rows.push({ M, efConstruction, efSearch, k, recall: recallSum / queries.length, ...timings(times) });
        onProgress({ done, total, stage: `M=${M}, efSearch=${efSearch}` });
      }
    } finally {
      if (index !== live) index.dispose();
    }
  }
  return { rows, exact: timings(exactTimes) };
}
