import { errorMessage } from '../../../lib/errors';
import { folderCatalogue, nextItemId, type PickedFile } from '../../../lib/folderCatalogue';
import { progressFigures, type ProgressFigures } from '../../../lib/progress';
import type { PipelineState } from '../../../lib/types';
import { BATCH_SIZE } from '../../embed/client/embedImages';
import type { EmbedStage } from '../../embed/client/embedStage.svelte';
import type { EmbedBatchResult, EmbedJob } from '../../embed/shared/protocol';
import type { QueryStage } from '../../query/client/queryStage.svelte';
import type { IndexStage } from '../../search/client/indexStage.svelte';
import type { HnswParams } from '../../search/shared/protocol';
import type { CatalogueStage } from './catalogueStage.svelte';

export type LiveState = 'idle' | 'running' | 'paused' | 'done' | 'stopped';

/**
 * The indexing pipeline: images the user brings (a folder, or single images) are embedded
 * batch by batch and each batch is added to the live HNSW index and the exact store at
 * once, so they are searchable while the rest is still embedding. No full rebuild.
 */
export class LiveIndexing {
  state = $state<LiveState>('idle');
  progress = $state<ProgressFigures>({ done: 0, total: 0, rate: 0, etaSeconds: null });
  /** Files of the chosen folder left out because they are not images by name. */
  ignored = $state<string[]>([]);
  /** The folder that is the catalogue now, or null for the built-in catalogue. */
  folder = $state<string | null>(null);
  error = $state<string | null>(null);

  private queue: EmbedJob[] = [];
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

  /** Makes a folder of images the catalogue: a fresh empty index that fills as they are embedded. */
  async useFolder(name: string, picked: PickedFile<File>[]): Promise<void> {
    if (!this.canChange) return;
    await this.stop();
    const { items, files, ignored } = folderCatalogue(picked);
    this.query.clear({ history: true });
    this.catalogue.replace(`folder: ${name}`, items, files);
    this.embed.forgetCatalogueCost();
    this.folder = name;
    this.ignored = ignored;
    this.error = null;
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
        const chunk = this.queue.splice(0, pool.size * BATCH_SIZE);
        await pool.embedAll(chunk, { batchSize: BATCH_SIZE, onBatch: (batch) => this.take(batch) });
        await this.adding;
      }
    } catch (error) {
      this.error = `Indexing stopped: ${errorMessage(error)}`;
    }
    const left = this.queue.length;
    this.queue = [];
    this.state = this.stopRequested || this.error ? 'stopped' : 'done';
    if (left > 0) this.progress = { ...this.progress, total: this.progress.total - left };
  }

  /** One embedded batch: into the index at once, failures listed like the built-in catalogue's. */
  private take(batch: EmbedBatchResult): void {
    this.embed.countBatch(batch);
    // An image deleted while it was being embedded stays deleted.
    const known = new Set(this.catalogue.items.map((item) => item.id));
    this.catalogue.addSkipped(batch.failures.filter((f) => known.has(f.id)));
    const rows = batch.ids.flatMap((id, row) => (known.has(id) ? [row] : []));
    if (rows.length > 0) {
      const ids = rows.map((row) => batch.ids[row]);
      const vectors = new Float32Array(rows.length * batch.dim);
      rows.forEach((row, i) =>
        vectors.set(batch.vectors.subarray(row * batch.dim, (row + 1) * batch.dim), i * batch.dim),
      );
      this.adding = this.adding
        .then(() => this.index.add(vectors, ids))
        .catch((error: unknown) => (this.error = `Could not add to the index: ${errorMessage(error)}`));
    }
    const done = this.progress.done + batch.ids.length + batch.failures.length;
    this.progress = progressFigures(done, this.progress.total, performance.now() - this.started);
  }
}
