/**
 * Binary codes: one bit per dimension, set when the value is above that dimension's mean over
 * the catalogue, 32× smaller than float32. Centring matters: MobileNet's pooled features come
 * after a ReLU, so they are never negative, and the plain sign would set every bit. Similar
 * vectors share most bits, so the Hamming distance between codes ranks them (a rough ranking:
 * the float vectors rescore its top R). Rows are padded to a multiple of 8 bytes, the kernel's
 * 64-bit word; bit i of a row is bit (i mod 8) of byte ⌊i/8⌋.
 */
export interface BinaryQuantizer {
  dim: number;
  rowBytes: number;
  mean: Float32Array;
}

export function trainBinaryQuantizer(vectors: Float32Array, dim: number): BinaryQuantizer {
  const count = vectors.length / dim;
  const sums = new Float64Array(dim);
  for (let row = 0; row < count; row++) for (let i = 0; i < dim; i++) sums[i] += vectors[row * dim + i];
  return {
    dim,
    rowBytes: Math.ceil(dim / 64) * 8,
    mean: Float32Array.from(sums, (sum) => (count > 0 ? sum / count : 0)),
  };
}

/** Codes of `vectors` (row-major), rows of bq.rowBytes bytes. */
export function encodeBinary(bq: BinaryQuantizer, vectors: Float32Array): Uint8Array {
  const { dim, rowBytes, mean } = bq;
  const count = vectors.length / dim;
  const codes = new Uint8Array(count * rowBytes);
  for (let row = 0; row < count; row++) {
    for (let i = 0; i < dim; i++) {
      if (vectors[row * dim + i] > mean[i]) codes[row * rowBytes + (i >> 3)] |= 1 << (i & 7);
    }
  }
  return codes;
}

/** The bits of one row, as 0/1 per dimension. */
export function decodeBinary(bq: BinaryQuantizer, codes: Uint8Array, row: number): Uint8Array {
  return Uint8Array.from({ length: bq.dim }, (_, i) => (codes[row * bq.rowBytes + (i >> 3)] >> (i & 7)) & 1);
}
