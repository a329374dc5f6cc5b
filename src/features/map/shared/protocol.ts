import { protocol } from '../../../bridge/protocol';

export interface MapWorkerApi {
  /**
   * UMAP of row-major vectors (transferred) to 2-D, seeded: (x0, y0, x1, y1, …), transferred back.
   * Reports the optimisation's epochs done out of the total. Null when cancelled.
   */
  umap(
    vectors: Float32Array,
    dim: number,
    seed: number,
    onProgress: (done: number, total: number) => void,
  ): Promise<Float32Array | null>;
}

export const MAP_WORKER = protocol<MapWorkerApi>()({
  umap: { job: true, callbacks: [3], transfer: (vectors) => [vectors.buffer], transferResult: (xy) => [xy.buffer] },
});
