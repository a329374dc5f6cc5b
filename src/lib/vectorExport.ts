import type { EmbeddingBundle } from './embeddingBundle';
import type { CatalogueManifest } from './types';

/**
 * Writers for the formats vector engines ingest: NumPy .npy (FAISS, Qdrant and Milvus
 * clients take NumPy arrays), .fvecs (the ANN benchmark format FAISS reads) and JSONL
 * metadata, one line per vector row. Pure: they return bytes or text, in the browser or Node.
 */

/** One exported row's metadata; file and label are null when no manifest was given. */
export interface ExportRow {
  id: number;
  file: string | null;
  label: string | null;
  hash: string;
}

export interface ExportTable {
  vectors: Float32Array;
  dim: number;
  rows: ExportRow[];
}

/**
 * Rows to export from a bundle. With a manifest: one row per catalogue item whose file was
 * embedded, in catalogue order (byte-identical files share a vector but keep their own row).
 * Without: one row per bundle row, id = row number.
 */
export function exportTable(bundle: EmbeddingBundle, manifest?: CatalogueManifest): ExportTable {
  const { dim } = bundle;
  const rowOf = new Map(bundle.hashes.map((hash, row) => [hash, row]));
  const rows: ExportRow[] = manifest
    ? manifest.items
        .filter((item) => rowOf.has(item.hash))
        .map((item) => ({ id: item.id, file: item.file, label: item.label, hash: item.hash }))
    : bundle.hashes.map((hash, id) => ({ id, file: null, label: null, hash }));
  const vectors = new Float32Array(rows.length * dim);
  rows.forEach((row, i) => {
    const from = rowOf.get(row.hash)! * dim;
    vectors.set(bundle.vectors.subarray(from, from + dim), i * dim);
  });
  return { vectors, dim, rows };
}

function checkShape(vectors: Float32Array, dim: number): number {
  if (!(Number.isInteger(dim) && dim > 0) || vectors.length % dim !== 0) {
    throw new Error(`${vectors.length} floats do not make rows of ${dim}`);
  }
  return vectors.length / dim;
}

/** NumPy .npy format 1.0: little-endian float32, shape (count, dim), C order; header padded to 64 bytes. */
export function toNpy(vectors: Float32Array, dim: number): Uint8Array {
  return toNpyArray(vectors, [checkShape(vectors, dim), dim]);
}

/** The .npy dtype of each array kind written. */
const NPY_DTYPES = { float32: '<f4', int8: '|i1', uint8: '|u1' } as const;

/**
 * Any float32, int8 or uint8 array as NumPy .npy format 1.0, C order, with the given shape
 * (quantized codes and codebooks are exported this way beside the float vectors).
 */
export function toNpyArray(data: Float32Array | Int8Array | Uint8Array, shape: readonly number[]): Uint8Array {
  if (shape.reduce((a, b) => a * b, 1) !== data.length)
    throw new Error(`${data.length} values are not of shape (${shape})`);
  const kind = data instanceof Float32Array ? 'float32' : data instanceof Int8Array ? 'int8' : 'uint8';
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  const dict = `{'descr': '${NPY_DTYPES[kind]}', 'fortran_order': False, 'shape': (${dims}), }`;
  const preamble = 10; // magic (6), version (2), header length (2)
  const headerLength = Math.ceil((preamble + dict.length + 1) / 64) * 64 - preamble;
  const header = dict.padEnd(headerLength - 1, ' ') + '\n';
  const bytes = new Uint8Array(preamble + headerLength + data.byteLength);
  bytes.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0]);
  const view = new DataView(bytes.buffer);
  view.setUint16(8, headerLength, true);
  bytes.set(new TextEncoder().encode(header), preamble);
  const start = preamble + headerLength;
  if (data instanceof Float32Array) {
    for (let i = 0; i < data.length; i++) view.setFloat32(start + i * 4, data[i], true);
  } else {
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), start);
  }
  return bytes;
}

/** .fvecs: for each row, int32 dim then dim float32, little-endian. */
export function toFvecs(vectors: Float32Array, dim: number): Uint8Array {
  const count = checkShape(vectors, dim);
  const rowBytes = 4 + dim * 4;
  const bytes = new Uint8Array(count * rowBytes);
  const view = new DataView(bytes.buffer);
  for (let row = 0; row < count; row++) {
    view.setInt32(row * rowBytes, dim, true);
    for (let d = 0; d < dim; d++) view.setFloat32(row * rowBytes + 4 + d * 4, vectors[row * dim + d], true);
  }
  return bytes;
}

/** One JSON object per line, in row order: {"id", "file", "label", "hash"}. */
export function toMetadataJsonl(rows: readonly ExportRow[]): string {
  return rows.map(({ id, file, label, hash }) => JSON.stringify({ id, file, label, hash }) + '\n').join('');
}
