import { openDB, type DBSchema, type IDBPDatabase, type OpenDBCallbacks } from 'idb';
import type { SavedIndex } from '../../search/shared/protocol';

/** What is known of a saved HNSW index; its bytes live in hnswlib's own storage (features/search/worker/indexFiles.ts). */
export interface StoredIndex extends SavedIndex {
  key: string;
  count: number;
  savedAt: number;
}

/**
 * The folder the user made the catalogue last. `handle` is kept where the browser can keep one
 * (File System Access API), so a later visit can reopen the folder; null when the folder only
 * lived in the page (a folder input, or a browser that cannot keep a directory handle).
 */
export interface KeptFolder {
  name: string;
  handle: FileSystemDirectoryHandle | null;
  keptAt: number;
}

export interface LabSchema extends DBSchema {
  /** Key: embeddingKey(); value: the float32 bytes of one L2-normalised embedding. */
  embeddings: { key: string; value: ArrayBuffer };
  indexes: { key: string; value: StoredIndex };
  /** One record, under LAST_FOLDER. */
  folders: { key: string; value: KeptFolder };
}

export type LabDatabase = IDBPDatabase<LabSchema>;

const DB_NAME = 'visual-search-lab';
/** 2 added the folders store. */
const DB_VERSION = 2;

/**
 * Opens the app's database, made or upgraded to this version, from the page (client/browserStore.ts)
 * or a worker (worker/knownVectors.worker.ts): both read the same stores.
 */
export function openLabDatabase(
  callbacks: Pick<OpenDBCallbacks<LabSchema>, 'blocked' | 'blocking'> = {},
): Promise<LabDatabase> {
  return openDB<LabSchema>(DB_NAME, DB_VERSION, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        database.createObjectStore('embeddings');
        database.createObjectStore('indexes');
      }
      if (oldVersion < 2) database.createObjectStore('folders');
    },
    ...callbacks,
  });
}
