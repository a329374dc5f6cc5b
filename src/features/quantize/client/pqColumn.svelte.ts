import { formatCount } from '../../../lib/formatCount';
import { untrack } from 'svelte';
import { vectorsFingerprint } from '../../../lib/cacheKeys';
import { errorMessage } from '../../../lib/errors';
import type { ProjectionHead } from '../../../lib/projectionHead';
import type { CatalogueStage } from '../../catalogue/client/catalogueStage.svelte';
import type { IndexStage } from '../../search/client/indexStage.svelte';
import { PQ_M, PQ_SEED } from '../shared/methods';
import type { ProductQuantizer } from '../shared/productQuantizer';
import type { PqCodes, PqTrainProgress } from '../shared/pqTrainProtocol';
import { PqCodebookStore, pqCodebookKey } from './pqCodebookStore';
import { PqTrainClient } from './pqTrainClient';

export type PqColumnState = 'idle' | 'loading' | 'training' | 'encoding' | 'ready' | 'error';

/**
 * The PQ Search column's codes (engines=…,pq). Its k-means takes seconds to tens of seconds,
 * so it runs in the PQ training worker, never in the search worker: exact and HNSW answer
 * meanwhile and the column says how far training is. The codebooks are kept in IndexedDB by
 * catalogue, model, m and seed, so a reload only reads them; after images are added or deleted
 * the same codebooks encode the new rows. Hiding the column stops the training.
 */
export class PqColumn {
  state = $state<PqColumnState>('idle');
  progress = $state.raw<PqTrainProgress | null>(null);
  error = $state<string | null>(null);
  /** Called when PQ starts answering, so the current query gets its PQ column. */
  onReady: () => void = () => {};

  private worker: PqTrainClient | null = null;
  private store: Promise<PqCodebookStore> | null = null;
  private running: AbortController | null = null;
  /** The index's id list the running job or the served codes are for (IndexStage replaces it on every change). */
  private runningFor: readonly number[] | null = null;
  private servedFor: readonly number[] | null = null;
  /** This visit's codebooks and the head they were trained behind, to encode new rows without training again. */
  private trained: { pq: ProductQuantizer; head: ProjectionHead | null } | null = null;

  constructor(
    private readonly catalogue: CatalogueStage,
    private readonly index: IndexStage,
    private readonly modelId: string,
    /** Whether the PQ column is shown (`engines=` lists pq). */
    shown: () => boolean,
  ) {
    // The stage lives as long as the page, so the watch is never stopped.
    $effect.root(() => {
      $effect(() => {
        const wanted = shown() && this.index.build !== null;
        const ids = this.index.indexedIds;
        untrack(() => (wanted ? void this.ensure(ids) : this.stop()));
      });
    });
  }

  /** The column header's line while PQ cannot answer yet; null when it answers or is not shown. */
  get status(): string | null {
    const { state, progress } = this;
    if (state === 'loading') return 'loading codebooks';
    if (state === 'training' && progress)
      return `training codebooks ${Math.floor((100 * progress.done) / progress.total)} %`;
    if (state === 'encoding' && progress) return `encoding ${formatCount(progress.total)} vectors`;
    if (state === 'error') return `PQ failed: ${this.error}`;
    return null;
  }

  /** Stops a training in progress (the column was hidden): its worker ends at once, the CPU is free. */
  stop(): void {
    if (!this.running) return;
    this.running.abort();
    this.running = null;
    this.runningFor = null;
    this.worker?.terminate();
    this.worker = null;
    this.progress = null;
    this.state = this.servedFor === this.index.indexedIds ? 'ready' : 'idle';
  }

  /** Trains (or reads back) and installs the codes for the index's rows, unless that is done or under way. */
  private async ensure(ids: readonly number[]): Promise<void> {
    if (this.runningFor === ids || (this.servedFor === ids && this.state === 'ready')) return;
    this.stop();
    const abort = new AbortController();
    this.running = abort;
    this.runningFor = ids;
    this.error = null;
    this.state = 'loading';
    this.progress = null;
    try {
      const codes = await this.codes(abort.signal);
      if (!codes || abort.signal.aborted) return;
      const installed = await this.index.search.setPqCodes(codes);
      if (abort.signal.aborted) return;
      // The rows changed meanwhile: the watch starts again for the new ones.
      if (!installed) {
        this.state = 'idle';
        return;
      }
      this.servedFor = ids;
      this.state = 'ready';
      this.onReady();
    } catch (error) {
      if (abort.signal.aborted) return;
      this.state = 'error';
      this.error = errorMessage(error);
    } finally {
      if (this.running === abort) {
        this.running = null;
        this.runningFor = null;
      }
    }
  }

  /** The stored codes when they are these rows', else the codes from stored (or this visit's) codebooks, else trained. */
  private async codes(signal: AbortSignal): Promise<PqCodes | null> {
    const { vectors, ids, dim } = await this.index.search.copyVectors();
    if (signal.aborted) return null;
    const m = Math.min(PQ_M.default, dim);
    const head = this.index.head;
    // Behind a trained head the vectors are not the model's: those codebooks are not kept.
    const key = head ? null : pqCodebookKey(this.catalogue.id, this.modelId, m, PQ_SEED);
    const fingerprint = vectorsFingerprint(
      Array.from(ids, (id) => ({ id, hash: this.catalogue.itemById.get(id)?.hash ?? '' })),
    );
    this.store ??= PqCodebookStore.open();
    const store = await this.store;
    const stored = key ? await store.get(key) : null;
    if (signal.aborted) return null;
    if (stored && stored.fingerprint === fingerprint) return stored;
    const known = stored?.pq ?? (this.trained?.head === head ? this.trained.pq : null);
    this.worker ??= new PqTrainClient();
    const encoded = await this.worker.encode(
      vectors,
      ids,
      dim,
      { m, seed: PQ_SEED },
      known,
      (progress) => {
        if (signal.aborted) return;
        this.progress = progress;
        this.state = progress.stage;
      },
      signal,
    );
    if (!encoded || signal.aborted) return null;
    this.trained = { pq: encoded.pq, head };
    // Only the catalogue's own rows are kept: images the user added are not the catalogue's.
    const local = Array.from(ids).some((id) => this.catalogue.isLocal(id));
    if (key && !local) await store.put({ key, fingerprint, ...encoded }).catch(() => {});
    return encoded;
  }
}
