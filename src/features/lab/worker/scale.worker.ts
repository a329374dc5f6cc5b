/// <reference lib="webworker" />
import { annRecallAtK } from '../../../lib/annRecall';
import { efSearchLadder } from '../../../lib/experiments';
import { exactStoreBytes, heapRefusal, hnswIndexBytes } from '../../../lib/hnswMemory';
import { chooseEfSearch, type EfRung } from '../../../lib/scaleFigures';
import { median } from '../../../lib/stats';
import { ClusteredVectorSource } from '../../../lib/syntheticVectors';
import type { JobControl } from '../../../bridge/jobControl';
import { exposeWorker } from '../../../bridge/workerHost';
import { ExactScanner } from '../../search/worker/exactScan';
import { HnswIndex } from '../../search/worker/hnswIndex';
import { SCALE_WORKER, type ScaleProgress, type ScaleRequest, type ScaleRow } from '../shared/scaleProtocol';
import { measureCompactScale } from '../../quantize/worker/compactScale';
import { COMPACT_QUERIES } from '../../quantize/shared/compactScale';

/** Like image embeddings: a few dozen classes, varying along a few directions each. */
const CLUSTERS = 40;
const INTRINSIC_DIM = 16;

const GENERATE_CHUNK = 1000;

/** Fills `out` (count rows) with clustered vectors, a chunk at a time. */
async function generate(
  control: JobControl,
  out: Float32Array,
  count: number,
  dim: number,
  seed: number,
  onProgress: (done: number) => void,
): Promise<void> {
  const source = new ClusteredVectorSource({ dim, clusters: CLUSTERS, spread: 0.8, seed, intrinsicDim: INTRINSIC_DIM });
  for (let from = 0; from < count; from += GENERATE_CHUNK) {
    source.fill(out, from, Math.min(count, from + GENERATE_CHUNK));
    onProgress(Math.min(count, from + GENERATE_CHUNK));
    await control.checkpoint();
  }
}

async function measure(
  control: JobControl,
  n: number,
  request: ScaleRequest,
  onProgress: (p: ScaleProgress) => void,
): Promise<ScaleRow> {
  const { dim, M, efConstruction, k, queries: q, recallTarget } = request;
  const base = {
    n,
    buildMs: 0,
    exactMs: 0,
    hnswMs: 0,
    efSearch: 0,
    recall: 0,
    reachedTarget: false,
    indexBytes: hnswIndexBytes(n, dim, M),
    exactBytes: exactStoreBytes(n, dim),
  };
  const refused = heapRefusal(n, dim, M);
  if (refused) return { ...base, refused };
  // Generated straight into the exact scan's memory: the first n rows are the data, the rest queries.
  const scanner = new ExactScanner(n + q, dim);
  const all = scanner.vectors;
  await generate(control, all, n + q, dim, n, (done) =>
    onProgress({ n, stage: 'generating vectors', done, total: n + q }),
  );
  const data = all.subarray(0, n * dim);
  const ids = Int32Array.from({ length: n }, (_, i) => i);
  const queries = Array.from({ length: q }, (_, i) => all.subarray((n + i) * dim, (n + i + 1) * dim));

  const start = performance.now();
  const index = await HnswIndex.build(data, ids, dim, { M, efConstruction }, control, (added) =>
    onProgress({ n, stage: 'building HNSW', done: added, total: n }),
  );
  try {
    const buildMs = performance.now() - start;
    onProgress({ n, stage: 'exact search', done: 0, total: q });
    const exactTimes: number[] = [];
    const truth: number[][] = [];
    for (const query of queries) {
      const t = performance.now();
      truth.push(scanner.topK(ids, query, k).map((r) => r.id));
      exactTimes.push(performance.now() - t);
      await control.checkpoint();
    }
    const rungs: EfRung[] = [];
    for (const efSearch of efSearchLadder(k, 1024)) {
      onProgress({ n, stage: `HNSW at efSearch=${efSearch}`, done: 0, total: q });
      const times: number[] = [];
      let recall = 0;
      for (let i = 0; i < q; i++) {
        const t = performance.now();
        const result = index.search(queries[i], k, efSearch);
        times.push(performance.now() - t);
        recall +=
          annRecallAtK(
            truth[i],
            result.map((r) => r.id),
          ) / q;
        await control.checkpoint();
      }
      rungs.push({ efSearch, recall, hnswMs: median(times) });
      if (recall >= recallTarget) break;
    }
    // The first rung reaching the target; else the last one tried, flagged as short of it.
    const chosen = chooseEfSearch(rungs, recallTarget)!;
    return { ...base, refused: null, buildMs, exactMs: median(exactTimes), ...chosen };
  } finally {
    index.dispose();
  }
}

exposeWorker(SCALE_WORKER, {
  async run(job, request, onRow, onProgress, onCompactRows) {
    for (const n of request.sizes) {
      onRow(await measure(job, n, request, onProgress));
      if (!request.compact) continue;
      const { dim, k } = request;
      const rows = await measureCompactScale(
        { n, dim, k, queries: Math.min(request.queries, COMPACT_QUERIES), rescore: request.compact.rescore, seed: n },
        job,
        (progress) => onProgress({ n, ...progress }),
      );
      onCompactRows(rows);
    }
    return true;
  },
});
