import { protocol } from '../../../bridge/protocol';
import type { EmbeddingBundle } from '../../../lib/embeddingBundle';

/** A catalogue's embedding bundle as the worker read it: none when the server has no such file. */
export type BundleRead = { bundle: EmbeddingBundle } | { bundle: null };

/**
 * Embeddings browser storage kept, one after the other in `vectors`: the i-th key's is the next
 * `lengths[i]` floats, none where `lengths[i]` is 0.
 */
export interface StoredRead {
  vectors: Float32Array;
  lengths: Uint32Array;
}

export interface KnownVectorsWorkerApi {
  /**
   * Downloads the bundle at `url` (absolute) and decodes it. Throws when a file is there but is
   * not a bundle this app reads (embeddingBundle.ts says why).
   */
  readBundle(url: string): Promise<BundleRead>;
  /** The stored embeddings of these keys (features/storage/shared/labDatabase.ts). Throws when storage cannot be read. */
  readStored(keys: string[]): Promise<StoredRead>;
}

/** The known-vectors worker's boundary: the vectors come back transferred, not copied. */
export const KNOWN_VECTORS_WORKER = protocol<KnownVectorsWorkerApi>()({
  readBundle: { transferResult: (read) => (read.bundle ? [read.bundle.vectors.buffer] : []) },
  readStored: { transferResult: (read) => [read.vectors.buffer, read.lengths.buffer] },
});
