import { packTags, unpackTags, type ImageTag } from './tags';

/**
 * The embedding bundle (.vsle): one model's vectors for a set of images, keyed by the
 * sha256 of each source file. Binary, little-endian:
 *
 *   bytes 0-3   ASCII "VSLE"
 *   u32         format version (1)
 *   u32         header length in bytes (H)
 *   H bytes     UTF-8 JSON {modelId, dim, count, preprocessing, hashes, tags?}
 *   0-3 bytes   zero padding, so the vectors start at a multiple of 4
 *   count × dim float32 rows, L2-normalised, in the order of `hashes`
 *
 * `tags` (optional, added later within version 1: readers ignore header keys they do not know, and
 * bundles without it still load) holds each row's top ImageNet classes from the model's classifier
 * head, packed [class, probability, class, probability, …] (lib/tags.ts packTags).
 */
export interface EmbeddingBundle {
  modelId: string;
  dim: number;
  /** PREPROCESSING_VERSION of the code that made the vectors. */
  preprocessing: string;
  /** sha256 (hex) of each source file, one per row. */
  hashes: string[];
  vectors: Float32Array;
  /** Each row's top ImageNet classes; absent in bundles made before tags existed. */
  tags?: ImageTag[][];
}

export const BUNDLE_MAGIC = 'VSLE';
export const BUNDLE_FORMAT_VERSION = 1;
const PREAMBLE_BYTES = 12;

interface BundleHeader {
  modelId: string;
  dim: number;
  count: number;
  preprocessing: string;
  hashes: string[];
  tags?: number[][];
}

const padTo4 = (n: number): number => Math.ceil(n / 4) * 4;

export function encodeEmbeddingBundle(bundle: EmbeddingBundle): Uint8Array {
  const { modelId, dim, preprocessing, hashes, vectors, tags } = bundle;
  if (!(Number.isInteger(dim) && dim > 0)) throw new Error(`dim must be a positive integer, not ${dim}`);
  if (vectors.length !== hashes.length * dim) {
    throw new Error(
      `${hashes.length} hashes × ${dim} dimensions need ${hashes.length * dim} floats, got ${vectors.length}`,
    );
  }
  if (tags && tags.length !== hashes.length)
    throw new Error(`${hashes.length} rows need ${hashes.length} tag rows, got ${tags.length}`);
  const header: BundleHeader = { modelId, dim, count: hashes.length, preprocessing, hashes };
  if (tags) header.tags = tags.map(packTags);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const vectorsStart = padTo4(PREAMBLE_BYTES + json.length);
  const bytes = new Uint8Array(vectorsStart + vectors.length * 4);
  bytes.set(new TextEncoder().encode(BUNDLE_MAGIC), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(4, BUNDLE_FORMAT_VERSION, true);
  view.setUint32(8, json.length, true);
  bytes.set(json, PREAMBLE_BYTES);
  for (let i = 0; i < vectors.length; i++) view.setFloat32(vectorsStart + i * 4, vectors[i], true);
  return bytes;
}

function parseHeader(json: string): BundleHeader {
  let header: Partial<BundleHeader>;
  try {
    header = JSON.parse(json);
  } catch {
    throw new Error('embedding bundle: the header is not valid JSON');
  }
  const { modelId, dim, count, preprocessing, hashes, tags } = header;
  if (
    typeof modelId !== 'string' ||
    typeof preprocessing !== 'string' ||
    !Number.isInteger(dim) ||
    dim! <= 0 ||
    !Number.isInteger(count) ||
    count! < 0 ||
    !Array.isArray(hashes) ||
    !hashes.every((h) => typeof h === 'string')
  ) {
    throw new Error('embedding bundle: the header lacks modelId, dim, count, preprocessing or hashes');
  }
  if (hashes.length !== count) {
    throw new Error(`embedding bundle: count mismatch (header says ${count} rows, lists ${hashes.length} hashes)`);
  }
  if (tags !== undefined && (!Array.isArray(tags) || tags.length !== count)) {
    throw new Error(`embedding bundle: tags must hold one row per hash (${count} rows)`);
  }
  return { modelId, dim: dim!, count: count!, preprocessing, hashes, tags };
}

export function decodeEmbeddingBundle(input: ArrayBuffer | Uint8Array): EmbeddingBundle {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length < PREAMBLE_BYTES) throw new Error(`embedding bundle: truncated (${bytes.length} bytes, no header)`);
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  if (magic !== BUNDLE_MAGIC)
    throw new Error(`embedding bundle: bad magic (not a .vsle file; starts with ${JSON.stringify(magic)})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== BUNDLE_FORMAT_VERSION) {
    throw new Error(
      `embedding bundle: format version ${version} is not supported (this app reads ${BUNDLE_FORMAT_VERSION})`,
    );
  }
  const headerLength = view.getUint32(8, true);
  if (PREAMBLE_BYTES + headerLength > bytes.length) {
    throw new Error(`embedding bundle: truncated (header of ${headerLength} bytes, file of ${bytes.length})`);
  }
  const header = parseHeader(new TextDecoder().decode(bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + headerLength)));
  const vectorsStart = padTo4(PREAMBLE_BYTES + headerLength);
  const floats = header.count * header.dim;
  const expected = vectorsStart + floats * 4;
  if (bytes.length < expected) {
    throw new Error(
      `embedding bundle: truncated (${header.count} × ${header.dim} vectors need ${expected} bytes, file has ${bytes.length})`,
    );
  }
  if (bytes.length > expected) {
    throw new Error(`embedding bundle: count mismatch (${bytes.length - expected} bytes after ${header.count} rows)`);
  }
  return {
    modelId: header.modelId,
    dim: header.dim,
    preprocessing: header.preprocessing,
    hashes: header.hashes,
    vectors: littleEndianFloats(bytes, vectorsStart, floats),
    ...(header.tags ? { tags: tagRows(header.tags) } : {}),
  };
}

function tagRows(rows: unknown[]): ImageTag[][] {
  try {
    return rows.map(unpackTags);
  } catch (error) {
    throw new Error(`embedding bundle: ${(error as Error).message}`, { cause: error });
  }
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The file's float32s are little-endian, as every browser's are: one copy of the bytes reads them
 * (reading 3 million one by one through a DataView was a main-thread task of 50–370 ms at start-up,
 * docs/performance.md). A big-endian host still reads them value by value.
 */
function littleEndianFloats(bytes: Uint8Array, start: number, count: number): Float32Array {
  if (LITTLE_ENDIAN_HOST) {
    // Copied with set(), not slice(): Node's Buffer.slice is a view on a shared pool, not a copy.
    const aligned = new Uint8Array(count * 4);
    aligned.set(bytes.subarray(start, start + count * 4));
    return new Float32Array(aligned.buffer);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vectors = new Float32Array(count);
  for (let i = 0; i < count; i++) vectors[i] = view.getFloat32(start + i * 4, true);
  return vectors;
}
