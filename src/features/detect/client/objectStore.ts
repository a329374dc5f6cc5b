import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Detection } from '../../../lib/detection';
import { errorMessage } from '../../../lib/errors';

/** An image's object entries as computed once: its boxes at the threshold, and one frozen embedding per box. */
export interface StoredObjects {
  /** Boxes at or above the threshold, best first, in natural pixels. */
  detections: Detection[];
  /** Row-major, detections.length × dim (MobileNet's embedding of each box's crop). */
  vectors: Float32Array;
  dim: number;
}

/** What the stored boxes and vectors depend on: change any of these and the image is detected again. */
export interface ObjectKey {
  catalogue: string;
  model: string;
  /** sha256 of the image's bytes. */
  hash: string;
  detector: string;
  threshold: number;
}

interface ObjectSchema extends DBSchema {
  objects: { key: string; value: StoredObjects };
}

/** Its own database, so its versions never step on another feature's. Storage's "Clear stored data" empties it. */
const DB_NAME = 'visual-search-lab-objects';
const DB_VERSION = 1;

export const objectKey = (key: ObjectKey): string =>
  [key.catalogue, key.model, key.hash, key.detector, key.threshold.toFixed(2)].join('|');

/**
 * The object entries' boxes and vectors kept in IndexedDB, so turning `objects=1` on again (or a
 * reload with it) does not run the detector and the model over the catalogue again. Without
 * IndexedDB it keeps nothing and says so once.
 */
export class ObjectStore {
  private constructor(private readonly db: IDBPDatabase<ObjectSchema> | null) {}

  static async open(onProblem: (message: string) => void): Promise<ObjectStore> {
    try {
      const db = await openDB<ObjectSchema>(DB_NAME, DB_VERSION, {
        upgrade(database) {
          database.createObjectStore('objects');
        },
      });
      return new ObjectStore(db);
    } catch (error) {
      onProblem(`Object entries are not kept between visits: ${errorMessage(error)}`);
      return new ObjectStore(null);
    }
  }

  async get(key: ObjectKey): Promise<StoredObjects | undefined> {
    return this.db?.get('objects', objectKey(key));
  }

  async put(key: ObjectKey, value: StoredObjects): Promise<void> {
    await this.db?.put('objects', value, objectKey(key));
  }
}
