/**
 * SQ8, per-dimension scalar quantization: each dimension's range [min, max] over the catalogue
 * is cut into 256 steps and a value is stored as the signed byte of its step, 4× smaller than
 * float32. Codes rows are padded with zeros to a multiple of 16 bytes, the SIMD kernel's block.
 *
 * A query is not decoded against every row. With x ≈ min + s·(c + 128) per dimension,
 *   q·x ≈ Σ qᵢ·minᵢ + 128·Σ qᵢ·sᵢ + Σ (qᵢ·sᵢ)·cᵢ,
 * the first two sums are the same for every row, so the ranking is that of Σ wᵢ·cᵢ with
 * wᵢ = qᵢ·sᵢ. w is itself rounded to int8 with one scale t per query (w ≈ t·u), and the scan
 * is an int8·int8 dot product Σ uᵢ·cᵢ, exact in integers; score = offset + t·Σ uᵢ·cᵢ.
 */
export interface ScalarQuantizer {
  dim: number;
  /** Bytes of one code row: dim rounded up to a multiple of 16. */
  rowBytes: number;
  min: Float32Array;
  /** Step of each dimension, (max − min) / 255; 1 where a dimension is constant. */
  step: Float32Array;
}

export const padTo = (bytes: number, multiple: number) => Math.ceil(bytes / multiple) * multiple;

export function trainScalarQuantizer(vectors: Float32Array, dim: number): ScalarQuantizer {
  const count = vectors.length / dim;
  const min = new Float32Array(dim).fill(Infinity);
  const max = new Float32Array(dim).fill(-Infinity);
  for (let row = 0; row < count; row++) {
    for (let i = 0; i < dim; i++) {
      const value = vectors[row * dim + i];
      if (value < min[i]) min[i] = value;
      if (value > max[i]) max[i] = value;
    }
  }
  const step = new Float32Array(dim);
  for (let i = 0; i < dim; i++) {
    if (count === 0) min[i] = 0;
    const range = count === 0 ? 0 : max[i] - min[i];
    step[i] = range > 0 ? range / 255 : 1;
  }
  return { dim, rowBytes: padTo(dim, 16), min, step };
}

const clampByte = (value: number) => (value < -128 ? -128 : value > 127 ? 127 : value);

/** Codes of `vectors` (row-major), rows of sq.rowBytes bytes. */
export function encodeScalar(sq: ScalarQuantizer, vectors: Float32Array): Int8Array {
  const { dim, rowBytes, min, step } = sq;
  const count = vectors.length / dim;
  const codes = new Int8Array(count * rowBytes);
  for (let row = 0; row < count; row++) {
    const from = row * dim;
    const to = row * rowBytes;
    for (let i = 0; i < dim; i++) {
      codes[to + i] = clampByte(Math.round((vectors[from + i] - min[i]) / step[i]) - 128);
    }
  }
  return codes;
}

/** The vector a code row stands for. */
export function decodeScalar(sq: ScalarQuantizer, codes: Int8Array, row: number): Float32Array {
  const out = new Float32Array(sq.dim);
  for (let i = 0; i < sq.dim; i++) out[i] = sq.min[i] + sq.step[i] * (codes[row * sq.rowBytes + i] + 128);
  return out;
}

/** A query turned into the int8 weights the scan multiplies codes by, and how to read the sums back as scores. */
export interface ScalarQuery {
  weights: Int8Array;
  /** score = offset + scale · Σ weightsᵢ·codesᵢ */
  offset: number;
  scale: number;
}

export function scalarQuery(sq: ScalarQuantizer, query: Float32Array): ScalarQuery {
  const { dim, rowBytes, min, step } = sq;
  let offset = 0;
  let largest = 0;
  const w = new Float64Array(dim);
  for (let i = 0; i < dim; i++) {
    w[i] = query[i] * step[i];
    offset += query[i] * min[i] + 128 * w[i];
    largest = Math.max(largest, Math.abs(w[i]));
  }
  const scale = largest > 0 ? largest / 127 : 1;
  const weights = new Int8Array(rowBytes);
  for (let i = 0; i < dim; i++) weights[i] = Math.round(w[i] / scale);
  return { weights, offset, scale };
}
