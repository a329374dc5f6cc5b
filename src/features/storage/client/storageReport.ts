import type { StoredIndex } from '../shared/labDatabase';
import type { BrowserStore } from './browserStore';
import type { SearchClient } from '../../search/client/client';
import { openDB } from 'idb';

export interface CacheReport {
  name: string;
  entries: number;
  bytes: number;
}

/** Everything this app keeps in the browser, as the storage panel lists it. */
export interface StorageReport {
  /** navigator.storage.estimate(): all of this origin's storage, and what the browser allows it. */
  usageBytes: number | null;
  quotaBytes: number | null;
  embeddings: number;
  embeddingBytes: number;
  indexes: StoredIndex[];
  /** Cache Storage, filled by the service worker. */
  caches: CacheReport[];
}

async function cacheReport(name: string): Promise<CacheReport> {
  const cache = await caches.open(name);
  let bytes = 0;
  const requests = await cache.keys();
  for (const request of requests) {
    const response = await cache.match(request);
    if (!response) continue;
    const length = Number(response.headers.get('content-length'));
    bytes += length > 0 ? length : (await response.blob()).size;
  }
  return { name, entries: requests.length, bytes };
}

export async function readStorageReport(store: BrowserStore): Promise<StorageReport> {
  const estimate = await navigator.storage?.estimate?.().catch(() => null);
  const names = 'caches' in globalThis ? await caches.keys() : [];
  const [usage, cacheReports] = await Promise.all([store.usage(), Promise.all(names.map(cacheReport))]);
  return {
    usageBytes: estimate?.usage ?? null,
    quotaBytes: estimate?.quota ?? null,
    embeddings: usage.embeddings,
    embeddingBytes: usage.embeddingBytes,
    indexes: usage.indexes,
    caches: cacheReports,
  };
}

/**
 * Each feature keeps its own IndexedDB database, named `visual-search-lab-<feature>` (tags, trained
 * heads, augmented views, PQ codebooks, clicks, object entries), so no two bump one version.
 */
const FEATURE_DATABASE = /^visual-search-lab-/;

/**
 * Empties every object store of the features' databases. Emptied, not deleted: a page's open
 * connection stays usable, and deleting would wait for it to close. A browser that cannot list its
 * databases keeps them (never opened blind: that would create an empty database its feature could not upgrade).
 */
async function emptyFeatureDatabases(): Promise<void> {
  if (typeof indexedDB === 'undefined' || !('databases' in indexedDB)) return;
  const names = (await indexedDB.databases()).map((d) => d.name ?? '').filter((name) => FEATURE_DATABASE.test(name));
  for (const name of names) {
    const db = await openDB(name);
    try {
      await Promise.all([...db.objectStoreNames].map((store) => db.clear(store)));
    } finally {
      db.close();
    }
  }
}

/**
 * Deletes stored embeddings, saved indexes, every feature's kept data and the offline copy of the
 * app. The service worker is unregistered too, so nothing is cached again until the next visit.
 */
export async function clearStoredData(store: BrowserStore, search: SearchClient): Promise<void> {
  await store.clear();
  await emptyFeatureDatabases();
  await search.forgetIndexes();
  if ('caches' in globalThis) await Promise.all((await caches.keys()).map((name) => caches.delete(name)));
  const registrations = (await navigator.serviceWorker?.getRegistrations()) ?? [];
  await Promise.all(registrations.map((registration) => registration.unregister()));
}
