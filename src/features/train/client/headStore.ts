import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { HeadSettings } from '../../../lib/projectionHead';
import type { TrainingOutcome } from '../shared/training';

/** A trained head with what it was measured at, under the key of what it was trained from. */
export interface StoredTraining {
  key: string;
  /** catalogue + model + preprocessing: the latest run of one catalogue and model is offered again. */
  family: string;
  outcome: TrainingOutcome;
  savedAt: number;
}

interface HeadSchema extends DBSchema {
  heads: { key: string; value: StoredTraining; indexes: { family: string } };
}

/** Its own database, so this store's versions never step on the embedding store's or the click log's. */
const DB_NAME = 'visual-search-lab-heads';
const DB_VERSION = 1;

export function headFamily(catalogueId: string, modelId: string, preprocessing: string): string {
  return JSON.stringify([catalogueId, modelId, preprocessing]);
}

/** (model, preprocessing, catalogue, settings): a head trained with other knobs is another head. */
export function headKey(family: string, settings: HeadSettings): string {
  return `${family}${JSON.stringify(settings)}`;
}

/** Trained heads kept between visits; without IndexedDB it keeps nothing and says so through `onProblem`. */
export class HeadStore {
  private constructor(private readonly db: IDBPDatabase<HeadSchema> | null) {}

  static async open(onProblem: (message: string) => void): Promise<HeadStore> {
    try {
      const db = await openDB<HeadSchema>(DB_NAME, DB_VERSION, {
        upgrade(database) {
          database.createObjectStore('heads', { keyPath: 'key' }).createIndex('family', 'family');
        },
      });
      return new HeadStore(db);
    } catch (error) {
      onProblem(`Trained heads are kept for this visit only: ${error instanceof Error ? error.message : error}`);
      return new HeadStore(null);
    }
  }

  async put(record: StoredTraining): Promise<void> {
    await this.db?.put('heads', record);
  }

  /** The most recently trained head of a catalogue and model, or null. */
  async latest(family: string): Promise<StoredTraining | null> {
    if (!this.db) return null;
    const all = await this.db.getAllFromIndex('heads', 'family', family);
    return all.sort((a, b) => b.savedAt - a.savedAt)[0] ?? null;
  }
}
