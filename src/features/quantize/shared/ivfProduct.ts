import { kMeans, trainProductQuantizer, type PqTraining, type ProductQuantizer } from './productQuantizer';

/**
 * IVF-PQ (Jégou, Douze & Schmid, 2011; FAISS's IndexIVFPQ): a coarse k-means splits the
 * catalogue into `lists` cells; each vector is stored in its cell's inverted list as the PQ code
 * of its residual (vector − cell centroid). A query scores the `probe` cells whose centroids have
 * the largest dot product with it, and only their rows: q·x ≈ q·c + q·r̂, where q·r̂ comes from
 * one ADC table (for a dot product, the same table serves every cell).
 */
export interface IvfProduct {
  dim: number;
  lists: number;
  /** lists × dim, row-major. */
  centroids: Float32Array;
  pq: ProductQuantizer;
}

/** Cells probed per query. */
export const IVF_PROBE = 8;
/** Lloyd iterations of the coarse k-means. */
const COARSE_ITERATIONS = 10;

/** √N cells (FAISS's rule of thumb is 4√N to 16√N for millions; at catalogue scale √N keeps cells ~√N rows). */
export const ivfLists = (count: number) => Math.max(1, Math.min(count, Math.round(Math.sqrt(count))));

/** The cell of each row: its nearest coarse centroid (L2, as the k-means that made them). */
export function assignCells(ivf: Pick<IvfProduct, 'dim' | 'lists' | 'centroids'>, vectors: Float32Array): Int32Array {
  const { dim, lists, centroids } = ivf;
  const count = vectors.length / dim;
  const cells = new Int32Array(count);
  for (let row = 0; row < count; row++) {
    let best = 0;
    let bestDistance = Infinity;
    for (let c = 0; c < lists; c++) {
      let distance = 0;
      for (let i = 0; i < dim; i++) {
        const diff = vectors[row * dim + i] - centroids[c * dim + i];
        distance += diff * diff;
      }
      if (distance < bestDistance) {
        bestDistance = distance;
        best = c;
      }
    }
    cells[row] = best;
  }
  return cells;
}

/** Each row minus its cell's centroid. */
export function residuals(
  ivf: Pick<IvfProduct, 'dim' | 'centroids'>,
  vectors: Float32Array,
  cells: Int32Array,
): Float32Array {
  const { dim, centroids } = ivf;
  const out = new Float32Array(vectors.length);
  for (let row = 0; row < cells.length; row++) {
    for (let i = 0; i < dim; i++) out[row * dim + i] = vectors[row * dim + i] - centroids[cells[row] * dim + i];
  }
  return out;
}

/** Trains the coarse cells, then PQ on the residuals; also returns each training row's cell. */
export async function trainIvfProduct(
  vectors: Float32Array,
  dim: number,
  options: PqTraining,
): Promise<{ ivf: IvfProduct; cells: Int32Array; residual: Float32Array }> {
  const count = vectors.length / dim;
  if (count === 0) throw new Error('IVF-PQ needs at least one vector to train on');
  const lists = ivfLists(count);
  const centroids = kMeans(vectors, dim, lists, COARSE_ITERATIONS, options.seed + 1000);
  const coarse = { dim, lists, centroids };
  const cells = assignCells(coarse, vectors);
  const residual = residuals(coarse, vectors, cells);
  const pq = await trainProductQuantizer(residual, dim, options);
  return { ivf: { ...coarse, pq }, cells, residual };
}
