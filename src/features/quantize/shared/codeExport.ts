import { toNpyArray } from '../../../lib/vectorExport';
import { encodeBinary, trainBinaryQuantizer } from './binaryCodes';
import { PQ_CENTROIDS, encodeProduct, trainProductQuantizer } from './productQuantizer';
import { encodeScalar, trainScalarQuantizer } from './scalarQuantizer';

/** The files of the compact-code export, beside embeddings.npy: every array in row order of the vectors. */
export const CODE_FILES = {
  sq8Codes: 'sq8_codes.npy',
  sq8Ranges: 'sq8_ranges.npy',
  binaryCodes: 'binary_codes.npy',
  binaryMeans: 'binary_means.npy',
  pqCodes: 'pq_codes.npy',
  pqCodebooks: 'pq_codebooks.npy',
} as const;

/**
 * Trains the three quantizers on `vectors` (count × dim, row-major) and writes their codes and
 * what decodes them as .npy, in the layouts FAISS reads:
 * - sq8_codes int8 (count, dim) and sq8_ranges float32 (2, dim) = [min, step]: x ≈ min + step·(code + 128);
 * - binary_codes uint8 (count, ⌈dim/8⌉), bit i of a row = bit i mod 8 of byte ⌊i/8⌋ (FAISS's
 *   IndexBinaryFlat order), and binary_means float32 (dim) the bits were cut at;
 * - pq_codes uint8 (count, m) and pq_codebooks float32 (m, 256, dim/m), unused centroids zero
 *   (a catalogue of fewer than 256 vectors has fewer), as faiss.ProductQuantizer(dim, m, 8) holds them.
 */
export async function quantizedCodeFiles(
  vectors: Float32Array,
  dim: number,
  pqM: number,
  seed: number,
): Promise<Record<keyof typeof CODE_FILES, Uint8Array>> {
  if (dim % pqM !== 0)
    throw new Error(`PQ m = ${pqM} does not divide the dimension ${dim} (FAISS needs equal sub-vectors)`);
  const count = vectors.length / dim;
  const sq = trainScalarQuantizer(vectors, dim);
  const sqCodes = encodeScalar(sq, vectors);
  const sqTight = new Int8Array(count * dim);
  for (let row = 0; row < count; row++)
    sqTight.set(sqCodes.subarray(row * sq.rowBytes, row * sq.rowBytes + dim), row * dim);
  const ranges = new Float32Array(2 * dim);
  ranges.set(sq.min);
  ranges.set(sq.step, dim);

  const bq = trainBinaryQuantizer(vectors, dim);
  const bits = encodeBinary(bq, vectors);
  const bytesPerRow = Math.ceil(dim / 8);
  const binaryTight = new Uint8Array(count * bytesPerRow);
  for (let row = 0; row < count; row++) {
    binaryTight.set(bits.subarray(row * bq.rowBytes, row * bq.rowBytes + bytesPerRow), row * bytesPerRow);
  }

  const pq = await trainProductQuantizer(vectors, dim, { m: pqM, seed });
  const width = dim / pqM;
  const codebooks = new Float32Array(pqM * PQ_CENTROIDS * width);
  pq.codebooks.forEach((book, j) => codebooks.set(book, j * PQ_CENTROIDS * width));
  return {
    sq8Codes: toNpyArray(sqTight, [count, dim]),
    sq8Ranges: toNpyArray(ranges, [2, dim]),
    binaryCodes: toNpyArray(binaryTight, [count, bytesPerRow]),
    binaryMeans: toNpyArray(bq.mean, [dim]),
    pqCodes: toNpyArray(encodeProduct(pq, vectors), [count, pqM]),
    pqCodebooks: toNpyArray(codebooks, [pqM, PQ_CENTROIDS, width]),
  };
}
