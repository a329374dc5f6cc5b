import { hnswIndexBytes } from '../../../lib/hnswMemory';
import { leaveOut } from '../../../lib/offlineEvaluation';
import { WARM_RUNS, timeRuns } from '../../../lib/timing';
import type { Neighbour } from '../../../lib/types';
import type { WorkerImplementation } from '../../../bridge/protocol';
import { HnswIndex } from './hnswIndex';
import { sha256Hex, shippedBytesProblem } from '../../../lib/shippedIndex';
import { flushToStorage, loadFromStorage, putStored, removeStored, storedBytes } from './indexFiles';
import type { IndexSize, SEARCH_WORKER, SearchResult } from '../shared/protocol';
import { rerankBoth } from '../../rerank/worker/rerankStage';
import { hnswOthers, runSweep } from './sweep';
import { VectorStore } from './vectorStore';
import { warmUpAfterReply } from './warmUp';
import { QuantizedEngines } from '../../quantize/worker/quantizedEngines';
import { runQuantization } from '../../quantize/worker/quantizationLab';
import { isQuantizedMethod } from '../../quantize/shared/methods';
import { isObjectEntry } from '../../../lib/objectEntries';
import {
  engineViews,
  collapseAnswer,
  countEntries,
  imagesTopK,
  rowsForImages,
  rulesOverEntries,
} from './objectCollapse';

/** A first run timed on its own, then the median of WARM_RUNS repeats, so one hiccup does not decide the figure. */
const timed = (run: () => Neighbour[]) => timeRuns(run);

function size(index: HnswIndex, vectors: VectorStore): IndexSize {
  return { count: vectors.count, indexBytes: hnswIndexBytes(index.capacity, vectors.dim, index.params.M) };
}

/**
 * The search worker: the exact store and the HNSW index that serves queries. A build works on
 * a snapshot and replaces the serving index only when it is done, so queries are answered
 * meanwhile and a cancelled build leaves the old index serving. (search.worker.ts exposes it;
 * tests drive it over a MessageChannel.)
 */
export function searchWorker(): WorkerImplementation<typeof SEARCH_WORKER> {
  let store: VectorStore | null = null;
  let hnsw: HnswIndex | null = null;
  /** Object-level entries among the stored vectors: while there are any, every list is collapsed to images. */
  let objects = 0;
  // Trained on first use over the stored vectors, forgotten when they change.
  const quantized = new QuantizedEngines(() => ready().store);

  function ready(): { store: VectorStore; hnsw: HnswIndex } {
    if (!store || !hnsw) throw new Error('the index is not built yet');
    return { store, hnsw };
  }

  return {
    prepare: loadFromStorage,
    async setVectors(vectors, ids, dim) {
      hnsw?.dispose();
      hnsw = null;
      quantized.forget();
      store = new VectorStore(vectors, ids, dim);
      objects = countEntries(ids);
    },

    async buildIndex(job, params, onProgress) {
      if (!store) throw new Error('buildIndex before setVectors');
      const { vectors, ids, dim } = store;
      const start = performance.now();
      // Throws Cancelled when the job is cancelled: the serving index is not touched.
      const built = await HnswIndex.build(vectors, ids, dim, params, job, onProgress);
      // Images added or deleted while it was built.
      built.syncWith(store);
      const buildMs = performance.now() - start;
      hnsw?.dispose();
      hnsw = built;
      warmUpAfterReply(built, store, () => hnsw);
      return { ...size(built, store), buildMs, source: 'built' };
    },

    async add(vectors, ids) {
      const live = ready();
      quantized.forget();
      const fresh = live.store.append(vectors, ids);
      for (const id of fresh) live.hnsw.add(live.store.vectorOf(id), id);
      objects += countEntries(fresh);
      return size(live.hnsw, live.store);
    },

    async remove(ids) {
      const live = ready();
      quantized.forget();
      const gone = live.store.remove(ids);
      for (const id of gone) live.hnsw.remove(id);
      objects -= countEntries(gone);
      return size(live.hnsw, live.store);
    },

    async saveIndex(file, replaces) {
      const { hnsw } = ready();
      await hnsw.write(file);
      const bytes = await flushToStorage(file);
      const stale = replaces.filter((old) => old !== file);
      if (stale.length > 0) await removeStored(stale);
      return { file, bytes: bytes.byteLength, checksum: await sha256Hex(bytes) };
    },

    async restoreIndex(saved, params) {
      if (!store) throw new Error('restoreIndex before setVectors');
      const start = performance.now();
      await loadFromStorage();
      const bytes = await storedBytes(saved.file);
      if (!bytes) return { problem: 'the stored index is missing' };
      const failure = async (problem: string) => {
        await removeStored([saved.file]);
        return { problem };
      };
      if (bytes.byteLength !== saved.bytes || (await sha256Hex(bytes)) !== saved.checksum) {
        return failure('the stored index is corrupt (its checksum does not match)');
      }
      let restored: HnswIndex;
      try {
        restored = await HnswIndex.read(saved.file, store.ids, store.dim, params);
      } catch (error) {
        return failure(error instanceof Error ? error.message : String(error));
      }
      hnsw?.dispose();
      hnsw = restored;
      const buildMs = performance.now() - start;
      warmUpAfterReply(restored, store, () => hnsw);
      return { ...size(restored, store), buildMs, source: 'stored' };
    },

    async loadShippedIndex({ url, meta, file }, params) {
      if (!store) throw new Error('loadShippedIndex before setVectors');
      const start = performance.now();
      const response = await fetch(url).catch(() => null);
      if (!response?.ok)
        return { problem: `the shipped index could not be fetched (${response?.status ?? 'offline'})` };
      const bytes = new Uint8Array(await response.arrayBuffer());
      const problem = await shippedBytesProblem(bytes, meta);
      if (problem) return { problem };
      let shipped: HnswIndex;
      try {
        await putStored(file, bytes);
        shipped = await HnswIndex.read(file, store.ids, store.dim, params);
      } catch (error) {
        await removeStored([file]).catch(() => {});
        return { problem: error instanceof Error ? error.message : String(error) };
      }
      hnsw?.dispose();
      hnsw = shipped;
      const buildMs = performance.now() - start;
      warmUpAfterReply(shipped, store, () => hnsw);
      return { ...size(shipped, store), buildMs, source: 'shipped' };
    },

    async forgetIndexes() {
      await removeStored();
    },

    async copyVectors(imagesOnly = false) {
      if (!store) throw new Error('no vectors yet');
      const { dim } = store;
      const ids = imagesOnly ? store.ids.filter((id) => !isObjectEntry(id)) : store.ids;
      const vectors = new Float32Array(ids.length * dim);
      ids.forEach((id, row) => vectors.set(store!.vectorOf(id), row * dim));
      return { vectors, ids: ids.slice(), dim };
    },

    async setPqCodes({ pq, codes, ids }) {
      ready();
      return quantized.installPq(pq, codes, ids);
    },

    async search(query, k, efSearch, rules, engines = []) {
      const { store, hnsw } = ready();
      const vector = 'id' in query ? store.vectorOf(query.id) : query.vector;
      // With object entries, each engine answers in images (one row per image, its best hit).
      const collapsing = objects > 0;
      const { exactView, hnswView, withEntries } = engineViews(store, hnsw, vector, efSearch, collapsing);
      const exact = timed(() => exactView.exactTopK(vector, k));
      const approximate = timed(() => hnswView.search(vector, k, efSearch));
      const reranked = withEntries(
        rerankBoth({
          store: exactView,
          index: hnswView,
          vector,
          k,
          efSearch,
          rules,
          raw: { exact, hnsw: approximate },
          timed,
        }),
      );
      const extra: SearchResult['extra'] = {};
      for (const engine of engines) {
        if (!isQuantizedMethod(engine)) continue;
        const answer = await quantized.answer(engine, {
          vector,
          k: collapsing ? rowsForImages(k, store.count) : k,
          rules: collapsing ? rulesOverEntries(rules) : rules,
          timed,
          vectorOf: (id) => store.vectorOf(id),
        });
        if (answer) extra[engine] = collapsing ? collapseAnswer(answer, k) : answer;
      }
      return {
        exact: exact.result,
        hnsw: approximate.result,
        exactMs: exact.ms,
        hnswMs: approximate.ms,
        exactFirstMs: exact.firstMs,
        hnswFirstMs: approximate.firstMs,
        repeats: WARM_RUNS,
        reranked,
        extra,
      };
    },

    async leaveOneOut(job, k, efSearch, onProgress) {
      const { store, hnsw } = ready();
      // Offline evaluation is over images: object entries are neither queries nor candidates.
      const queryIds = Array.from(store.ids).filter((id) => !isObjectEntry(id));
      const total = store.count;
      const exact: number[][] = [];
      const approximate: number[][] = [];
      for (const id of queryIds) {
        const vector = store.vectorOf(id);
        // One more than k, since the query finds itself.
        exact.push(
          leaveOut(
            id,
            imagesTopK((n) => store.exactTopK(vector, n), k + 1, total).map((n) => n.id),
            k,
          ),
        );
        approximate.push(
          leaveOut(
            id,
            imagesTopK((n) => hnsw.search(vector, n, efSearch), k + 1, total).map((n) => n.id),
            k,
          ),
        );
        if (exact.length % 32 === 0) onProgress(exact.length);
        await job.checkpoint();
      }
      onProgress(queryIds.length);
      return { queryIds, exact, hnsw: approximate };
    },

    async leaveOneOutOnIndex(job, params, k, efSearch, onProgress) {
      const { store } = ready();
      // The images only (leaveOneOut's queries and candidates), in leaveOneOut's order.
      const rows = Array.from(store.ids.keys()).filter((row) => !isObjectEntry(store.ids[row]));
      const ids = Int32Array.from(rows, (row) => store.ids[row]);
      const vectors = new Float32Array(ids.length * store.dim);
      ids.forEach((id, i) => vectors.set(store.vectorOf(id), i * store.dim));
      const index = await HnswIndex.build(vectors, ids, store.dim, params, job, () => {});
      try {
        const lists: number[][] = [];
        for (const id of ids) {
          lists.push(hnswOthers(store, index, id, k, efSearch).ids);
          if (lists.length % 32 === 0) onProgress(lists.length);
          await job.checkpoint();
        }
        onProgress(lists.length);
        return lists;
      } finally {
        index.dispose();
      }
    },

    async sweep(job, request, onProgress) {
      const { store, hnsw } = ready();
      return runSweep(store, hnsw, request, job, onProgress);
    },

    async quantization(job, request, onProgress) {
      const { store } = ready();
      return runQuantization(store, request, job, onProgress);
    },
  };
}
