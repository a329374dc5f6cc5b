import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ClickEvent } from '../../../lib/clickLog';

interface ClickSchema extends DBSchema {
  clicks: { key: number; value: ClickEvent; indexes: { catalogue: string } };
}

/** Its own database, so the click log's versions never step on the embedding store's. */
const DB_NAME = 'visual-search-lab-clicks';
const DB_VERSION = 1;

/**
 * The click log kept in IndexedDB between visits (person and simulated clicks alike). When the
 * browser refuses IndexedDB, it keeps the log in memory for this visit and says so once.
 */
export class ClickLogStore {
  private readonly memory: ClickEvent[] = [];

  private constructor(private readonly db: IDBPDatabase<ClickSchema> | null) {}

  static async open(onProblem: (message: string) => void): Promise<ClickLogStore> {
    try {
      const db = await openDB<ClickSchema>(DB_NAME, DB_VERSION, {
        upgrade(database) {
          database.createObjectStore('clicks', { autoIncrement: true }).createIndex('catalogue', 'catalogue');
        },
      });
      return new ClickLogStore(db);
    } catch (error) {
      onProblem(`The click log is kept for this visit only: ${error instanceof Error ? error.message : error}`);
      return new ClickLogStore(null);
    }
  }

  /** Appends clicks in one transaction. */
  async append(events: readonly ClickEvent[]): Promise<void> {
    if (!this.db) {
      this.memory.push(...events);
      return;
    }
    const tx = this.db.transaction('clicks', 'readwrite');
    await Promise.all([...events.map((event) => tx.store.add(event)), tx.done]);
  }

  /** The clicks made on one catalogue, oldest first. */
  async list(catalogue: string): Promise<ClickEvent[]> {
    if (!this.db) return this.memory.filter((event) => event.catalogue === catalogue);
    return this.db.getAllFromIndex('clicks', 'catalogue', catalogue);
  }

  /** Forgets the clicks of one source (`page` or `sim`), or all of them. */
  async clear(source?: ClickEvent['source']): Promise<void> {
    if (!this.db) {
      const kept = source ? this.memory.filter((event) => event.source !== source) : [];
      this.memory.splice(0, this.memory.length, ...kept);
      return;
    }
    if (!source) return this.db.clear('clicks');
    const tx = this.db.transaction('clicks', 'readwrite');
    for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
      if (cursor.value.source === source) await cursor.delete();
    }
    await tx.done;
  }
}
