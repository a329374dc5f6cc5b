/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
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
import { fusedMaxAbsDiff, profileKernels, timeVariants } from './embeddingVariants';
import type { ProbeApi } from './protocol';

/** Untimed runs of each operation before its timed block. */
const WARMUP = 2;

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
    const query = (q: number) => vectors.subarray((n + q) * dim, (n + q + 1) * dim);
    // The physical limit: moving the same bytes once, in the same worker.
    const target = new Float32Array(n * dim);
    const twice = new Float32Array(2 * n * dim);
    const copy = () => target.set(data);
    const copyWithin = () => twice.copyWithin(n * dim, 0, n * dim);
    // Untimed warm-up of every timed operation: code compiled, the copies' pages touched once.
    for (let w = 0; w < WARMUP; w++) {
      scanner.topK(ids, query(w % queries), k);
      exactTopK(data, ids, dim, query(w % queries), k);
      copy();
      copyWithin();
    }
    const scanMs: number[] = [];
    const plainScanMs: number[] = [];
    for (let q = 0; q < queries; q++) {
      scanMs.push(timed(() => scanner.topK(ids, query(q), k)));
      plainScanMs.push(timed(() => exactTopK(data, ids, dim, query(q), k)));
    }
    const setMs: number[] = [];
    const copyWithinMs: number[] = [];
    for (let r = 0; r < queries; r++) {
      setMs.push(timed(copy));
      copyWithinMs.push(timed(copyWithin));
    }
    return { bytes: data.byteLength, scanMs, plainScanMs, setMs, copyWithinMs };
  },

  async hnsw({ n, dim, M, efConstruction, k, queries: q, recallTarget, seed }) {
    const all = clusteredBenchVectors(n + q, dim, seed);
    const data = all.subarray(0, n * dim);
    const scanner = ExactScanner.of(data, dim);
    const ids = Int32Array.from({ length: n }, (_, i) => i);
    // Held-out queries: generated with the data, never indexed, so no query finds itself.
    const queries = Array.from({ length: q }, (_, i) => all.subarray((n + i) * dim, (n + i + 1) * dim));
    const params = { M, efConstruction };
    // Untimed warm-up build: hnswlib-wasm loaded and compiled, so the timed build is the build alone.
    const small = Math.min(n, 1000);
    const warm = await HnswIndex.build(data, ids.subarray(0, small), dim, params, new JobControl(), () => {});
    warm.dispose();
    const start = performance.now();
    const index = await HnswIndex.build(data, ids, dim, params, new JobControl(), () => {});
    const buildMs = performance.now() - start;
    try {
      // Untimed: the exact truth and the efSearch ladder; they also warm both engines on these queries.
      const truth = queries.map((query) => scanner.topK(ids, query, k).map((r) => r.id));
      const ladder: { efSearch: number; recall: number }[] = [];
      for (const efSearch of efSearchLadder(k, 1024)) {
        const recall =
          queries.reduce(
            (sum, query, i) =>
              sum +
              annRecallAtK(
                truth[i],
                index.search(query, k, efSearch).map((r) => r.id),
              ),
            0,
          ) / q;
        ladder.push({ efSearch, recall });
        if (recall >= recallTarget) break;
      }
      const { efSearch, recall } = ladder[ladder.length - 1];
      // Timed: both engines on the same query one after the other, which goes first alternating,
      // so a burst of load on the machine hits both sides of a pair alike.
      const exactMs: number[] = [];
      const hnswMs: number[] = [];
      queries.forEach((query, i) => {
        const exact = () => exactMs.push(timed(() => scanner.topK(ids, query, k)));
        const approximate = () => hnswMs.push(timed(() => index.search(query, k, efSearch)));
        if (i % 2 === 0) {
          exact();
          approximate();
        } else {
          approximate();
          exact();
        }
      });
      return { buildMs, efSearch, recall, ladder, exactMs, hnswMs, wasmHeapBytes: await hnswlibHeapBytes() };
    } finally {
      index.dispose();
    }
  },

  async embeddingProfile(probe) {
    if (probe.threadCount !== undefined) {
      // The build sizes Emscripten's thread pool from hardwareConcurrency (vite.config.ts, wasmThreadPool)
      // and a pool smaller than the threads tfjs starts deadlocks: both follow the count asked for.
      Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * probe.threadCount, configurable: true });
      setThreadsCount(probe.threadCount);
    }
    const info = await startBackend('wasm', probe.threads);
    if (info.backend !== 'wasm') throw new Error(`wasm did not start (got ${info.backend})`);
    const model = await mobilenet.load({
      version: probe.model.version,
      alpha: probe.model.alpha as mobilenet.MobileNetAlpha,
      modelUrl: probe.modelUrl,
      inputRange: probe.model.inputRange,
    });
    const inputs: Uint8Array[] = [];
    for (const [id, source] of probe.imageUrls.slice(0, 8).entries())
      inputs.push(await decodeToModelInput({ id, source }));
    const context = { model, version: probe.model.version, inputRange: probe.model.inputRange, inputs };
    const fused = probe.variants.some((v) => v.startsWith('fused'));
    return {
      ...info,
      threadCount: info.threads ? getThreadsCount() : 1,
      msPerImage: timeVariants(probe.variants, probe.runs, context),
      ...(fused ? { fusedMaxAbsDiff: fusedMaxAbsDiff(context) } : {}),
      ...(probe.profile ? await profileKernels(context) : {}),
    };
  },
};

Comlink.expose(api);
