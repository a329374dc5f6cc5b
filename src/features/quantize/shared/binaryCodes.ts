import { rotate } from './randomRotation';

/**
 * Binary codes: one bit per dimension, set when the value is above that dimension's mean over
 * the catalogue, 32× smaller than float32. Centring matters: MobileNet's pooled features come
 * after a ReLU, so they are never negative, and the plain sign would set every bit. Similar
 * vectors share most bits, so the Hamming distance between codes ranks them (a rough ranking:
 * the float vectors rescore its top R). Rows are padded to a multiple of 8 bytes, the kernel's
 * 64-bit word; bit i of a row is bit (i mod 8) of byte ⌊i/8⌋.
 *
 * Optionally the centred vector is first turned by a random rotation (randomRotation.ts), and
 * bit i is the sign of the rotated vector's coordinate i: each bit then sees a mix of every
 * dimension, so dimensions of large variance no longer decide few bits alone.
 */
export interface BinaryQuantizer {
  dim: number;
  rowBytes: number;
  mean: Float32Array;
  /** Row-major dim × dim orthogonal matrix applied after centring, or null. */
  rotation: Float32Array | null;
}

export function trainBinaryQuantizer(
  vectors: Float32Array,
  dim: number,
  rotation: Float32Array | null = null,
): BinaryQuantizer {
  const count = vectors.length / dim;
  const sums = new Float64Array(dim);
  for (let row = 0; row < count; row++) for (let i = 0; i < dim; i++) sums[i] += vectors[row * dim + i];
  return {
    dim,
    rowBytes: Math.ceil(dim / 64) * 8,
    mean: Float32Array.from(sums, (sum) => (count > 0 ? sum / count : 0)),
    rotation,
  };
}

/** Codes of `vectors` (row-major), rows of bq.rowBytes bytes. */
export function encodeBinary(bq: BinaryQuantizer, vectors: Float32Array): Uint8Array {
  const { dim, rowBytes, mean, rotation } = bq;
  const count = vectors.length / dim;
  const codes = new Uint8Array(count * rowBytes);
  if (rotation) {
    const centred = new Float64Array(dim);
    const turned = new Float64Array(dim);
    for (let row = 0; row < count; row++) {
      for (let i = 0; i < dim; i++) centred[i] = vectors[row * dim + i] - mean[i];
      rotate(rotation, dim, centred, turned);
      for (let i = 0; i < dim; i++) if (turned[i] > 0) codes[row * rowBytes + (i >> 3)] |= 1 << (i & 7);
    }
    return codes;
  }
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
