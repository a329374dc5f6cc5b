import { untrack } from 'svelte';
import { DEFAULT_DETECT_THRESHOLD, type Detection } from '../../../lib/detection';
import { errorMessage } from '../../../lib/errors';
import { MAX_OBJECTS_PER_IMAGE } from '../../../lib/objectEntries';
import { progressFigures, type ProgressFigures } from '../../../lib/progress';
import { Throttle } from '../../../lib/throttle';
import type { CatalogueStage } from '../../catalogue/client/catalogueStage.svelte';
import { BATCH_SIZE } from '../../embed/client/embedImages';
import type { EmbedStage } from '../../embed/client/embedStage.svelte';
import type { EmbedJob } from '../../embed/shared/protocol';
import type { QueryStage } from '../../query/client/queryStage.svelte';
import type { IndexStage } from '../../search/client/indexStage.svelte';
import type { DetectStage } from './detectStage.svelte';
import { ObjectStore, type ObjectKey } from './objectStore';

export type ObjectIndexingState = 'off' | 'running' | 'done' | 'cancelled' | 'waiting';

/** Images detected, then their crops embedded together, before their entries go into the index. */
const CHUNK = 4;
/** The current query's results follow the growing index at most this often. */
const REFRESH_MS = 1000;

/** One image's boxes waiting for their crops' embeddings. */
interface Detected {
  id: number;
  source: string;
  key: ObjectKey | null;
  detections: Detection[];
}

/**
 * Object-level index entries (`objects=1`): every indexed image goes through the detector, and
 * each box at or above the threshold is embedded as a crop (the query's crop path) and added to
 * both engines through the index stage's live add path, linked to its image and box. Chunk by
 * chunk, so search uses the entries while the rest runs; Cancel keeps what was added. Boxes and
 * vectors are kept in browser storage per (catalogue, model, image, detector, threshold), so a
 * reload is quick. Images added later (your folder, added images) are detected as they arrive.
 */
export class ObjectIndexing {
  /** The knob: object entries wanted. */
  enabled = $state(false);
  state = $state<ObjectIndexingState>('off');
  progress = $state<ProgressFigures>(progressFigures(0, 0, 0));
  error = $state<string | null>(null);
  /** Images of the last run whose entries came from browser storage, not the detector. */
  fromStorage = $state(0);
  /** The detector's mean milliseconds per image over this page's detections (the model only). */
  detectMsPerImage = $state<number | null>(null);
  /** The threshold the entries were made with. */
  readonly threshold = DEFAULT_DETECT_THRESHOLD;

  /** Images gone through (with or without boxes), so an image is never detected twice. */
  private readonly processed = new Set<number>();
  private abort: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private detected = { images: 0, ms: 0 };
  private readonly refresh = new Throttle(() => this.query.refresh(), REFRESH_MS);
  private readonly catalogue: CatalogueStage;
  private readonly embed: EmbedStage;
  private readonly index: IndexStage;
  private readonly query: QueryStage;
  private readonly detect: DetectStage;
  private readonly store: Promise<ObjectStore>;

  constructor(
    stages: { catalogue: CatalogueStage; embed: EmbedStage; index: IndexStage; query: QueryStage; detect: DetectStage },
    private readonly modelId: string,
    /** Why browser storage keeps no entries, said once. */
    onStorageProblem: (message: string) => void,
    /** Told when the knob changes (the page keeps it in the URL as `objects=`). */
    private readonly onChange: (on: boolean) => void,
  ) {
    this.catalogue = stages.catalogue;
    this.embed = stages.embed;
    this.index = stages.index;
    this.query = stages.query;
    this.detect = stages.detect;
    this.store = ObjectStore.open(onStorageProblem);
    // Images indexed later (live indexing) are detected as they arrive, and a run that stopped
    // because the index was busy (a rebuild, a lab job) goes on once it is free again.
    // The stage lives as long as the page, so the watch is never stopped.
    $effect.root(() => {
      $effect(() => {
        const ids = this.index.indexedIds;
        const wanted = this.enabled && this.index.canChange && this.state !== 'cancelled';
        if (wanted && ids.some((id) => !this.processed.has(id))) untrack(() => this.start());
      });
    });
  }

  /** Why the knob cannot be turned on, or null. */
  get unavailable(): string | null {
    return this.detect.unavailable;
  }

  get running(): boolean {
    return this.loop !== null;
  }

  /** Turns object entries on (they are computed, or read back) or off (they leave both engines at once). */
  async setEnabled(on: boolean): Promise<void> {
    if (on === this.enabled) return;
    this.enabled = on;
    if (on) {
      if (this.unavailable) {
        this.enabled = false;
        return;
      }
      this.onChange(true);
      this.state = 'waiting';
      this.start();
      return;
    }
    this.onChange(false);
    await this.cancel();
    this.processed.clear();
    try {
      await this.index.removeObjects();
    } catch (error) {
      this.error = `Could not remove the object entries: ${errorMessage(error)}`;
    }
    this.state = 'off';
    this.progress = progressFigures(0, 0, 0);
    await this.query.refresh();
  }

  /** Stops after the image in hand; the entries already added stay. */
  async cancel(): Promise<void> {
    this.abort?.abort();
    await this.loop;
  }

  /** Goes on after a cancel: the images not yet detected. */
  resume(): void {
    if (!this.enabled || this.running) return;
    this.state = 'waiting';
    this.start();
  }

  private start(): void {
    if (this.loop || !this.enabled) return;
    const abort = new AbortController();
    this.abort = abort;
    this.error = null;
    this.loop = this.run(abort.signal).finally(() => {
      this.loop = null;
    });
  }

  private pending(): number[] {
    return this.index.indexedIds.filter((id) => !this.processed.has(id));
  }

  private async run(signal: AbortSignal): Promise<void> {
    this.state = 'running';
    this.fromStorage = 0;
    const started = performance.now();
    let done = 0;
    try {
      const store = await this.store;
      const pool = await this.embed.start();
      for (let pending = this.pending(); pending.length > 0 && !signal.aborted; pending = this.pending()) {
        if (!this.index.canChange) {
          // A rebuild or a lab job holds the index: the watch starts again when it is free.
          this.state = 'waiting';
          return;
        }
        const total = done + pending.length;
        this.progress = progressFigures(done, total, performance.now() - started);
        for (let i = 0; i < pending.length && !signal.aborted && this.index.canChange; i += CHUNK) {
          const chunk = pending.slice(i, i + CHUNK);
          done += await this.indexChunk(chunk, store, pool, signal);
          this.progress = progressFigures(done, total, performance.now() - started);
          this.refresh.request();
        }
      }
    } catch (error) {
      this.error = `Object entries stopped: ${errorMessage(error)}`;
    }
    await this.refresh.flush();
    if (this.state === 'running') this.state = signal.aborted || this.error ? 'cancelled' : 'done';
  }

  /** One chunk of images: stored entries taken, the others detected and their crops embedded; returns the images done. */
  private async indexChunk(
    ids: number[],
    store: ObjectStore,
    pool: Awaited<ReturnType<EmbedStage['start']>>,
    signal: AbortSignal,
  ): Promise<number> {
    let done = 0;
    const detected: Detected[] = [];
    for (const id of ids) {
      if (signal.aborted) break;
      const item = this.catalogue.itemById.get(id);
      if (!item) {
        this.processed.add(id);
        continue;
      }
      const key = item.hash ? this.keyOf(item.hash) : null;
      const stored = key ? await store.get(key) : undefined;
      if (stored) {
        await this.addEntries(id, stored.detections, stored.vectors);
        this.fromStorage++;
        done++;
        continue;
      }
      // The workers read the page's own blob: URLs too (their CSP allows it), so an image the user gave goes by URL as well.
      const source = this.catalogue.imageUrl(item);
      const { detections, detectMs } = await this.detect.detectImage(source, this.threshold);
      this.detected = { images: this.detected.images + 1, ms: this.detected.ms + detectMs };
      this.detectMsPerImage = this.detected.ms / this.detected.images;
      detected.push({ id, source, key, detections: detections.slice(0, MAX_OBJECTS_PER_IMAGE) });
    }
    // Every box of the chunk embedded together, as crops (the query's crop path).
    const jobs: EmbedJob[] = detected.flatMap((image, i) =>
      image.detections.map((d, slot) => ({
        id: i * MAX_OBJECTS_PER_IMAGE + slot,
        source: image.source,
        region: d.box,
      })),
    );
    const rows = new Map<number, Float32Array>();
    if (jobs.length > 0) {
      await pool.embedAll(jobs, {
        batchSize: BATCH_SIZE,
        signal,
        onBatch: (batch) =>
          batch.ids.forEach((job, row) => rows.set(job, batch.vectors.slice(row * batch.dim, (row + 1) * batch.dim))),
      });
    }
    // Cancelled while embedding: this chunk's boxes are left out whole, and detected again on resume.
    if (signal.aborted && rows.size < jobs.length) return done;
    for (const [i, image] of detected.entries()) {
      const kept = image.detections.flatMap((d, slot) => {
        const vector = rows.get(i * MAX_OBJECTS_PER_IMAGE + slot);
        return vector ? [{ d, vector }] : [];
      });
      const vectors = concatRows(kept.map((k) => k.vector));
      const detections = kept.map((k) => k.d);
      await this.addEntries(image.id, detections, vectors);
      if (image.key) await store.put(image.key, { detections, vectors, dim: kept[0]?.vector.length ?? 0 });
      done++;
    }
    return done;
  }

  /** An image's entries into both engines, unless it was deleted meanwhile. */
  private async addEntries(id: number, detections: readonly Detection[], vectors: Float32Array): Promise<void> {
    if (!this.index.indexedIds.includes(id) || this.index.objects.has(id)) {
      this.processed.add(id);
      return;
    }
    await this.index.addObjects(
      id,
      detections.map((d) => d.box),
      vectors,
    );
    this.processed.add(id);
  }

  private keyOf(hash: string): ObjectKey {
    return {
      catalogue: this.catalogue.id,
      model: this.modelId,
      hash,
      detector: this.detect.detectorId ?? '',
      threshold: this.threshold,
    };
  }
}

function concatRows(rows: Float32Array[]): Float32Array {
  const all = new Float32Array(rows.reduce((sum, row) => sum + row.length, 0));
  let offset = 0;
  for (const row of rows) {
    all.set(row, offset);
    offset += row.length;
  }
  return all;
}
