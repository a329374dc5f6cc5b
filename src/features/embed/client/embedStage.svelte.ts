import { embeddingKey } from '../../../lib/cacheKeys';
import type { Rect } from '../../../lib/crop';
import { errorMessage } from '../../../lib/errors';
import { PREPROCESSING_VERSION } from '../../../lib/preprocess';
import type { ProgressFigures } from '../../../lib/progress';
import type { BackendInfo, CatalogueItem, ModelInfo, PipelineState } from '../../../lib/types';
import { SetupProblem, modelUrl } from '../../catalogue/client/assets';
import type { CatalogueStage } from '../../catalogue/client/catalogueStage.svelte';
import type { BrowserStore } from '../../storage/client/browserStore';
import { loadPrecomputed } from '../../storage/client/precomputed';
import type { EmbedBatchResult, EmbedJob } from '../shared/protocol';
import { embedCatalogue, type EmbeddedCatalogue, type EmbeddingCost } from './embedImages';
import { CatalogueTags } from './catalogueTags';
import { changeSignal } from './changeSignal.svelte';
import { contentHash } from './contentHash';
import { diagnoseModelFiles } from './modelFiles';
import { TagStore } from './tagStore';
import { EmbeddingPool, RETIRE_IDLE_WORKERS_MS, type PoolOptions } from './pool';
import { yieldToMain } from '../../../lib/yieldToMain';

/** What browser storage kept for some of the images the user gave: see EmbedStage.lookUpStored. */
export interface StoredLookup {
  /** The embeddings found, row-major, ids.length × dim. */
  stored: { ids: number[]; vectors: Float32Array; dim: number };
  /** The images to embed, in their order. */
  rest: EmbedJob[];
  /** Content hashes of the images (those that could be read), by id: to keep new embeddings and find kept tags. */
  hashes: Map<number, string>;
}

/** How the page asked for the embedding workers to run (URL parameters). */
export type EmbedSettings = Pick<PoolOptions, 'backend' | 'crashOnBatch' | 'loseContextOnBatch'> & {
  workers: number | null;
  /** False (`precomputed=0`): the catalogue's precomputed bundle is not read, its images are embedded here. */
  precomputed: boolean;
};

/** What embedding a single query image (or its crop) gave. */
export interface EmbeddedQuery {
  vector: Float32Array;
  /** Decoding + preprocessing and the model, and both together, in milliseconds. */
  preprocessMs: number;
  modelMs: number;
  embedMs: number;
}

/**
 * The embedding stage: MobileNet in a pool of workers, started once something needs embedding.
 * It embeds the catalogue (taking the vectors a precomputed bundle or an earlier visit kept),
 * single query images, and the batches of the indexing pipeline, and keeps their figures.
 */
export class EmbedStage {
  backend = $state<BackendInfo | null>(null);
  workerCount = $state(0);
  /** Embedding dimensions, known once the model is loaded. */
  dim = $state(0);
  modelLoadMs = $state(0);
  /** Embedding workers holding the model now: idle ones beyond the first are retired, and come back for the next batch job. */
  liveWorkers = $state(0);
  /** MobileNet is loading in the workers (a catalogue query needs none of it: the page is ready meanwhile). */
  modelLoading = $state(false);
  /** Milliseconds from the start of the page load to the model loaded in every worker; null until then. */
  modelReadyMs = $state<number | null>(null);
  progress = $state<ProgressFigures>({ done: 0, total: 0, rate: 0, etaSeconds: null });
  /** Per-image worker time of the catalogue run; null when nothing was embedded or it no longer applies. */
  cost = $state<EmbeddingCost | null>(null);
  /** Live tfjs tensors in the embedding worker that reported last; stays flat when nothing leaks. */
  tensors = $state<number | null>(null);
  /** Images embedded in this page load (catalogue and queries): a redone batch never counts twice. */
  embeddedCount = $state(0);
  /** Why embedding runs on another backend than it started on (a lost WebGL context), or null. */
  backendNotice = $state<string | null>(null);
  /** Embedding workers replaced after a crash. */
  workerRestarts = $state(0);
  /** Catalogue images whose embedding came from browser storage instead of the model. */
  cacheHits = $state(0);
  /** Catalogue images whose embedding came from the catalogue's precomputed bundle (`npm run embed`). */
  precomputedHits = $state(0);
  /** The user stopped the catalogue's embedding: what is embedded so far gets indexed. */
  cancelled = $state(false);
  /** The catalogue's tags (top ImageNet classes), for search by words. */
  readonly tags: CatalogueTags;

  /** Content hashes whose vectors came from the catalogue's precomputed bundle. */
  private bundleHashes = new Set<string>();
  private pool: EmbeddingPool | null = null;
  private poolStart: Promise<EmbeddingPool> | null = null;
  private readonly abortCatalogue = new AbortController();

  constructor(
    readonly model: ModelInfo,
    private readonly settings: EmbedSettings,
    private readonly storage: BrowserStore,
    private readonly report: {
      status(state: PipelineState, text: string): void;
      notice(message: string): void;
    },
  ) {
    this.tags = new CatalogueTags(TagStore.open(model.id), changeSignal());
  }

  /** The workers, started once: all of them for a batch job (`all`), else only the one that embeds queries. */
  start(all = false): Promise<EmbeddingPool> {
    if (!this.poolStart) {
      this.modelLoading = true;
      this.poolStart = this.launch(all).finally(() => (this.modelLoading = false));
    }
    return this.poolStart;
  }

  /** Stops embedding the catalogue; what is embedded so far is indexed. */
  cancel(): void {
    this.cancelled = true;
    this.abortCatalogue.abort();
  }

  /** The catalogue's vectors in catalogue order: known ones are taken, the rest embedded in the pool. */
  async embedCatalogue(catalogue: CatalogueStage): Promise<EmbeddedCatalogue> {
    const modelId = this.model.id;
    const items = catalogue.items;
    const known = await this.knownEmbeddings(catalogue.id, items);
    const fresh = items.filter((item) => !known.has(item.hash)).length;
    if (fresh > 0) {
      this.report.status('loading', `Starting the embedding workers with ${modelId}…`);
      await this.start(true);
    }
    this.report.status(
      'embedding',
      fresh === items.length
        ? `Embedding ${items.length} images with ${modelId}`
        : `Embedding ${fresh} new images with ${modelId} (${items.length - fresh} precomputed or kept by an earlier visit)`,
    );
    const embedded = await embedCatalogue(
      () => this.start(),
      items.map((item) => ({ id: item.id, source: catalogue.imageUrl(item), hash: item.hash })),
      {
        known,
        signal: this.abortCatalogue.signal,
        onEmbedded: (vectors) => void this.keepEmbeddings(vectors),
        onProgress: (progress) => {
          this.progress = progress;
        },
        onFailures: (failures) => catalogue.addSkipped(failures),
        onBatch: (batch) => {
          this.countBatch(batch);
          void this.tags.takeBatch(batch, items);
        },
      },
    );
    this.cost = embedded.cost;
    return embedded;
  }

  /** Whether every one of these images' vectors came from the catalogue's bundle (so an index shipped with it holds the same vectors). */
  allFromBundle(hashes: string[]): boolean {
    return hashes.length > 0 && hashes.every((hash) => this.bundleHashes.has(hash));
  }

  /** Another catalogue replaced this one: its embedding figures no longer describe what is shown. */
  forgetCatalogueCost(): void {
    this.tags.clear();
    this.cost = null;
    this.cacheHits = 0;
    this.precomputedHits = 0;
  }

  /**
   * The images the user gave whose embedding browser storage kept, found by the sha256 of their
   * bytes as the catalogue's are (and counted as cache hits); the rest are to embed, with the
   * content hashes to keep their embeddings under. Reading and hashing a file costs far less
   * than embedding it.
   */
  async lookUpStored(jobs: EmbedJob[]): Promise<StoredLookup> {
    const modelId = this.model.id;
    const hashes = await Promise.all(
      jobs.map((job) => (typeof job.source === 'string' ? null : contentHash(job.source))),
    );
    const keys = hashes.map((hash) => (hash ? embeddingKey(modelId, PREPROCESSING_VERSION, hash) : ''));
    const vectors = await this.storage.getEmbeddings(keys.filter(Boolean));
    const found: { id: number; vector: Float32Array }[] = [];
    const rest: EmbedJob[] = [];
    const toKeep = new Map<number, string>();
    let next = 0;
    jobs.forEach((job, i) => {
      const hash = hashes[i];
      const vector = hash ? vectors[next++] : undefined;
      if (hash) toKeep.set(job.id, hash);
      if (vector && vector.length === this.dim) found.push({ id: job.id, vector });
      else rest.push(job);
    });
    this.cacheHits += found.length;
    const stored = new Float32Array(found.length * this.dim);
    found.forEach(({ vector }, i) => stored.set(vector, i * this.dim));
    return { stored: { ids: found.map(({ id }) => id), vectors: stored, dim: this.dim }, rest, hashes: toKeep };
  }

  /** Keeps new embeddings in browser storage by content hash, for the next visit or another catalogue. */
  keepEmbeddings(vectors: [hash: string, vector: Float32Array][]): Promise<void> {
    const modelId = this.model.id;
    return this.storage.putEmbeddings(
      vectors.map(([hash, vector]) => [embeddingKey(modelId, PREPROCESSING_VERSION, hash), vector]),
    );
  }

  /** Embeds one image the user gave, or a region of it, in a worker. */
  async embedQuery(source: string | Blob, crop: Rect | null): Promise<EmbeddedQuery> {
    const pool = await this.start();
    const embedded = await pool.embedOne(source, crop ?? undefined);
    if ('error' in embedded) throw new Error(embedded.error);
    this.noteBatch(embedded.batch);
    this.embeddedCount++;
    return {
      vector: embedded.vector,
      embedMs: embedded.ms,
      preprocessMs: embedded.decodeMs,
      modelMs: embedded.inferMs,
    };
  }

  /** Counts a batch embedded for the catalogue or the indexing pipeline. */
  countBatch(batch: EmbedBatchResult): void {
    this.noteBatch(batch);
    this.embeddedCount += batch.ids.length;
    this.workerRestarts = this.pool?.restarts ?? 0;
  }

  /** Figures every batch reports: live tensors, and the backend if a worker had to change it. */
  private noteBatch(batch: EmbedBatchResult): void {
    this.tensors = batch.tensors;
    if (batch.fallback) {
      this.backend = batch.backend;
      this.backendNotice = batch.fallback;
    }
  }

  private async launch(all: boolean): Promise<EmbeddingPool> {
    const model = this.model;
    const size = this.settings.workers ?? Math.max(1, navigator.hardwareConcurrency || 2);
    const pool = await EmbeddingPool.start({
      size,
      warm: all ? size : 1,
      retireAfterMs: RETIRE_IDLE_WORKERS_MS,
      onLiveChange: (live) => {
        this.liveWorkers = live;
      },
      model,
      modelUrl: modelUrl(model.id),
      backend: this.settings.backend,
      crashOnBatch: this.settings.crashOnBatch,
      loseContextOnBatch: this.settings.loseContextOnBatch,
    }).catch(async (error: unknown) => {
      throw (
        (await diagnoseModelFiles(model.id)) ??
        new SetupProblem(
          `Could not load ${model.id}: ${errorMessage(error)}`,
          `Check that models/${model.id}/model.json and its weight files were copied by \`npm run setup\`.`,
        )
      );
    });
    this.pool = pool;
    this.workerCount = pool.size;
    this.backend = pool.ready;
    this.dim = pool.ready.dim;
    this.modelLoadMs = pool.ready.loadMs;
    this.modelReadyMs ??= performance.now();
    return pool;
  }

  /**
   * Embeddings known before any image is embedded, by content hash: the catalogue's precomputed
   * bundle first (unless the page asked to embed in the browser), then what an earlier visit (or
   * another catalogue) kept in browser storage. Reading, tagging and handing on: a task each.
   */
  private async knownEmbeddings(catalogueId: string, items: CatalogueItem[]): Promise<Map<string, Float32Array>> {
    const modelId = this.model.id;
    const precomputed = this.settings.precomputed
      ? await loadPrecomputed(catalogueId, modelId)
      : { vectors: new Map<string, Float32Array>(), tags: null, problem: null };
    if (precomputed.problem) this.report.notice(precomputed.problem);
    await yieldToMain();
    const known = new Map(precomputed.vectors);
    const hashes = [...new Set(items.map((item) => item.hash))].filter((hash) => !known.has(hash));
    const vectors = await this.storage.getEmbeddings(
      hashes.map((hash) => embeddingKey(modelId, PREPROCESSING_VERSION, hash)),
    );
    const cached = new Set<string>();
    vectors.forEach((vector, i) => {
      if (!vector) return;
      known.set(hashes[i], vector);
      cached.add(hashes[i]);
    });
    this.bundleHashes = new Set(precomputed.vectors.keys());
    await this.tags.takeKnown(items, precomputed.tags, precomputed.vectors.size > 0);
    this.precomputedHits = items.filter((item) => precomputed.vectors.has(item.hash)).length;
    this.cacheHits = items.filter((item) => cached.has(item.hash)).length;
    await yieldToMain();
    return known;
  }
}
