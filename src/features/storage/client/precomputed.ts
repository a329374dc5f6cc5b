import { catalogueBaseUrl } from '../../../lib/catalogue';
import { errorMessage } from '../../../lib/errors';
import { PREPROCESSING_VERSION } from '../../../lib/preprocess';
import type { ImageTag } from '../../../lib/tags';
import { appUrl } from '../../catalogue/client/assets';
import { knownVectors } from './knownVectorsClient';

export interface PrecomputedEmbeddings {
  /** Embedding by content hash; empty when the catalogue has no usable bundle for this model. */
  vectors: Map<string, Float32Array>;
  /** Tags by content hash; null when the bundle was made before tags existed (or there is none). */
  tags: Map<string, ImageTag[]> | null;
  /** Why a bundle that exists was not used; null when it was, or when there is none. */
  problem: string | null;
}

/** The URL setup serves a catalogue's precomputed embeddings at (made by `npm run embed`). */
export function bundleUrl(catalogueId: string, modelId: string): string {
  return appUrl(`${catalogueBaseUrl(catalogueId)}/embeddings/${encodeURIComponent(modelId)}.vsle`);
}

/**
 * Reads the catalogue's embedding bundle for this model (downloaded and decoded in the
 * known-vectors worker). Rows are only used when the bundle was made by the same model with the same
 * preprocessing as this build.
 */
export async function loadPrecomputed(catalogueId: string, modelId: string): Promise<PrecomputedEmbeddings> {
  const none = (problem: string | null = null): PrecomputedEmbeddings => ({ vectors: new Map(), tags: null, problem });
  try {
    const { bundle } = await knownVectors.readBundle(bundleUrl(catalogueId, modelId));
    if (!bundle) return none();
    if (bundle.modelId !== modelId)
      return none(
        `The precomputed embeddings are of ${bundle.modelId}, not ${modelId}: embedding in the browser instead.`,
      );
    if (bundle.preprocessing !== PREPROCESSING_VERSION) {
      return none(
        `The precomputed embeddings were made with preprocessing "${bundle.preprocessing}", not "${PREPROCESSING_VERSION}": ` +
          'embedding in the browser instead (run `npm run setup` to make them again).',
      );
    }
    const vectors = new Map<string, Float32Array>();
    bundle.hashes.forEach((hash, row) =>
      vectors.set(hash, bundle.vectors.subarray(row * bundle.dim, (row + 1) * bundle.dim)),
    );
    const tags = bundle.tags ? new Map(bundle.hashes.map((hash, row) => [hash, bundle.tags![row]])) : null;
    return { vectors, tags, problem: null };
  } catch (error) {
    return none(
      `The precomputed embeddings could not be read (${errorMessage(error)}): embedding in the browser instead.`,
    );
  }
}
