import type { EmbedBatchResult, EmbedJob } from '../../embed/shared/protocol';
import type { IndexSize } from '../../search/shared/protocol';
import { errorMessage } from '../../../lib/errors';
import { folderCatalogue, nextItemId, type PickedFile } from '../../../lib/folderCatalogue';
import { progressFigures, type ProgressFigures } from '../../../lib/progress';
import { BATCH_SIZE } from '../../embed/client/embedImages';
import type { Session } from '../../../app/session.svelte';

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

  constructor(private readonly session: Session) {}

  get active(): boolean {
    return this.state === 'running' || this.state === 'paused';
  }

  /** Whether the user may bring images now: the index serves and no lab job holds the worker. */
  get canChange(): boolean {
    return this.session.state === 'ready' && !this.session.labBusy;
  }

  /** Makes a folder of images the catalogue: a fresh empty index that fills as they are embedded. */
  async useFolder(name: string, picked: PickedFile<File>[]): Promise<void> {
    if (!this.canChange) return;
    await this.stop();
    const session = this.session;
    const { items, files, ignored } = folderCatalogue(picked);
    for (const url of session.localImages.values()) URL.revokeObjectURL(url);
    session.localImages.clear();
    items.forEach((item, i) => session.localImages.set(item.id, URL.createObjectURL(files[i])));
    session.clearQuery();
    session.history = [];
    session.skipped = [];
    session.catalogueId = `folder: ${name}`;
    // The built-in catalogue's embedding figures do not describe this one.
    session.embeddingCost = null;
    session.items = items;
    this.folder = name;
    this.ignored = ignored;
    this.error = null;
    try {
      await session.search.setVectors(new Float32Array(0), new Int32Array(0), session.dim);
      const params = { M: session.params.M, efConstruction: session.params.efc };
      session.build = await session.search.buildIndex(params, () => {});
      session.builtParams = params;
    } catch (error) {
      this.error = `Could not start an empty index: ${errorMessage(error)}`;
      return;
    }
    session.stageText =
      items.length > 0 ? `Your folder "${name}": searchable as it is embedded.` : `No images in "${name}".`;
    this.progress = progressFigures(0, 0, 0);
    this.enqueue(items.map((item, i) => ({ id: item.id, source: files[i] })));
  }

  /** Adds images to the current catalogue (built-in or a folder). */
  addImages(files: File[]): void {
    if (!this.canChange) return;
    const session = this.session;
    const {
      items,
      files: images,
      ignored,
    } = folderCatalogue(
      files.map((file) => ({ path: file.name, file })),
      nextItemId(session.items),
    );
    this.ignored = [...this.ignored, ...ignored];
    items.forEach((item, i) => session.localImages.set(item.id, URL.createObjectURL(images[i])));
    session.items = [...session.items, ...items];
    this.enqueue(items.map((item, i) => ({ id: item.id, source: images[i] })));
  }

  /** Deletes an image: HNSW mark-delete and removal from the exact store; the counts follow. */
  async remove(id: number): Promise<void> {
    if (!this.canChange) return;
    const session = this.session;
    const queued = this.queue.length;
    this.queue = this.queue.filter((job) => job.id !== id);
    if (this.queue.length < queued) this.progress = { ...this.progress, total: this.progress.total - 1 };
    await this.adding;
    try {
      this.sized(await session.search.remove([id]));
    } catch (error) {
      session.queryError = `Could not delete: ${errorMessage(error)}`;
      return;
    }
    session.items = session.items.filter((item) => item.id !== id);
    session.skipped = session.skipped.filter((s) => s.id !== id);
    const url = session.localImages.get(id);
    session.localImages.delete(id);
    if (session.query?.id === id) session.clearQuery();
    else await session.rerun();
    // The query's own <img> may still show it until replaced; the catalogue no longer does.
    if (url && session.query?.url !== url) URL.revokeObjectURL(url);
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
    const pool = this.session.embedder;
    if (!pool) return;
    this.stopRequested = false;
    try {
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
    const session = this.session;
    session.tensors = batch.tensors;
    session.embeddedCount += batch.ids.length;
    session.workerRestarts = session.embedder?.restarts ?? 0;
    // An image deleted while it was being embedded stays deleted.
    const known = new Set(session.items.map((item) => item.id));
    const failures = batch.failures.filter((f) => known.has(f.id));
    if (failures.length > 0) session.skipped = [...session.skipped, ...failures];
    const rows = batch.ids.flatMap((id, row) => (known.has(id) ? [row] : []));
    if (rows.length > 0) {
      const ids = rows.map((row) => batch.ids[row]);
      const vectors = new Float32Array(rows.length * batch.dim);
      rows.forEach((row, i) =>
        vectors.set(batch.vectors.subarray(row * batch.dim, (row + 1) * batch.dim), i * batch.dim),
      );
      this.adding = this.adding
        .then(() => session.search.add(vectors, ids))
        .then((size) => this.sized(size))
        .catch((error: unknown) => (this.error = `Could not add to the index: ${errorMessage(error)}`));
    }
    const done = this.progress.done + batch.ids.length + batch.failures.length;
    this.progress = progressFigures(done, this.progress.total, performance.now() - this.started);
  }

  private sized(size: IndexSize): void {
    const build = this.session.build;
    if (build) this.session.build = { ...build, ...size };
  }
}
