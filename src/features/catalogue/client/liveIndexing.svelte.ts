import { errorMessage } from '../../../lib/errors';
import { folderCatalogue, nextItemId, type PickedFile } from '../../../lib/folderCatalogue';
import { progressFigures, type ProgressFigures } from '../../../lib/progress';
import { Throttle } from '../../../lib/throttle';
import type { PipelineState } from '../../../lib/types';
import { BATCH_SIZE } from '../../embed/client/embedImages';
import type { EmbedStage } from '../../embed/client/embedStage.svelte';
import type { EmbedBatchResult, EmbedJob } from '../../embed/shared/protocol';
import type { QueryStage } from '../../query/client/queryStage.svelte';
import type { IndexStage } from '../../search/client/indexStage.svelte';
import type { HnswParams } from '../../search/shared/protocol';
import type { BrowserStore } from '../../storage/client/browserStore';
import type { KeptFolder } from '../../storage/shared/labDatabase';
import type { CatalogueStage } from './catalogueStage.svelte';
import { mayRead, readDirectory } from './folderPicker';

export type LiveState = 'idle' | 'running' | 'paused' | 'done' | 'stopped';

/** The current query's results are refreshed at most this often while batches land. */
const REFRESH_MS = 500;

/**
 * The indexing pipeline: images the user brings (a folder, or single images) are embedded
 * batch by batch and each batch is added to the live HNSW index and the exact store at
 * once, so they are searchable while the rest is still embedding, and the current query's
 * results follow them. No full rebuild. An image embedded before (same bytes, same model) is
 * taken from browser storage instead. The folder is remembered, with its handle where the
 * browser can keep one, so a later visit can reopen it.
 */
export class LiveIndexing {
  state = $state<LiveState>('idle');
  progress = $state<ProgressFigures>({ done: 0, total: 0, rate: 0, etaSeconds: null });
  /** Files of the chosen folder left out because they are not images by name. */
  ignored = $state<string[]>([]);
  /** The folder that is the catalogue now, or null for the built-in catalogue. */
  folder = $state<string | null>(null);
  error = $state<string | null>(null);
  /**
   * The folder an earlier visit made the catalogue, not open now: with a handle it can be
   * reopened; without one it lived in that page only and must be picked again.
   */
  kept = $state.raw<KeptFolder | null>(null);

  private queue: EmbedJob[] = [];
  /** Content hashes of the images being embedded, to keep their embeddings. */
  private readonly hashes = new Map<number, string>();
  /** Embeddings on their way into browser storage. */
  private keeping: Promise<unknown> = Promise.resolve();
  /** The current query runs again as the index grows: at most every REFRESH_MS, and once at the end. */
  private readonly refresh = new Throttle(() => this.query.refresh(), REFRESH_MS);
  private started = 0;
  private resumed: (() => void) | null = null;
  private stopRequested = false;
  private loop: Promise<void> | null = null;
  /** Adds reach the search worker one after the other, in the order batches came back. */
  private adding: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly catalogue: CatalogueStage,
    private readonly embed: EmbedStage,
    private readonly index: IndexStage,
    private readonly query: QueryStage,
    private readonly storage: BrowserStore,
    private readonly hnswParams: () => HnswParams,
    private readonly status: (state: PipelineState, text: string) => void,
  ) {}

  get active(): boolean {
    return this.state === 'running' || this.state === 'paused';
  }

  /** Whether the user may bring images now: the index serves and no lab job holds the worker. */
  get canChange(): boolean {
    return this.index.canChange;
  }

  /**
   * Makes a folder of images the catalogue: a fresh empty index that fills as they are embedded.
   * The folder is remembered for the next visit, with `handle` where the browser gave one.
   */
  async useFolder(name: string, picked: PickedFile<File>[], handle: FileSystemDirectoryHandle | null): Promise<void> {
    if (!this.canChange) return;
    await this.stop();
    const { items, files, ignored } = folderCatalogue(picked);
    this.query.clear({ history: true });
    this.catalogue.replace(`folder: ${name}`, items, files);
    this.embed.forgetCatalogueCost();
    this.folder = name;
    this.kept = null;
    this.ignored = ignored;
    this.error = null;
    void this.storage.keepFolder(name, handle);
    try {
      await this.index.startEmpty(this.hnswParams());
    } catch (error) {
      this.error = `Could not start an empty index: ${errorMessage(error)}`;
      return;
    }
    this.status(
      'ready',
      items.length > 0 ? `Your folder "${name}": searchable as it is embedded.` : `No images in "${name}".`,
    );
    this.progress = progressFigures(0, 0, 0);
    this.enqueue(items.map((item, i) => ({ id: item.id, source: files[i] })));
  }

  /**
   * Looks for the folder an earlier visit used. One that only lived in that page is told of
   * once (this page says it must be picked again), then forgotten.
   */
  async recall(): Promise<void> {
    const kept = await this.storage.lastFolder();
    if (!kept || this.folder !== null) return;
    this.kept = kept;
    if (!kept.handle) await this.storage.forgetFolder();
  }

  /** Reopens the kept folder: asks to read it again if needed, lists it, indexes it (from stored embeddings). */
  async reopen(): Promise<void> {
    const handle = this.kept?.handle;
    if (!handle || !this.canChange) return;
    this.error = null;
    try {
      if (!(await mayRead(handle))) {
        this.error = `Reading "${handle.name}" was not allowed: choose it again with Use a folder….`;
        return;
      }
      const folder = await readDirectory(handle);
      await this.useFolder(folder.name, folder.files, folder.handle);
    } catch (error) {
      this.error = `Could not reopen "${handle.name}": ${errorMessage(error)}. Choose it again with Use a folder….`;
    }
  }

  /** Lets go of the folder an earlier visit used: no longer offered. */
  async forget(): Promise<void> {
    this.kept = null;
    await this.storage.forgetFolder();
  }

  /** Adds images to the current catalogue (built-in or a folder). */
  addImages(files: File[]): void {
    if (!this.canChange) return;
    const {
      items,
      files: images,
      ignored,
    } = folderCatalogue(
      files.map((file) => ({ path: file.name, file })),
      nextItemId(this.catalogue.items),
    );
    this.ignored = [...this.ignored, ...ignored];
    this.catalogue.append(items, images);
    this.enqueue(items.map((item, i) => ({ id: item.id, source: images[i] })));
  }

  /** Deletes an image: HNSW mark-delete and removal from the exact store; the counts follow. */
  async remove(id: number): Promise<void> {
    if (!this.canChange) return;
    const queued = this.queue.length;
    this.queue = this.queue.filter((job) => job.id !== id);
    if (this.queue.length < queued) this.progress = { ...this.progress, total: this.progress.total - 1 };
    await this.adding;
    try {
      await this.index.remove([id]);
    } catch (error) {
      this.query.error = `Could not delete: ${errorMessage(error)}`;
      return;
    }
    const url = this.catalogue.remove(id);
    this.embed.tags.forget([id]);
    if (this.query.query?.id === id) this.query.clear({ history: false });
    else await this.query.rerun();
    // The query's own <img> may still show it until replaced; the catalogue no longer does.
    if (url && this.query.query?.url !== url) URL.revokeObjectURL(url);
  }

  pause(): void {
    if (this.state === 'running') this.state = 'paused';
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.state = 'running';
    this.resumed?.();
  }

  /** Stops after the batches in flight; what is embedded stays indexed. */
  async stop(): Promise<void> {
    if (!this.loop) return;
    this.stopRequested = true;
    this.resumed?.();
    await this.loop;
  }

  private enqueue(jobs: EmbedJob[]): void {
    if (jobs.length === 0) {
      if (!this.active) this.state = 'done';
      return;
    }
    if (!this.active) {
      this.started = performance.now();
      this.progress = progressFigures(0, 0, 0);
    }
    this.queue.push(...jobs);
    this.progress = { ...this.progress, total: this.progress.total + jobs.length };
    if (!this.loop) {
      this.state = 'running';
      this.loop = this.run().finally(() => {
        this.loop = null;
      });
    }
  }

  private async run(): Promise<void> {
    this.stopRequested = false;
    try {
      const pool = await this.embed.start();
      while (this.queue.length > 0 && !this.stopRequested) {
        if (this.state === 'paused') await new Promise<void>((resolve) => (this.resumed = resolve));
        if (this.stopRequested) break;
        // One batch per worker at a time, so Pause and Stop take effect within a batch.
        const chunk = await this.takeStored(this.queue.splice(0, pool.size * BATCH_SIZE));
        if (chunk.length > 0) {
          await pool.embedAll(chunk, { batchSize: BATCH_SIZE, onBatch: (batch) => this.take(batch) });
        }
        await this.adding;
      }
    } catch (error) {
      this.error = `Indexing stopped: ${errorMessage(error)}`;
    }
    const left = this.queue.length;
    this.queue = [];
    this.hashes.clear();
    // What was embedded is kept before the run counts as finished, and the results show all of it.
    await this.keeping;
    await this.refresh.flush();
    this.state = this.stopRequested || this.error ? 'stopped' : 'done';
    if (left > 0) this.progress = { ...this.progress, total: this.progress.total - left };
  }

  /** Indexes the images of a chunk that browser storage has an embedding of; returns the others, to embed. */
  private async takeStored(chunk: EmbedJob[]): Promise<EmbedJob[]> {
    const { stored, rest, hashes } = await this.embed.lookUpStored(chunk);
    for (const [id, hash] of hashes) this.hashes.set(id, hash);
    if (stored.ids.length > 0) {
      const kept = stored.ids.flatMap((id): [string, number[]][] => (hashes.has(id) ? [[hashes.get(id)!, [id]]] : []));
      void this.embed.tags.restore(new Map(kept));
      this.addToIndex(stored.ids, stored.vectors, stored.dim);
      this.countDone(stored.ids.length);
    }
    return rest;
  }

  /** One embedded batch: into the index at once and into storage, failures listed like the built-in catalogue's. */
  private take(batch: EmbedBatchResult): void {
    this.embed.countBatch(batch);
    const tagged = batch.ids.map((id, row) => ({ ids: [id], hash: this.hashes.get(id), tags: batch.tags[row] }));
    this.keeping = Promise.all([this.keeping, this.embed.tags.setFresh(tagged)]);
    const fresh = batch.ids.flatMap((id, row): [string, Float32Array][] => {
      const hash = this.hashes.get(id);
      return hash ? [[hash, batch.vectors.subarray(row * batch.dim, (row + 1) * batch.dim)]] : [];
    });
    if (fresh.length > 0) this.keeping = Promise.all([this.keeping, this.embed.keepEmbeddings(fresh)]);
    const known = new Set(this.catalogue.items.map((item) => item.id));
    this.catalogue.addSkipped(batch.failures.filter((f) => known.has(f.id)));
    this.addToIndex(batch.ids, batch.vectors, batch.dim);
    this.countDone(batch.ids.length + batch.failures.length);
  }

  /** Adds the rows (ids.length × dim) whose image is still in the catalogue to the live index, in order. */
  private addToIndex(ids: ArrayLike<number>, vectors: Float32Array, dim: number): void {
    // An image deleted while it was being embedded stays deleted.
    const known = new Set(this.catalogue.items.map((item) => item.id));
    const rows = Array.from(ids).flatMap((id, row) => (known.has(id) ? [row] : []));
    if (rows.length === 0) return;
    const kept = new Float32Array(rows.length * dim);
    rows.forEach((row, i) => kept.set(vectors.subarray(row * dim, (row + 1) * dim), i * dim));
    const keptIds = rows.map((row) => ids[row]);
    this.adding = this.adding
      .then(() => this.index.add(kept, keptIds))
      .then(() => this.refresh.request())
      .catch((error: unknown) => (this.error = `Could not add to the index: ${errorMessage(error)}`));
  }

  private countDone(images: number): void {
    const done = this.progress.done + images;
    this.progress = progressFigures(done, this.progress.total, performance.now() - this.started);
  }
}
