import type { HnswIndex } from './hnswIndex';
import type { VectorStore } from './vectorStore';

/** Queries run once an index starts serving, so the page's first query is not the one paying for cold code and caches. */
const WARM_UP_QUERIES = 16;

/**
 * Searches both engines with a spread of the indexed vectors: the first query after a load
 * otherwise runs hnswlib's search and the scan kernel for the first time (wasm tier-up, cold
 * caches) and took about three times the later ones. It runs in the worker's next task, after the
 * reply that the index serves has gone, so the page is ready without waiting for it; and only if
 * that index still serves by then (`serving`).
 */
export function warmUpAfterReply(index: HnswIndex, store: VectorStore, serving: () => HnswIndex | null): void {
  setTimeout(() => {
    if (serving() !== index) return;
    const ids = store.ids;
    const step = Math.max(1, Math.floor(ids.length / WARM_UP_QUERIES));
    for (let row = 0; row < ids.length && row < step * WARM_UP_QUERIES; row += step) {
      const vector = store.vectorOf(ids[row]);
      index.search(vector, 10, 64);
      store.exactTopK(vector, 10);
    }
  }, 0);
}
