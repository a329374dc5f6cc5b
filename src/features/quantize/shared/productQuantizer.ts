import { seededRandom } from '../../../lib/syntheticVectors';

/**
 * Product quantization (Jégou, Douze & Schmid, 2011): the d dimensions are cut into m
 * sub-spaces, each sub-vector is replaced by the nearest of 256 centroids learned by k-means
 * on the catalogue, and a vector is stored as m bytes. A query is compared with a code by
 * asymmetric distance computation (ADC): per query, a table of the query's sub-vector · each
 * centroid (m × 256 numbers), then a score per row is m table look-ups and additions.
 */
export interface ProductQuantizer {
  dim: number;
  m: number;
  /** Centroids per sub-space: 256, or fewer when the catalogue has fewer vectors. */
  centroids: number;
  /** Sub-space j covers dimensions [bounds[j], bounds[j + 1]). */
  bounds: Int32Array;
  /** Sub-space j's centroids, centroids × its width, row-major. */
  codebooks: Float32Array[];
}

export const PQ_CENTROIDS = 256;
/** Lloyd iterations of each sub-space's k-means. */
export const PQ_ITERATIONS = 8;
/** At most this many catalogue vectors train the codebooks (a seeded sample). */
export const PQ_TRAINING_ROWS = 20_000;

export interface PqTraining {
  m: number;
  seed: number;
  iterations?: number;
  /** Called after each sub-space, done of m; may throw to stop (a cancelled job). */
  onSubspace?: (done: number) => Promise<void>;
}

export function subspaceBounds(dim: number, m: number): Int32Array {
  if (m < 1 || m > dim) throw new Error(`PQ m must be between 1 and the dimension ${dim}, not ${m}`);
  return Int32Array.from({ length: m + 1 }, (_, j) => Math.floor((j * dim) / m));
}

/** Rows of `vectors` restricted to dimensions [from, to), row-major. */
function slice(vectors: Float32Array, dim: number, rows: Int32Array, from: number, to: number): Float32Array {
  const width = to - from;
  const out = new Float32Array(rows.length * width);
  rows.forEach((row, r) => out.set(vectors.subarray(row * dim + from, row * dim + to), r * width));
  return out;
}

function nearest(points: Float32Array, p: number, centres: Float32Array, count: number, width: number): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let c = 0; c < count; c++) {
    let distance = 0;
    for (let i = 0; i < width; i++) {
      const diff = points[p * width + i] - centres[c * width + i];
      distance += diff * diff;
    }
    if (distance < bestDistance) {
      bestDistance = distance;
      best = c;
    }
  }
  return best;
}

/** Lloyd's k-means on `points` (count × width), started from `count` distinct seeded picks; an emptied cluster keeps its centre. */
export function kMeans(
  points: Float32Array,
  width: number,
  count: number,
  iterations: number,
  seed: number,
): Float32Array {
  const n = points.length / width;
  const random = seededRandom(seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const centres = new Float32Array(count * width);
  for (let c = 0; c < count; c++) centres.set(points.subarray(order[c] * width, (order[c] + 1) * width), c * width);
  const assigned = new Int32Array(n);
  const sums = new Float64Array(count * width);
  const sizes = new Int32Array(count);
  for (let iteration = 0; iteration < iterations; iteration++) {
    for (let p = 0; p < n; p++) assigned[p] = nearest(points, p, centres, count, width);
    sums.fill(0);
    sizes.fill(0);
    for (let p = 0; p < n; p++) {
      const c = assigned[p];
      sizes[c]++;
      for (let i = 0; i < width; i++) sums[c * width + i] += points[p * width + i];
    }
    for (let c = 0; c < count; c++) {
      if (sizes[c] === 0) continue;
      for (let i = 0; i < width; i++) centres[c * width + i] = sums[c * width + i] / sizes[c];
    }
  }
  return centres;
}

export async function trainProductQuantizer(
  vectors: Float32Array,
  dim: number,
  options: PqTraining,
): Promise<ProductQuantizer> {
  const { m, seed } = options;
  const bounds = subspaceBounds(dim, m);
  const count = vectors.length / dim;
  if (count === 0) throw new Error('PQ needs at least one vector to train on');
  const random = seededRandom(seed);
  const rows = Int32Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  const training = rows.subarray(0, Math.min(count, PQ_TRAINING_ROWS));
  const centroids = Math.min(PQ_CENTROIDS, training.length);
  const codebooks: Float32Array[] = [];
  for (let j = 0; j < m; j++) {
    const width = bounds[j + 1] - bounds[j];
    const points = slice(vectors, dim, training, bounds[j], bounds[j + 1]);
    codebooks.push(kMeans(points, width, centroids, options.iterations ?? PQ_ITERATIONS, seed + 1 + j));
    await options.onSubspace?.(j + 1);
  }
  return { dim, m, centroids, bounds, codebooks };
}

/** m bytes per row: the nearest centroid of each sub-space. */
export function encodeProduct(pq: ProductQuantizer, vectors: Float32Array): Uint8Array {
  const { dim, m, bounds, codebooks, centroids } = pq;
  const count = vectors.length / dim;
  const codes = new Uint8Array(count * m);
  for (let j = 0; j < m; j++) {
    const width = bounds[j + 1] - bounds[j];
    const points = slice(
      vectors,
      dim,
      Int32Array.from({ length: count }, (_, i) => i),
      bounds[j],
      bounds[j + 1],
    );
    for (let row = 0; row < count; row++) codes[row * m + j] = nearest(points, row, codebooks[j], centroids, width);
  }
  return codes;
}

/** The vector a code row stands for: its centroids side by side. */
export function decodeProduct(pq: ProductQuantizer, codes: Uint8Array, row: number): Float32Array {
  const out = new Float32Array(pq.dim);
  for (let j = 0; j < pq.m; j++) {
    const from = pq.bounds[j];
    const width = pq.bounds[j + 1] - from;
    const c = codes[row * pq.m + j];
    out.set(pq.codebooks[j].subarray(c * width, (c + 1) * width), from);
  }
  return out;
}

/**
 * ADC's per-query table: table[j·256 + c] = query's sub-vector j · centroid c of sub-space j,
 * each dot product summed in float64 and kept as float32 (as FAISS keeps its tables): half the
 * bytes to look up, and the WebAssembly scan adds float32 lanes.
 */
export function distanceTable(pq: ProductQuantizer, query: Float32Array): Float32Array {
  const { m, bounds, codebooks, centroids } = pq;
  const table = new Float32Array(m * PQ_CENTROIDS);
  for (let j = 0; j < m; j++) {
    const from = bounds[j];
    const width = bounds[j + 1] - from;
    const book = codebooks[j];
    for (let c = 0; c < centroids; c++) {
      let dot = 0;
      for (let i = 0; i < width; i++) dot += query[from + i] * book[c * width + i];
      table[j * PQ_CENTROIDS + c] = dot;
    }
  }
  return table;
}

/** Sub-spaces summed at once by the ADC scan: lane l of four takes the sub-spaces j ≡ l (mod 4). */
export const ADC_LANES = 4;

/**
 * ADC scores of every row in plain JavaScript: Σⱼ table[j][code j], the query · the row's
 * reconstruction. This is the reference the WebAssembly scan (worker/quantScanKernel.wat,
 * `adcScores`) must equal bit for bit, so it adds in the kernel's order: four float32 lane sums
 * (lane l over j ≡ l mod 4, each addition rounded to float32 by Math.fround as f32x4.add
 * rounds), then (lane 0 + lane 1) + (lane 2 + lane 3).
 */
export function adcScores(
  pq: ProductQuantizer,
  codes: Uint8Array,
  table: Float32Array,
  out: Float32Array | Float64Array,
): void {
  const { m } = pq;
  const count = codes.length / m;
  const f = Math.fround;
  for (let row = 0; row < count; row++) {
    const base = row * m;
    let l0 = 0;
    let l1 = 0;
    let l2 = 0;
    let l3 = 0;
    let j = 0;
    for (; j + ADC_LANES <= m; j += ADC_LANES) {
      l0 = f(l0 + table[j * PQ_CENTROIDS + codes[base + j]]);
      l1 = f(l1 + table[(j + 1) * PQ_CENTROIDS + codes[base + j + 1]]);
      l2 = f(l2 + table[(j + 2) * PQ_CENTROIDS + codes[base + j + 2]]);
      l3 = f(l3 + table[(j + 3) * PQ_CENTROIDS + codes[base + j + 3]]);
    }
    // The last m mod 4 sub-spaces: the kernel pads them to a full group with zero entries.
    if (j < m) l0 = f(l0 + table[j * PQ_CENTROIDS + codes[base + j]]);
    if (j + 1 < m) l1 = f(l1 + table[(j + 1) * PQ_CENTROIDS + codes[base + j + 1]]);
    if (j + 2 < m) l2 = f(l2 + table[(j + 2) * PQ_CENTROIDS + codes[base + j + 2]]);
    out[row] = f(f(l0 + l1) + f(l2 + l3));
  }
}
