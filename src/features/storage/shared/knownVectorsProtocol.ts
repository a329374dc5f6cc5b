import { protocol } from '../../../bridge/protocol';
import type { EmbeddingBundle } from '../../../lib/embeddingBundle';

/** A catalogue's embedding bundle as the bundle worker read it: none when the server has no such file. */
export type BundleRead = { bundle: EmbeddingBundle } | { bundle: null };

export interface BundleWorkerApi {
  /**
   * Downloads the bundle at `url` (absolute) and decodes it. Throws when a file is there but is
   * not a bundle this app reads (embeddingBundle.ts says why).
   */
  read(url: string): Promise<BundleRead>;
}

/** The bundle worker's boundary: the vectors come back transferred, not copied. */
export const BUNDLE_WORKER = protocol<BundleWorkerApi>()({
  read: { transferResult: (read) => (read.bundle ? [read.bundle.vectors.buffer] : []) },
});
