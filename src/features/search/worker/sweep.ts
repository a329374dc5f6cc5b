import { annRecallAtK } from '../../../lib/annRecall';
import { leaveOut } from '../../../lib/offlineEvaluation';
import { quantile } from '../../../lib/stats';
import type { JobControl } from '../../../bridge/jobControl';
import { HnswIndex } from './hnswIndex';
import type { SweepProgress, SweepRequest, SweepResult, SweepRow } from '../shared/protocol';
import type { VectorStore } from './vectorStore';

/**
 * Queries run untimed before each timed block (the exact scan, each M's ladder), so the first
 * rows do not pay for cold caches and lazy compilation that later rows are spared.
 */
const WARM_UP_QUERIES = 20;

function timings(times: number[]): { qps: number; p50_ms: number; p95_ms: number } {
  const total = times.reduce((a, b) => a + b, 0);
  return {
    qps: total > 0 ? (times.length * 1000) / total : Infinity,
    p50_ms: quantile(times, 0.5),
    p95_ms: quantile(times, 0.95),
  };
}

/** One engine's answer to one sweep query: its neighbours other than the query, and the search time. */
export interface SweepAnswer {
  ids: number[];
  ms: number;
}

/**
 * A sweep query is an indexed image searched by its stored vector, so it would find itself at
 * distance 0 in both lists: a free hit that inflates recall (ann-benchmarks holds its queries
 * out). So each engine is asked for k + 1 and the query's own id is dropped from its list —
 * its id, not the first hit, since an identical image can tie with it or come first — keeping
 * k neighbours other than the query. The time is that of the k + 1 search.
 */
function excludingQuery(queryId: number, k: number, search: (want: number) => { id: number }[]): SweepAnswer {
  const start = performance.now();
  const found = search(k + 1);
  const ms = performance.now() - start;
  return {
    ids: leaveOut(
      queryId,
      found.map((n) => n.id),
      k,
    ),
    ms,
  };
}

/** The exact top k of an indexed image among the other images. */
export function exactOthers(store: VectorStore, queryId: number, k: number): SweepAnswer {
  const vector = store.vectorOf(queryId);
  return excludingQuery(queryId, k, (want) => store.exactTopK(vector, want));
}

/** HNSW's top k of an indexed image among the other images. */
export function hnswOthers(
  store: VectorStore,
  index: HnswIndex,
  queryId: number,
  k: number,
  efSearch: number,
): SweepAnswer {
  const vector = store.vectorOf(queryId);
  return excludingQuery(queryId, k, (want) => index.search(vector, want, efSearch));
}

/**
 * The ann-benchmarks experiment on this catalogue: for each M (an index built for it, or
 * the live one when its parameters match) and each efSearch, the mean ANN recall@k
 * against exact search over the sample queries, and per-query latency. The queries are
 * catalogue images; each is left out of both its lists (see excludingQuery).
 */
export async function runSweep(
  store: VectorStore,
  live: HnswIndex | null,
  request: SweepRequest,
  control: JobControl,
  onProgress: (progress: SweepProgress) => void,
): Promise<SweepResult> {
  const { Ms, efConstruction, efSearches, k, queryIds } = request;
  // k other images, when there are that many besides the query.
  const others = Math.max(0, Math.min(k, store.count - 1));
  const total = queryIds.length * (1 + Ms.length * efSearches.length);
  let done = 0;

  const warmUp = queryIds.slice(0, WARM_UP_QUERIES);
  for (const id of warmUp) exactOthers(store, id, others);
  const exactTimes: number[] = [];
  const truth: number[][] = [];
  for (const id of queryIds) {
    const { ids, ms } = exactOthers(store, id, others);
    exactTimes.push(ms);
    truth.push(ids);
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
      // hnswlib searches with max(efSearch, k) candidates, and the sweep asks for k + 1: the row
      // names the list it really used.
      const ladder = [...new Set(efSearches.map((ef) => Math.max(ef, others + 1)))];
      for (const id of warmUp) hnswOthers(store, index, id, others, ladder[0]);
      for (const efSearch of ladder) {
        const times: number[] = [];
        let recallSum = 0;
        for (const [q, id] of queryIds.entries()) {
          const { ids, ms } = hnswOthers(store, index, id, others, efSearch);
          times.push(ms);
          recallSum += annRecallAtK(truth[q], ids);
          done++;
          await control.checkpoint();
        }
        rows.push({
          M,
          efConstruction,
          efSearch,
          k,
          recall: recallSum / queryIds.length,
          ...timings(times),
          queries: queryIds.length,
          self_matches: 'excluded',
        });
        onProgress({ done, total, stage: `M=${M}, efSearch=${efSearch}` });
      }
    } finally {
      if (index !== live) index.dispose();
    }
  }
  return { rows, exact: timings(exactTimes) };
}
