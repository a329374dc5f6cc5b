import { errorMessage } from '../../../lib/errors';
import { parseShippedIndexMeta, shippedIndexFiles, type ShippedIndexMeta } from '../../../lib/shippedIndex';
import { bundleUrl } from '../../storage/client/precomputed';

/** What the catalogue ships for this model: the index's description and its URL; a problem when it is unreadable. */
export type ShippedIndexOffer = { meta: ShippedIndexMeta; url: string } | { problem: string } | null;

/**
 * Reads the description of the index setup shipped beside the catalogue's bundle (null when
 * there is none: older setups and catalogues without a bundle build in the browser, as before).
 */
export async function findShippedIndex(catalogueId: string, modelId: string): Promise<ShippedIndexOffer> {
  const files = shippedIndexFiles(bundleUrl(catalogueId, modelId));
  const response = await fetch(files.meta).catch(() => null);
  // A static server answers a missing file with its index page.
  if (!response?.ok || response.headers.get('content-type')?.startsWith('text/html')) return null;
  try {
    return { meta: parseShippedIndexMeta(await response.json()), url: files.index };
  } catch (error) {
    return { problem: `The shipped index could not be used (${errorMessage(error)}), so the index was built here.` };
  }
}
