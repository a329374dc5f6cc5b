import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { augmentationKey, randomAugmentation, VIEWS_PER_IMAGE, type ViewAugmentation } from '../../../lib/augmentViews';
import { PREPROCESSING_VERSION } from '../../../lib/preprocess';
import { seededRandom } from '../../../lib/syntheticVectors';
import type { CatalogueItem } from '../../../lib/types';
import type { CatalogueStage } from '../../catalogue/client/catalogueStage.svelte';
import { BATCH_SIZE } from '../../embed/client/embedImages';
import type { EmbedStage } from '../../embed/client/embedStage.svelte';
import type { EmbedJob } from '../../embed/shared/protocol';

interface ViewSchema extends DBSchema {
  views: { key: string; value: Float32Array };
}

/** Its own database, so its versions never step on the embedding store's. */
const DB_NAME = 'visual-search-lab-views';
const DB_VERSION = 1;

/** What the views cost: shown beside the run, since they are the `augment` source's price. */
export interface ViewCost {
  views: number;
  embedded: number;
  cached: number;
  /** Wall time of embedding the views that were not cached. */
  seconds: number;
}

let database: Promise<IDBPDatabase<ViewSchema> | null> | null = null;

/** The view cache; null (nothing kept) when the browser refuses IndexedDB. */
function views(): Promise<IDBPDatabase<ViewSchema> | null> {
  database ??= openDB<ViewSchema>(DB_NAME, DB_VERSION, {
    upgrade(db) {
      db.createObjectStore('views');
    },
  }).catch(() => null);
  return database;
}

const viewKey = (modelId: string, item: CatalogueItem, view: ViewAugmentation): string =>
  JSON.stringify([modelId, PREPROCESSING_VERSION, item.hash, augmentationKey(view)]);

/**
 * Two augmented views of each image (random resized crop, flip, colour jitter; seeded, so a run
 * repeats and its views are cached), embedded through the page's embedding pool, in the order of
 * `ids`: the `augment` source's rows. An image whose pixel size is unknown is not cropped.
 */
export async function embedViews(
  embed: EmbedStage,
  catalogue: CatalogueStage,
  ids: readonly number[],
  dim: number,
  seed: number,
  signal: AbortSignal,
  onProgress: (done: number, total: number) => void,
): Promise<{ views: Float32Array; cost: ViewCost } | null> {
  const random = seededRandom(seed + 7);
  const modelId = embed.model.id;
  const planned = ids.flatMap((id) => {
    const item = catalogue.itemById.get(id);
    if (!item) throw new Error(`image ${id} is no longer in the catalogue`);
    return Array.from({ length: VIEWS_PER_IMAGE }, () => {
      const view = randomAugmentation(item.width, item.height, random);
      return { item, view, key: viewKey(modelId, item, view) };
    });
  });
  const db = await views();
  const found = new Map<number, Float32Array>();
  if (db) {
    const cached = await Promise.all(planned.map((view) => db.get('views', view.key)));
    cached.forEach((vector, i) => vector && found.set(i, vector));
  }
  const cachedCount = found.size;
  const jobs: EmbedJob[] = planned.flatMap(({ item, view }, i) =>
    found.has(i)
      ? []
      : [
          {
            id: i,
            source: catalogue.imageUrl(item),
            augment: { flip: view.flip, jitter: view.jitter },
            ...(view.crop ? { region: view.crop } : {}),
          },
        ],
  );
  const started = performance.now();
  const problems: string[] = [];
  onProgress(found.size, planned.length);
  if (jobs.length > 0) {
    const pool = await embed.start();
    await pool.embedAll(jobs, {
      batchSize: BATCH_SIZE,
      signal,
      onBatch: (batch) => {
        embed.countBatch(batch);
        batch.ids.forEach((i, row) => found.set(i, batch.vectors.slice(row * batch.dim, (row + 1) * batch.dim)));
        problems.push(...batch.failures.map((f) => `${planned[f.id].item.file}: ${f.message}`));
        onProgress(found.size, planned.length);
      },
    });
  }
  if (signal.aborted) return null;
  if (problems.length > 0) throw new Error(`${problems.length} view(s) could not be embedded (${problems[0]})`);
  const seconds = (performance.now() - started) / 1000;
  if (db) {
    const tx = db.transaction('views', 'readwrite');
    await Promise.all([...jobs.map((job) => tx.store.put(found.get(job.id)!, planned[job.id].key)), tx.done]);
  }
  const out = new Float32Array(planned.length * dim);
  planned.forEach((_, i) => out.set(found.get(i)!, i * dim));
  return {
    views: out,
    cost: { views: planned.length, embedded: jobs.length, cached: cachedCount, seconds: jobs.length > 0 ? seconds : 0 },
  };
}
