import { TopK, dot } from '../../../lib/exactSearch';
import type { Neighbour } from '../../../lib/types';
import { encodeBinary, trainBinaryQuantizer, type BinaryQuantizer } from '../shared/binaryCodes';
import { ROTATION_SEED, type QuantizedMethod } from '../shared/methods';
import { randomRotation } from '../shared/randomRotation';
import { IVF_PROBE, trainIvfProduct, type IvfProduct } from '../shared/ivfProduct';
import { distanceTable, encodeProduct, trainProductQuantizer, type ProductQuantizer } from '../shared/productQuantizer';
import { encodeScalar, scalarQuery, trainScalarQuantizer, type ScalarQuantizer } from '../shared/scalarQuantizer';
import { AdcScanner, CodeScanner } from './quantKernel';

/** The float vectors a quantized index is built from (the search worker's VectorStore is one). */
export interface FloatVectors {
  /** Row-major, ids.length × dim. */
  vectors: Float32Array;
  ids: Int32Array;
  dim: number;
}

export interface QuantizedSearch {
  k: number;
  /** Binary + rescoring: how many Hamming candidates the float vectors rescore. */
  rescore: number;
}

/** A catalogue stored as compact codes, searched over the codes (and, for rescoring, the floats). */
export interface QuantizedIndex {
  readonly method: QuantizedMethod;
  /** Training and encoding, ms. */
  readonly trainMs: number;
  search(query: Float32Array, options: QuantizedSearch): Neighbour[];
}

/**
 * The rows with the `want` smallest Hamming distances, nearest first and ties in row order,
 * by counting: distances are whole numbers from 0 to the bits in a row, so one histogram
 * finds the cut and one pass collects the rows, O(N + bits) whatever `want` is.
 */
export function nearestByHamming(distances: Int32Array, count: number, bits: number, want: number): Int32Array {
  want = Math.min(want, count);
  const histogram = new Int32Array(bits + 2);
  for (let row = 0; row < count; row++) histogram[distances[row] + 1]++;
  for (let d = 1; d < histogram.length; d++) histogram[d] += histogram[d - 1];
  // histogram[d] now counts the rows nearer than d: the start of distance d's slots.
  const out = new Int32Array(want);
  for (let row = 0; row < count; row++) {
    const slot = histogram[distances[row]]++;
    if (slot < want) out[slot] = row;
  }
  return out;
}

class Sq8Index implements QuantizedIndex {
  readonly method = 'sq8';
  constructor(
    private readonly source: FloatVectors,
    private readonly sq: ScalarQuantizer,
    private readonly scanner: CodeScanner,
    readonly trainMs: number,
  ) {}

  search(query: Float32Array, { k }: QuantizedSearch): Neighbour[] {
    const { ids } = this.source;
    const want = Math.min(k, ids.length);
    if (want <= 0) return [];
    const { weights, offset, scale } = scalarQuery(this.sq, query);
    const sums = this.scanner.int8Dots(weights);
    const top = new TopK(want);
    for (let row = 0; row < ids.length; row++) top.offer(offset + scale * sums[row], row);
    return top.neighbours(ids);
  }
}

class BinaryIndex implements QuantizedIndex {
  constructor(
    readonly method: 'binary' | 'binary-rescore',
    private readonly source: FloatVectors,
    private readonly bq: BinaryQuantizer,
    private readonly scanner: CodeScanner,
    readonly trainMs: number,
  ) {}

  search(query: Float32Array, { k, rescore }: QuantizedSearch): Neighbour[] {
    const { ids, dim, vectors } = this.source;
    const want = Math.min(k, ids.length);
    if (want <= 0) return [];
    const distances = this.scanner.hamming(encodeBinary(this.bq, query));
    if (this.method === 'binary') {
      // Score shown: the share of bits that agree, rescaled to [-1, 1] like a cosine.
      return Array.from(nearestByHamming(distances, ids.length, dim, want), (row) => ({
        id: ids[row],
        score: 1 - (2 * distances[row]) / dim,
      }));
    }
    const candidates = nearestByHamming(distances, ids.length, dim, Math.max(want, rescore));
    const top = new TopK(want);
    // Candidates in row order, so ties keep catalogue order as the exact scan's do.
    for (const row of candidates.sort()) top.offer(dot(vectors, row * dim, query, dim), row);
    return top.neighbours(ids);
  }
}

class PqIndex implements QuantizedIndex {
  readonly method = 'pq';
  private readonly scanner: AdcScanner;
  constructor(
    private readonly source: FloatVectors,
    private readonly pq: ProductQuantizer,
    codes: Uint8Array,
    readonly trainMs: number,
  ) {
    this.scanner = new AdcScanner(codes, pq.m);
  }

  search(query: Float32Array, { k }: QuantizedSearch): Neighbour[] {
    const { ids } = this.source;
    const want = Math.min(k, ids.length);
    if (want <= 0) return [];
    const scores = this.scanner.scores(distanceTable(this.pq, query));
    const top = new TopK(want);
    for (let row = 0; row < ids.length; row++) top.offer(scores[row], row);
    return top.neighbours(ids);
  }
}

/**
 * IVF-PQ: the codes kept by inverted list (rows sorted by cell, so each list is one contiguous
 * run for the ADC kernel); a query scans the IVF_PROBE cells nearest to it.
 */
class IvfPqIndex implements QuantizedIndex {
  readonly method = 'ivf-pq';
  private readonly scanner: AdcScanner;
  /** The catalogue row of each code, in list order. */
  private readonly rowOf: Int32Array;
  /** List c holds codes [starts[c], starts[c + 1]). */
  private readonly starts: Int32Array;

  constructor(
    private readonly source: FloatVectors,
    private readonly ivf: IvfProduct,
    cells: Int32Array,
    codes: Uint8Array,
    readonly trainMs: number,
  ) {
    const { lists, pq } = ivf;
    this.starts = new Int32Array(lists + 1);
    for (const cell of cells) this.starts[cell + 1]++;
    for (let c = 0; c < lists; c++) this.starts[c + 1] += this.starts[c];
    const next = this.starts.slice(0, lists);
    this.rowOf = new Int32Array(cells.length);
    const sorted = new Uint8Array(codes.length);
    cells.forEach((cell, row) => {
      const slot = next[cell]++;
      this.rowOf[slot] = row;
      sorted.set(codes.subarray(row * pq.m, (row + 1) * pq.m), slot * pq.m);
    });
    this.scanner = new AdcScanner(sorted, pq.m);
  }

  search(query: Float32Array, { k }: QuantizedSearch): Neighbour[] {
    const { ids } = this.source;
    const { dim, lists, centroids, pq } = this.ivf;
    const cellScores = new TopK(Math.min(IVF_PROBE, lists));
    for (let c = 0; c < lists; c++) cellScores.offer(dot(centroids, c * dim, query, dim), c);
    const probed = cellScores.neighbours(Int32Array.from({ length: lists }, (_, c) => c));
    const rows = probed.reduce((sum, cell) => sum + this.starts[cell.id + 1] - this.starts[cell.id], 0);
    const want = Math.min(k, rows);
    if (want <= 0) return [];
    this.scanner.useTable(distanceTable(pq, query));
    const top = new TopK(want);
    for (const { id: cell, score: base } of probed) {
      const from = this.starts[cell];
      const scores = this.scanner.scan(from, this.starts[cell + 1] - from);
      for (let i = 0; i < scores.length; i++) top.offer(base + scores[i], this.rowOf[from + i]);
    }
    return top.neighbours(ids);
  }
}

export interface BuildOptions {
  pqM: number;
  pqSeed: number;
  /** Binary: sign bits after a seeded random rotation (ROTATION_SEED) of the centred vectors. */
  rotate?: boolean;
  /** PQ: after each sub-space's k-means; may throw to stop (a cancelled job). */
  onSubspace?: (done: number) => Promise<void>;
}

/** Trains `method` on the vectors and encodes them. The float vectors are read, not copied: rescoring reads them in place. */
export async function buildQuantizedIndex(
  method: QuantizedMethod,
  source: FloatVectors,
  options: BuildOptions,
): Promise<QuantizedIndex> {
  // A snapshot: the store may grow or shrink later (it is then built again), but this index's
  // codes, ids and the floats its rescoring reads must stay the rows it was built from.
  const { vectors, dim } = source;
  source = { vectors, ids: source.ids.slice(), dim };
  const start = performance.now();
  const elapsed = () => performance.now() - start;
  switch (method) {
    case 'sq8': {
      const sq = trainScalarQuantizer(vectors, dim);
      const scanner = CodeScanner.of(encodeScalar(sq, vectors), sq.rowBytes);
      return new Sq8Index(source, sq, scanner, elapsed());
    }
    case 'binary':
    case 'binary-rescore': {
      const bq = trainBinaryQuantizer(vectors, dim, options.rotate ? randomRotation(dim, ROTATION_SEED) : null);
      const scanner = CodeScanner.of(encodeBinary(bq, vectors), bq.rowBytes);
      return new BinaryIndex(method, source, bq, scanner, elapsed());
    }
    case 'pq': {
      const pq = await trainProductQuantizer(vectors, dim, {
        m: Math.min(options.pqM, dim),
        seed: options.pqSeed,
        onSubspace: options.onSubspace,
      });
      return new PqIndex(source, pq, encodeProduct(pq, vectors), elapsed());
    }
    case 'ivf-pq': {
      const { ivf, cells, residual } = await trainIvfProduct(vectors, dim, {
        m: Math.min(options.pqM, dim),
        seed: options.pqSeed,
        onSubspace: options.onSubspace,
      });
      return new IvfPqIndex(source, ivf, cells, encodeProduct(ivf.pq, residual), elapsed());
    }
  }
}

/** A PQ index over codes trained and encoded elsewhere (the PQ training worker); the ids are the source's rows. */
export function pqIndexFromCodes(source: FloatVectors, pq: ProductQuantizer, codes: Uint8Array): QuantizedIndex {
  if (pq.dim !== source.dim) throw new Error(`PQ codebooks for ${pq.dim}-d vectors, not ${source.dim}`);
  if (codes.length !== source.ids.length * pq.m)
    throw new Error(`${source.ids.length} codes of ${pq.m} bytes expected`);
  return new PqIndex({ ...source, ids: source.ids.slice() }, pq, codes, 0);
}
