/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as mobilenet from '@tensorflow-models/mobilenet';
import * as Comlink from 'comlink';
import { annRecallAtK } from '../../../src/lib/annRecall';
import { exactTopK } from '../../../src/lib/exactSearch';
import { efSearchLadder } from '../../../src/lib/experiments';
import { clusteredBenchVectors } from '../vectors';
import { startBackend } from '../../../src/features/embed/worker/backend';
import { decodeToModelInput } from '../../../src/features/embed/worker/decode';
import { MODEL_INPUT_BYTES, embedModelInputs } from '../../../src/features/embed/worker/infer';
import { ExactScanner } from '../../../src/features/search/worker/exactScan';
import { HnswIndex, hnswlibHeapBytes } from '../../../src/features/search/worker/hnswIndex';
import { JobControl } from '../../../src/bridge/jobControl';
import type { ProbeApi } from './protocol';

function timed(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

const api: ProbeApi = {
  async embedding(probe) {
    const started = performance.now();
    const info = await startBackend(probe.backend, probe.threads);
    if (info.backend !== probe.backend) throw new Error(`${probe.backend} did not start (got ${info.backend})`);
    const model = await mobilenet.load({
      version: probe.model.version,
      alpha: probe.model.alpha as mobilenet.MobileNetAlpha,
      modelUrl: probe.modelUrl,
      inputRange: probe.model.inputRange,
    });
    const loadMs = performance.now() - started;
    const warmupMs = timed(() => embedModelInputs(model, [new Uint8Array(MODEL_INPUT_BYTES)]));
    const prepMs: number[] = [];
    const inputs: Uint8Array[] = [];
    for (const [id, source] of probe.imageUrls.slice(0, Math.max(...probe.batches)).entries()) {
      const start = performance.now();
      inputs.push(await decodeToModelInput({ id, source }));
      prepMs.push(performance.now() - start);
    }
    const inferMsPerImage: Record<number, number[]> = {};
    for (const batch of probe.batches) {
      const batchInputs = inputs.slice(0, batch);
      // The first batch of a new shape compiles kernels (WebGL) or sizes buffers: not timed.
      embedModelInputs(model, batchInputs);
      inferMsPerImage[batch] = [];
      for (let run = 0; run < probe.runs; run++)
        inferMsPerImage[batch].push(timed(() => embedModelInputs(model, batchInputs)) / batch);
    }
    const wasm = info.backend === 'wasm';
    return {
      ...info,
      threadCount: wasm && info.threads ? getThreadsCount() : 1,
      loadMs,
      warmupMs,
      prepMs,
      inferMsPerImage,
      wasmHeapBytes: wasm ? (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.byteLength : 0,
    };
  },

  async scan({ n, dim, queries, k }) {
    const vectors = clusteredBenchVectors(n + queries, dim, 1);
    const data = vectors.subarray(0, n * dim);
    const ids = Int32Array.from({ length: n }, (_, i) => i);
    const scanner = ExactScanner.of(data, dim);
    const scanMs: number[] = [];
    const plainScanMs: number[] = [];
    for (let q = 0; q < queries; q++) {
      const query = vectors.subarray((n + q) * dim, (n + q + 1) * dim);
      scanMs.push(timed(() => scanner.topK(ids, query, k)));
      plainScanMs.push(timed(() => exactTopK(data, ids, dim, query, k)));
    }
    // The physical limit: moving the same bytes once, in the same worker.
    const target = new Float32Array(n * dim);
    const twice = new Float32Array(2 * n * dim);
    const setMs: number[] = [];
    const copyWithinMs: number[] = [];
    for (let r = 0; r < queries; r++) {
      setMs.push(timed(() => target.set(data)));
      copyWithinMs.push(timed(() => twice.copyWithin(n * dim, 0, n * dim)));
    }
    return { bytes: data.byteLength, scanMs, plainScanMs, setMs, copyWithinMs };
  },

  async hnsw({ n, dim, M, efConstruction, k, queries: q, recallTarget, seed }) {
    const all = clusteredBenchVectors(n + q, dim, seed);
    const data = all.subarray(0, n * dim);
    const scanner = ExactScanner.of(data, dim);
    const ids = Int32Array.from({ length: n }, (_, i) => i);
    const queries = Array.from({ length: q }, (_, i) => all.subarray((n + i) * dim, (n + i + 1) * dim));
    const start = performance.now();
    const index = await HnswIndex.build(data, ids, dim, { M, efConstruction }, new JobControl(), () => {});
    const buildMs = performance.now() - start;
    try {
      const exactMs: number[] = [];
      const truth = queries.map((query) => {
        let ids10: number[] = [];
        exactMs.push(timed(() => (ids10 = scanner.topK(ids, query, k).map((r) => r.id))));
        return ids10;
      });
      let chosen = { efSearch: 0, recall: 0, hnswMs: [] as number[] };
      for (const efSearch of efSearchLadder(k, 1024)) {
        const hnswMs: number[] = [];
        let recall = 0;
        queries.forEach((query, i) => {
          let found: number[] = [];
          hnswMs.push(timed(() => (found = index.search(query, k, efSearch).map((r) => r.id))));
          recall += annRecallAtK(truth[i], found) / q;
        });
        chosen = { efSearch, recall, hnswMs };
        if (recall >= recallTarget) break;
      }
      return { buildMs, ...chosen, exactMs, wasmHeapBytes: await hnswlibHeapBytes() };
    } finally {
      index.dispose();
    }
  },
};

Comlink.expose(api);
