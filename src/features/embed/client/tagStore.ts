import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { embeddingKey } from '../../../lib/cacheKeys';
import { PREPROCESSING_VERSION } from '../../../lib/preprocess';
import { readInParts } from '../../../lib/readInParts';
import { packTags, unpackTags, type ImageTag } from '../../../lib/tags';

interface TagSchema extends DBSchema {
  tags: { key: string; value: number[] };
}

/** Its own database, so the tags' versions never step on the embedding store's. */
const DB_NAME = 'visual-search-lab-tags';
const DB_VERSION = 1;

function openTagDb(): Promise<IDBPDatabase<TagSchema>> {
  return openDB<TagSchema>(DB_NAME, DB_VERSION, {
    upgrade(database) {
      database.createObjectStore('tags');
    },
  });
}

/**
 * Images' tags kept between visits beside their embeddings, under the same key (model,
 * preprocessing, content hash): an image whose embedding comes from browser storage keeps its
 * tags too. Without IndexedDB the tags live for this visit only (the page says so for the
 * embeddings already).
 */
export class TagStore {
  private constructor(
    private readonly db: IDBPDatabase<TagSchema> | null,
    private readonly modelId: string,
  ) {}

  static async open(modelId: string): Promise<TagStore> {
    try {
      return new TagStore(await openTagDb(), modelId);
    } catch {
      return new TagStore(null, modelId);
    }
  }

  private key(hash: string): string {
    return embeddingKey(this.modelId, PREPROCESSING_VERSION, hash);
  }

  async put(entries: readonly [hash: string, tags: ImageTag[]][]): Promise<void> {
    if (!this.db || entries.length === 0) return;
    const tx = this.db.transaction('tags', 'readwrite');
    await Promise.all([...entries.map(([hash, tags]) => tx.store.put(packTags(tags), this.key(hash))), tx.done]);
  }

  /**
   * The kept tags of these images, by content hash; images without any are left out. Read a few
   * hundred a task (lib/readInParts.ts): a whole catalogue's in one task was the warm start's one long task.
   */
  async get(hashes: readonly string[]): Promise<Map<string, ImageTag[]>> {
    const found = new Map<string, ImageTag[]>();
    const db = this.db;
    if (!db || hashes.length === 0) return found;
    const rows = await readInParts(hashes, (part) => {
      const tx = db.transaction('tags', 'readonly');
      return Promise.all(part.map((hash) => tx.store.get(this.key(hash))));
    });
    rows.forEach((row, i) => {
      if (!row) return;
      try {
        found.set(hashes[i], unpackTags(row));
      } catch {
        // A malformed row is as good as none: the image is tagged again when it is embedded again.
      }
    });
    return found;
  }
}
