import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { PqCodes } from '../shared/pqTrainProtocol';

/** The PQ column's codebooks and codes, kept so a reload does not train again. */
export interface StoredPqCodes extends PqCodes {
  key: string;
  /** vectorsFingerprint() of the rows the codes encode: other rows reuse the codebooks and are encoded again. */
  fingerprint: string;
}

interface PqSchema extends DBSchema {
  codebooks: { key: string; value: StoredPqCodes };
}

/** Its own database, so its versions never step on the embedding store's, the click log's or the heads'. */
const DB_NAME = 'visual-search-lab-pq';
const DB_VERSION = 1;

/** What the codebooks depend on: the catalogue, the model, m and the k-means seed. */
export function pqCodebookKey(catalogueId: string, modelId: string, m: number, seed: number): string {
  return JSON.stringify([catalogueId, modelId, m, seed]);
}

/** PQ codebooks kept between visits; without IndexedDB it keeps nothing (the column trains each visit). */
export class PqCodebookStore {
  private constructor(private readonly db: IDBPDatabase<PqSchema> | null) {}

  static async open(): Promise<PqCodebookStore> {
    try {
      const db = await openDB<PqSchema>(DB_NAME, DB_VERSION, {
        upgrade(database) {
          database.createObjectStore('codebooks', { keyPath: 'key' });
        },
      });
      return new PqCodebookStore(db);
    } catch {
      return new PqCodebookStore(null);
    }
  }

  async get(key: string): Promise<StoredPqCodes | null> {
    return (await this.db?.get('codebooks', key)) ?? null;
  }

  async put(record: StoredPqCodes): Promise<void> {
    await this.db?.put('codebooks', record);
  }
}
