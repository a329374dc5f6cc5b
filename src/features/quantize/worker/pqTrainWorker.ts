import type { WorkerImplementation } from '../../../bridge/protocol';
import { encodeProduct, trainProductQuantizer } from '../shared/productQuantizer';
import type { PQ_TRAIN_WORKER } from '../shared/pqTrainProtocol';

/** Rows encoded between two progress reports (and cancel checks). */
const ENCODE_BATCH = 1024;

/**
 * The PQ training worker: the codebooks' k-means and the encoding of the catalogue, off the
 * search worker (pqTrain.worker.ts exposes it; tests call it directly). The codes go back to the
 * main thread, which keeps them in IndexedDB and hands them to the search worker.
 */
export function pqTrainWorker(): WorkerImplementation<typeof PQ_TRAIN_WORKER> {
  return {
    async encode(job, vectors, ids, dim, { m, seed }, codebooks, onProgress) {
      if (vectors.length !== ids.length * dim) throw new Error(`${ids.length} rows of ${dim} expected`);
      if (codebooks && (codebooks.dim !== dim || codebooks.m !== m)) {
        throw new Error(
          `the codebooks are for ${codebooks.dim}-d vectors in ${codebooks.m} sub-spaces, not ${dim} in ${m}`,
        );
      }
      let pq = codebooks;
      if (!pq) {
        onProgress({ stage: 'training', done: 0, total: m });
        pq = await trainProductQuantizer(vectors, dim, {
          m,
          seed,
          onSubspace: async (done) => {
            onProgress({ stage: 'training', done, total: m });
            await job.checkpoint();
          },
        });
      }
      const codes = new Uint8Array(ids.length * m);
      for (let from = 0; from < ids.length; from += ENCODE_BATCH) {
        onProgress({ stage: 'encoding', done: from, total: ids.length });
        await job.checkpoint();
        const to = Math.min(ids.length, from + ENCODE_BATCH);
        codes.set(encodeProduct(pq, vectors.subarray(from * dim, to * dim)), from * m);
      }
      onProgress({ stage: 'encoding', done: ids.length, total: ids.length });
      return { pq, codes, ids };
    },
  };
}
