import { errorMessage } from '../../../lib/errors';
import type { StoredRead } from '../shared/knownVectorsProtocol';
import { openLabDatabase, type KeptFolder, type LabDatabase, type StoredIndex } from '../shared/labDatabase';
import { unpackStored } from '../shared/readStored';
import { knownVectors } from './knownVectorsClient';

const LAST_FOLDER = 'last';

export interface StoreUsage {
  embeddings: number;
  embeddingBytes: number;
  indexes: StoredIndex[];
}

/** Reads stored embeddings off the page's main thread: the known-vectors worker, unless a test gives another. */
export type StoredReader = (keys: string[]) => Promise<StoredRead>;

/**
 * Embeddings, index records and the last folder's handle kept in IndexedDB between visits. When the browser refuses
 * (no IndexedDB, private mode, quota), the store says why once through `onProblem` and from then on
 * behaves as an empty store that keeps nothing: the app carries on in memory.
 */
export class BrowserStore {
  private constructor(
    private db: LabDatabase | null,
    private readonly onProblem: (message: string) => void,
    private readonly readStored: StoredReader,
  ) {}

  static async open(
    onProblem: (message: string) => void,
    readStored: StoredReader = (keys) => knownVectors.readStored(keys),
  ): Promise<BrowserStore> {
    let store: BrowserStore | null = null;
    let blocked = (): void => {};
    const stalled = new Promise<null>((resolve) => (blocked = () => resolve(null)));
    try {
      const opening = openLabDatabase({
        // An older version of the app in another tab holds the database open: do not wait for it.
        blocked,
        // A newer version of the app opened in another tab needs to upgrade: let it.
        blocking() {
          store?.giveUp(new Error('a newer version of the app is open in another tab'));
        },
      });
      const db = await Promise.race([opening, stalled]);
      if (!db) {
        void opening.then((late) => late.close()).catch(() => {});
        throw new Error('an older version of the app is open in another tab; close it and reload');
      }
      store = new BrowserStore(db, onProblem, readStored);
      return store;
    } catch (error) {
      const failed = new BrowserStore(null, onProblem, readStored);
      failed.giveUp(error);
      return failed;
    }
  }

  get available(): boolean {
    return this.db !== null;
  }

  /**
   * The stored embeddings of these keys (undefined where none), read in the known-vectors worker: read
   * here, 2,369 of them came back as IndexedDB replies handled a few hundred a task, tasks of up to 70 ms.
   */
  async getEmbeddings(keys: string[]): Promise<(Float32Array | undefined)[]> {
    if (keys.length === 0) return [];
    const read = await this.attempt(() => this.readStored(keys));
    return read ? unpackStored(read) : keys.map(() => undefined);
  }

  async putEmbeddings(entries: [key: string, vector: Float32Array][]): Promise<void> {
    await this.attempt(async (db) => {
      const tx = db.transaction('embeddings', 'readwrite');
      // A copy: the vector may be a view into a larger array.
      await Promise.all([...entries.map(([key, vector]) => tx.store.put(vector.slice().buffer, key)), tx.done]);
    });
  }

  async getIndex(key: string): Promise<StoredIndex | undefined> {
    return (await this.attempt((db) => db.get('indexes', key))) ?? undefined;
  }

  async putIndex(index: StoredIndex): Promise<void> {
    await this.attempt((db) => db.put('indexes', index, index.key));
  }

  async deleteIndexes(keys: string[]): Promise<void> {
    await this.attempt(async (db) => {
      const tx = db.transaction('indexes', 'readwrite');
      await Promise.all([...keys.map((key) => tx.store.delete(key)), tx.done]);
    });
  }

  async listIndexes(): Promise<StoredIndex[]> {
    return (await this.attempt((db) => db.getAll('indexes'))) ?? [];
  }

  /**
   * Remembers the folder that is the catalogue now, with its directory handle where one can be
   * kept. Says whether the handle was kept: a browser that cannot store one (DataCloneError) gets
   * the folder's name alone, so the next visit can say it must be picked again.
   */
  async keepFolder(name: string, handle: FileSystemDirectoryHandle | null): Promise<boolean> {
    const folder: KeptFolder = { name, handle, keptAt: Date.now() };
    if (handle && this.db) {
      try {
        await this.db.put('folders', folder, LAST_FOLDER);
        return true;
      } catch (error) {
        if (!(error instanceof DOMException && error.name === 'DataCloneError')) {
          this.giveUp(error);
          return false;
        }
      }
    }
    await this.attempt((db) => db.put('folders', { ...folder, handle: null }, LAST_FOLDER));
    return false;
  }

  /** The folder an earlier visit made the catalogue last, if any. */
  async lastFolder(): Promise<KeptFolder | undefined> {
    return (await this.attempt((db) => db.get('folders', LAST_FOLDER))) ?? undefined;
  }

  async forgetFolder(): Promise<void> {
    await this.attempt((db) => db.delete('folders', LAST_FOLDER));
  }

  async usage(): Promise<StoreUsage> {
    const counted = await this.attempt(async (db) => {
      let embeddingBytes = 0;
      let embeddings = 0;
      let cursor = await db.transaction('embeddings').store.openCursor();
      while (cursor) {
        embeddings++;
        embeddingBytes += cursor.value.byteLength;
        cursor = await cursor.continue();
      }
      return { embeddings, embeddingBytes, indexes: await db.getAll('indexes') };
    });
    return counted ?? { embeddings: 0, embeddingBytes: 0, indexes: [] };
  }

  async clear(): Promise<void> {
    await this.attempt(async (db) => {
      const tx = db.transaction(['embeddings', 'indexes', 'folders'], 'readwrite');
      await Promise.all([
        tx.objectStore('embeddings').clear(),
        tx.objectStore('indexes').clear(),
        tx.objectStore('folders').clear(),
        tx.done,
      ]);
    });
  }

  private async attempt<T>(work: (db: LabDatabase) => Promise<T>): Promise<T | null> {
    if (!this.db) return null;
    try {
      return await work(this.db);
    } catch (error) {
      this.giveUp(error);
      return null;
    }
  }

  private giveUp(error: unknown): void {
    this.db?.close();
    this.db = null;
    const quota = error instanceof DOMException && error.name === 'QuotaExceededError';
    this.onProblem(
      quota
        ? 'Browser storage is full: this visit works in memory, and its embeddings and index will not be kept.'
        : `Browser storage is unavailable (${errorMessage(error)}): this visit works in memory, and its embeddings and index will not be kept.`,
    );
  }
}
