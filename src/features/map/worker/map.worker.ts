/// <reference lib="webworker" />
import { UMAP } from 'umap-js';
import { exposeWorker } from '../../../bridge/workerHost';
import { seededRandom } from '../../../lib/syntheticVectors';
import { MAP_WORKER } from '../shared/protocol';

/** umap-js's defaults except the neighbourhood, small enough for a catalogue of a few classes. */
const NEIGHBOURS = 15;

exposeWorker(MAP_WORKER, {
  async umap(job, vectors, dim, seed, onProgress) {
    const count = vectors.length / dim;
    const rows = Array.from({ length: count }, (_, r) => Array.from(vectors.subarray(r * dim, (r + 1) * dim)));
    const umap = new UMAP({
      nComponents: 2,
      nNeighbors: Math.max(2, Math.min(NEIGHBOURS, count - 1)),
      random: seededRandom(seed),
    });
    const total = umap.initializeFit(rows);
    for (let epoch = 0; epoch < total; epoch++) {
      umap.step();
      if (epoch % 10 === 0) onProgress(epoch, total);
      await job.checkpoint();
    }
    onProgress(total, total);
    const embedding = umap.getEmbedding();
    return Float32Array.from(embedding.flatMap(([x, y]) => [x, y]));
  },
});
