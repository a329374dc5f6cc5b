import { EmbeddingPool } from '../features/embed/client/pool';
import type { EmbedBatchResult, EmbedFailure } from '../features/embed/shared/protocol';
import { SearchClient } from '../features/search/client/client';
import type { BuildResult, HnswParams, SearchQuery, SearchResult } from '../features/search/shared/protocol';
import { imageUrl } from '../lib/catalogue';
import type { Rect } from '../lib/crop';
import { recordQuery, stepBack, type HistoryEntry } from '../lib/queryHistory';
import type { ProgressFigures } from '../lib/progress';
import { DEFAULT_PARAMS, formatParams, type AppParams, type View } from '../lib/urlState';
import type { BackendInfo, CatalogueItem, CatalogueSummary, ModelIndex, ModelInfo } from '../lib/types';
import { embedCatalogue, type EmbeddedCatalogue, type EmbeddingCost } from '../features/embed/client/embedImages';
import { LiveIndexing } from '../features/catalogue/client/liveIndexing.svelte';
import { errorMessage } from '../lib/errors';
import { SNIFF_BYTES, SUPPORTED_FORMATS_TEXT, unsupportedFormat } from '../lib/imageFormat';
import { heapRefusal } from '../lib/hnswMemory';
import { LatestOnly, SUPERSEDED } from '../lib/latestOnly';
import { KNOBS, clampKnob } from '../lib/knobs';
import { rerankRules, type RerankSettings } from '../lib/rerankRules';
import { diagnoseModelFiles } from '../features/embed/client/modelFiles';
import {
  SetupProblem,
  appUrl,
  loadCatalogueList,
  loadManifest,
  loadModelIndex,
  modelUrl,
} from '../features/catalogue/client/assets';
import { embeddingKey, indexFamily, indexFileName, indexKey, vectorsFingerprint } from '../lib/cacheKeys';
import { PREPROCESSING_VERSION } from '../lib/preprocess';
import { BrowserStore } from '../features/storage/client/browserStore';
import { loadPrecomputed } from '../features/storage/client/precomputed';

export type IndexState = 'loading' | 'embedding' | 'indexing' | 'ready' | 'error';

export interface Problem {
  title: string;
  detail: string;
  fix: string | null;
}

/** The embedding figures of a query whose image is still being embedded. */
const PENDING_EMBED = { embedMs: null, preprocessMs: null, modelMs: null } as const;

export interface ActiveQuery {
  /** Catalogue id, or null for an image the user gave. */
  id: number | null;
  name: string;
  url: string;
  label: string | null;
  /** Time to embed the query image in a worker; 0 for catalogue images (embedded already), null while it runs. */
  embedMs: number | null;
  /** embedMs split into decoding + preprocessing and the model; 0 for catalogue images, null while it runs. */
  preprocessMs: number | null;
  modelMs: number | null;
  /** What the worker embeds for a crop: the catalogue image's URL or the user's bytes. */
  source: string | Blob;
  /** The region searched, in the image's natural pixels; null = the whole image. */
  crop: Rect | null;
}

/**
 * One run of the pipeline for the URL's catalogue and model:
 * catalogue → embed (worker pool) → index (search worker) → query → show.
 */
export class Session {
  params = $state<AppParams>(DEFAULT_PARAMS);
  state = $state<IndexState>('loading');
  stageText = $state('Loading models and catalogue…');
  problem = $state<Problem | null>(null);

  models = $state.raw<ModelIndex | null>(null);
  catalogues = $state.raw<CatalogueSummary[]>([]);
  catalogueId = $state('');
  model = $state.raw<ModelInfo | null>(null);
  items = $state.raw<CatalogueItem[]>([]);
  readonly itemById = $derived(new Map(this.items.map((item) => [item.id, item])));

  backend = $state<BackendInfo | null>(null);
  workerCount = $state(0);
  dim = $state(0);
  modelLoadMs = $state(0);
  progress = $state<ProgressFigures>({ done: 0, total: 0, rate: 0, etaSeconds: null });
  embeddingCost = $state<EmbeddingCost | null>(null);
  skipped = $state<EmbedFailure[]>([]);
  /** Live tfjs tensors in the embedding worker that reported last; stays flat when nothing leaks. */
  tensors = $state<number | null>(null);
  /** Images embedded in this page load (catalogue and queries): a redone batch never counts twice. */
  embeddedCount = $state(0);
  /** Why embedding runs on another backend than it started on (a lost WebGL context), or null. */
  backendNotice = $state<string | null>(null);
  /** Queries replaced by a newer one before the search worker reached them (never run). */
  supersededQueries = $state(0);
  /** Embedding workers replaced after a crash. */
  workerRestarts = $state(0);
  /** Catalogue images whose embedding came from browser storage instead of the model. */
  cacheHits = $state(0);
  /** Catalogue images whose embedding came from the catalogue's precomputed bundle (`npm run embed`). */
  precomputedHits = $state(0);
  /** The serving index is kept in browser storage for the next visit. */
  indexSaved = $state(false);
  /** Milliseconds from the start of the page load to the first ready index; null until then. */
  readyMs = $state<number | null>(null);
  /** Why browser storage is not used, or why a stored index was not; null when all is well. */
  storageNotice = $state<string | null>(null);
  cancelled = $state(false);

  /** Ids of the images in the index, in catalogue order. */
  indexedIds = $state.raw<number[]>([]);
  /** Vectors inserted into the index being built, out of indexedIds.length. */
  indexAdded = $state(0);
  build = $state<BuildResult | null>(null);
  /** Parameters of the index that serves queries (the URL's may be waiting for a rebuild). */
  builtParams = $state<HnswParams | null>(null);
  /** A lab job holds the machine: one measurement at a time, and no queries meanwhile. */
  labBusy = $state(false);

  query = $state<ActiveQuery | null>(null);
  /** Queries run so far, newest first (the current one in front). */
  history = $state.raw<HistoryEntry[]>([]);
  /** Object URLs of images the user added (own folder, single images), by catalogue id. */
  readonly localImages = new Map<number, string>();
  result = $state.raw<SearchResult | null>(null);
  queryError = $state<string | null>(null);

  readonly search = new SearchClient();
  /** The indexing pipeline for images the user brings: own folder, added images, deletes. */
  readonly indexing = new LiveIndexing(this);
  private pool: EmbeddingPool | null = null;
  private poolStart: Promise<EmbeddingPool> | null = null;
  /** Embeddings and saved indexes between visits; null until start() opened it. */
  storage: BrowserStore | null = null;
  private readonly abortEmbedding = new AbortController();
  /** Aborted by cancelRebuild(): the running build stops and the old index keeps serving. */
  private abortRebuild: AbortController | null = null;
  private querySerial = 0;
  /** One search in flight and at most one waiting: a burst of clicks never builds a backlog in the worker. */
  private readonly searches = new LatestOnly<SearchResult>();
  /** Embedding of the last image (or crop) the user gave, to re-run it with other knobs. */
  private queryVector: Float32Array | null = null;

  constructor(params: AppParams) {
    this.params = params;
  }

  get canQuery(): boolean {
    return this.build !== null && !this.labBusy;
  }

  imageUrl(item: CatalogueItem): string {
    return this.localImages.get(item.id) ?? appUrl(imageUrl(this.catalogueId, item));
  }

  /** The embedding workers, for the indexing pipeline; null until they are loaded. */
  get embedder(): EmbeddingPool | null {
    return this.pool;
  }

  async start(): Promise<void> {
    try {
      await this.loadAssets();
      this.storage = await BrowserStore.open((message) => {
        this.storageNotice = message;
      });
      const embedded = await this.embedCatalogue(await this.storedEmbeddings());
      await this.index(embedded);
      this.readyMs = performance.now();
      await this.queryFromUrl();
    } catch (error) {
      this.fail(error);
      return;
    }
    // Uploads need the model even when the whole catalogue came from storage.
    this.startPool().catch((error: unknown) => {
      this.queryError = `Uploads are unavailable: ${errorMessage(error)}`;
    });
  }

  /** The pool starts once, when something first needs embedding. */
  private startPool(): Promise<EmbeddingPool> {
    this.poolStart ??= this.launchPool();
    return this.poolStart;
  }

  /** Stops embedding; what is embedded so far is indexed. */
  cancelEmbedding(): void {
    this.cancelled = true;
    this.abortEmbedding.abort();
  }

  /** Changes k or efSearch: the index stays, the current query runs again. */
  async setSearchKnobs(knobs: Pick<AppParams, 'k' | 'ef'>): Promise<void> {
    this.params = {
      ...this.params,
      k: clampKnob(KNOBS.k, knobs.k, this.params.k),
      ef: clampKnob(KNOBS.ef, knobs.ef, this.params.ef),
    };
    this.syncUrl();
    await this.rerun();
  }

  /** Changes M or efConstruction: the index is rebuilt from the stored vectors. */
  async setIndexKnobs(knobs: Pick<AppParams, 'M' | 'efc'>): Promise<void> {
    this.params = {
      ...this.params,
      M: clampKnob(KNOBS.M, knobs.M, this.params.M),
      efc: clampKnob(KNOBS.efc, knobs.efc, this.params.efc),
    };
    this.syncUrl();
    if (this.state === 'ready') await this.rebuildIndex();
  }

  /** Changes the re-ranking settings; the current query runs again. */
  async setRerank(change: Partial<RerankSettings>): Promise<void> {
    this.params = { ...this.params, ...change };
    this.syncUrl();
    await this.rerun();
  }

  setPresent(present: boolean): void {
    this.params = { ...this.params, present };
    this.syncUrl();
  }

  setView(view: View): void {
    this.params = { ...this.params, view };
    this.syncUrl();
  }

  /** Stops a rebuild; the previous index keeps serving and the knobs go back to its values. */
  cancelRebuild(): void {
    this.abortRebuild?.abort();
  }

  /** Runs a lab job that needs the search worker to itself. */
  async exclusive<T>(job: () => Promise<T>): Promise<T> {
    if (this.labBusy || this.state !== 'ready') throw new Error('the search worker is busy');
    this.labBusy = true;
    try {
      return await job();
    } finally {
      this.labBusy = false;
    }
  }

  private syncUrl(): void {
    history.replaceState(null, '', `${location.pathname}${formatParams(this.params)}`);
  }

  private async loadAssets(): Promise<void> {
    const [models, catalogues] = await Promise.all([loadModelIndex(), loadCatalogueList()]);
    this.models = models;
    this.catalogues = catalogues;
    const modelId = this.params.model ?? models.default;
    const model = models.models.find((m) => m.id === modelId);
    if (!model) {
      throw new SetupProblem(
        `Model "${modelId}" is not set up.`,
        `Choose one of: ${models.models.map((m) => m.id).join(', ')}.`,
      );
    }
    this.model = model;
    this.catalogueId = this.params.catalogue ?? catalogues[0].id;
    const manifest = await loadManifest(this.catalogueId);
    this.items = this.params.limit ? manifest.items.slice(0, this.params.limit) : manifest.items;
    if (this.items.length === 0) {
      throw new SetupProblem(
        `Catalogue "${this.catalogueId}" has no images.`,
        `Add ${SUPPORTED_FORMATS_TEXT} files to its folder and run setup again.`,
      );
    }
  }

  private async launchPool(): Promise<EmbeddingPool> {
    const model = this.model!;
    const size = this.params.workers ?? Math.max(1, navigator.hardwareConcurrency || 2);
    this.pool = await EmbeddingPool.start({
      size,
      model,
      modelUrl: modelUrl(model.id),
      backend: this.params.backend,
      crashOnBatch: this.params.crash,
      loseContextOnBatch: this.params.loseContext,
    }).catch(async (error: unknown) => {
      throw (
        (await diagnoseModelFiles(model.id)) ??
        new SetupProblem(
          `Could not load ${model.id}: ${errorMessage(error)}`,
          `Check that models/${model.id}/model.json and its weight files were copied by \`npm run setup\`.`,
        )
      );
    });
    this.workerCount = this.pool.size;
    this.backend = this.pool.ready;
    this.dim = this.pool.ready.dim;
    this.modelLoadMs = this.pool.ready.loadMs;
    return this.pool;
  }

  /**
   * Embeddings known before any image is embedded, by content hash: the catalogue's precomputed
   * bundle first, then what an earlier visit (or another catalogue) kept in browser storage.
   */
  private async storedEmbeddings(): Promise<Map<string, Float32Array>> {
    const modelId = this.model!.id;
    const precomputed = await loadPrecomputed(this.catalogueId, modelId);
    if (precomputed.problem) this.storageNotice = precomputed.problem;
    const known = new Map(precomputed.vectors);
    const hashes = [...new Set(this.items.map((item) => item.hash))].filter((hash) => !known.has(hash));
    const vectors = await this.storage!.getEmbeddings(
      hashes.map((hash) => embeddingKey(modelId, PREPROCESSING_VERSION, hash)),
    );
    const cached = new Set<string>();
    vectors.forEach((vector, i) => {
      if (!vector) return;
      known.set(hashes[i], vector);
      cached.add(hashes[i]);
    });
    this.precomputedHits = this.items.filter((item) => precomputed.vectors.has(item.hash)).length;
    this.cacheHits = this.items.filter((item) => cached.has(item.hash)).length;
    return known;
  }

  private async embedCatalogue(known: Map<string, Float32Array>): Promise<EmbeddedCatalogue> {
    const modelId = this.model!.id;
    const fresh = this.items.filter((item) => !known.has(item.hash)).length;
    if (fresh > 0) {
      this.stageText = `Starting the embedding workers with ${modelId}…`;
      await this.startPool();
    }
    this.state = 'embedding';
    this.stageText =
      fresh === this.items.length
        ? `Embedding ${this.items.length} images with ${modelId}`
        : `Embedding ${fresh} new images with ${modelId} (${this.items.length - fresh} precomputed or kept by an earlier visit)`;
    const embedded = await embedCatalogue(
      () => this.startPool(),
      this.items.map((item) => ({ id: item.id, source: this.imageUrl(item), hash: item.hash })),
      {
        known,
        signal: this.abortEmbedding.signal,
        onEmbedded: (vectors) => {
          void this.storage!.putEmbeddings(
            vectors.map(([hash, vector]) => [embeddingKey(modelId, PREPROCESSING_VERSION, hash), vector]),
          );
        },
        onProgress: (progress) => {
          this.progress = progress;
        },
        onFailures: (failures) => {
          this.skipped = [...this.skipped, ...failures];
        },
        onBatch: (batch) => {
          this.noteBatch(batch);
          this.embeddedCount += batch.ids.length;
          this.workerRestarts = this.pool!.restarts;
        },
      },
    );
    this.embeddingCost = embedded.cost;
    return embedded;
  }

  /** Figures every embedding batch reports: live tensors, and the backend if a worker had to change it. */
  private noteBatch(batch: EmbedBatchResult): void {
    this.tensors = batch.tensors;
    if (batch.fallback) {
      this.backend = batch.backend;
      this.backendNotice = batch.fallback;
    }
  }

  private async index({ vectors, ids, dim }: EmbeddedCatalogue): Promise<void> {
    if (ids.length === 0) {
      throw new SetupProblem('No image of this catalogue could be embedded.', 'See the skipped files listed below.');
    }
    this.dim = dim;
    const refused = heapRefusal(ids.length, dim, this.params.M);
    if (refused) {
      throw new SetupProblem(
        `The catalogue's index cannot be built: ${refused}.`,
        'Open the page with fewer images (`?limit=<n>`), a smaller M, or a model with fewer dimensions.',
      );
    }
    this.indexedIds = Array.from(ids);
    await this.search.setVectors(vectors, ids, dim);
    if (await this.restoreIndex()) return;
    await this.rebuildIndex();
  }

  /** Key of the index for these knobs over exactly the vectors now indexed. */
  private storedIndexKey(params: HnswParams): string {
    return indexKey({
      catalogueId: this.catalogueId,
      modelId: this.model!.id,
      preprocessing: PREPROCESSING_VERSION,
      M: params.M,
      efConstruction: params.efConstruction,
      fingerprint: vectorsFingerprint(this.indexedIds.map((id) => ({ id, hash: this.itemById.get(id)!.hash }))),
    });
  }

  /** Serves the index an earlier visit saved for these knobs and vectors; false when there is none or it is bad. */
  private async restoreIndex(): Promise<boolean> {
    const params = { M: this.params.M, efConstruction: this.params.efc };
    const key = this.storedIndexKey(params);
    const stored = await this.storage!.getIndex(key);
    if (!stored) return false;
    this.state = 'indexing';
    this.stageText = 'Reading the HNSW index saved by an earlier visit';
    const restored = await this.search
      .restoreIndex(stored, params)
      .catch((error: unknown) => ({ problem: errorMessage(error) }));
    if ('problem' in restored) {
      await this.storage!.deleteIndexes([key]);
      this.storageNotice = `The saved index could not be used (${restored.problem}), so it was rebuilt.`;
      return false;
    }
    this.build = restored;
    this.builtParams = params;
    this.indexSaved = true;
    this.state = 'ready';
    this.stageText = 'Ready (index read from browser storage): click any image, or give your own.';
    return true;
  }

  /** Keeps the serving index for the next visit, replacing older ones of this catalogue and model. */
  private async saveIndex(params: HnswParams): Promise<void> {
    const storage = this.storage;
    if (!storage?.available) return;
    // An index over images the user added, or with images deleted, is not the catalogue's: not kept.
    if (this.localImages.size > 0 || this.build?.count !== this.indexedIds.length) return;
    const key = this.storedIndexKey(params);
    const family = indexFamily({ catalogueId: this.catalogueId, modelId: this.model!.id });
    const older = (await storage.listIndexes()).filter((index) => index.key.startsWith(family) && index.key !== key);
    try {
      const saved = await this.search.saveIndex(
        indexFileName(key),
        older.map((index) => index.file),
      );
      await storage.putIndex({ ...saved, key, count: this.indexedIds.length, savedAt: Date.now() });
      await storage.deleteIndexes(older.map((index) => index.key));
      this.indexSaved = storage.available;
    } catch (error) {
      this.storageNotice = `The index could not be saved (${errorMessage(error)}): the next visit builds it again.`;
    }
  }

  /** Builds the HNSW index with the URL's M and efConstruction. */
  private async rebuildIndex(): Promise<void> {
    const params = { M: this.params.M, efConstruction: this.params.efc };
    const refused = heapRefusal(this.indexedIds.length, this.dim, params.M);
    if (refused && this.builtParams) {
      this.queryError = `M=${params.M} refused: ${refused}; the previous index still serves.`;
      this.params = { ...this.params, M: this.builtParams.M, efc: this.builtParams.efConstruction };
      this.syncUrl();
      return;
    }
    this.state = 'indexing';
    this.stageText = `Building the HNSW index (M=${params.M}, efConstruction=${params.efConstruction})`;
    this.indexAdded = 0;
    const abort = new AbortController();
    this.abortRebuild = abort;
    let built: BuildResult | null = null;
    try {
      built = await this.search.buildIndex(
        params,
        (added) => {
          this.indexAdded = added;
        },
        abort.signal,
      );
    } catch (error) {
      if (!this.builtParams) throw error;
      this.queryError = `The rebuild failed (${errorMessage(error)}); the previous index still serves.`;
    }
    if (built) {
      this.build = built;
      this.builtParams = params;
      this.indexSaved = false;
      void this.saveIndex(params);
      this.stageText = 'Ready: click any image, or give your own.';
    } else if (this.builtParams) {
      this.params = { ...this.params, M: this.builtParams.M, efc: this.builtParams.efConstruction };
      this.syncUrl();
      this.stageText = 'Rebuild stopped: the previous index still serves.';
    }
    this.state = 'ready';
    if (this.query) await this.rerun();
  }

  async queryCatalogueItem(item: CatalogueItem, crop: Rect | null = null): Promise<void> {
    if (!this.canQuery) return;
    if (this.skipped.some((s) => s.id === item.id)) {
      this.queryError = `${item.file} was not indexed (it could not be decoded).`;
      return;
    }
    const url = this.imageUrl(item);
    const query = {
      id: item.id,
      name: item.file,
      url,
      label: item.label,
      source: url,
      crop,
      embedMs: 0,
      preprocessMs: 0,
      modelMs: 0,
    };
    if (crop) return this.embedQuery({ ...query, embedMs: null, preprocessMs: null, modelMs: null });
    this.replaceQuery(query);
    await this.runQuery({ id: item.id });
  }

  async queryFile(file: File): Promise<void> {
    if (!this.canQuery) return;
    const serial = ++this.querySerial;
    // Checked before the file is shown: an SVG (a document that can carry script) never reaches an <img>.
    const refusal = unsupportedFormat(new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer()));
    if (serial !== this.querySerial) return;
    if (refusal) {
      this.queryError = `${file.name}: ${refusal}`;
      return;
    }
    const url = URL.createObjectURL(file);
    await this.embedQuery({ id: null, name: file.name, url, label: null, source: file, crop: null, ...PENDING_EMBED });
  }

  /** Searches with a region of the current query image, or with the whole image again (null). */
  async cropQuery(crop: Rect | null): Promise<void> {
    const query = this.query;
    if (!query || !this.canQuery) return;
    const item = query.id === null ? undefined : this.itemById.get(query.id);
    if (item && !crop) await this.queryCatalogueItem(item);
    else await this.embedQuery({ ...query, crop, ...PENDING_EMBED });
  }

  /** Runs the query before the current one again. */
  async back(): Promise<void> {
    const { history, previous } = stepBack(this.history);
    if (!previous) return;
    this.history = history;
    await this.runEntry(previous);
  }

  /** Runs a query from the history again. */
  async runEntry(entry: HistoryEntry): Promise<void> {
    if (entry.id === null) {
      const source = entry.source as Blob;
      const url = URL.createObjectURL(source);
      await this.embedQuery({
        id: null,
        name: entry.name,
        url,
        label: null,
        source,
        crop: entry.crop,
        ...PENDING_EMBED,
      });
      return;
    }
    const item = this.itemById.get(entry.id);
    if (item) await this.queryCatalogueItem(item, entry.crop);
    else this.queryError = `${entry.name} is no longer in the catalogue.`;
  }

  /** No query: after its image was deleted, or a new catalogue. */
  clearQuery(): void {
    this.replaceQuery(null);
    this.result = null;
    this.queryError = null;
  }

  private async queryFromUrl(): Promise<void> {
    const { q, crop } = this.params;
    if (q === null) return;
    const item = this.itemById.get(q);
    if (item) await this.queryCatalogueItem(item, crop);
    else this.queryError = `The URL's query image (id ${q}) is not in this catalogue.`;
  }

  /** Embeds the query image (or its crop) in a worker, then searches with the vector. */
  private async embedQuery(query: ActiveQuery): Promise<void> {
    const serial = ++this.querySerial;
    this.replaceQuery(query);
    this.result = null;
    this.queryError = null;
    try {
      // A plain copy: the crop may be a reactive proxy, which cannot be posted to a worker.
      const region = query.crop ? $state.snapshot(query.crop) : undefined;
      const pool = await this.startPool();
      const embedded = await pool.embedOne(query.source, region);
      if (serial !== this.querySerial) return;
      if ('error' in embedded) throw new Error(embedded.error);
      this.queryVector = embedded.vector;
      this.noteBatch(embedded.batch);
      this.embeddedCount++;
      this.query = { ...query, embedMs: embedded.ms, preprocessMs: embedded.decodeMs, modelMs: embedded.inferMs };
      await this.runQuery({ vector: embedded.vector }, serial);
    } catch (error) {
      if (serial === this.querySerial) this.queryError = `${query.name}: ${errorMessage(error)}`;
    }
  }

  /**
   * The previous upload's object URL is released (unless the new query shows the same one);
   * its vector must never answer for the new query. The query goes into the history and,
   * when it is a catalogue image that a URL can name, into the URL.
   */
  private replaceQuery(query: ActiveQuery | null): void {
    if (this.query?.id === null && this.query.url !== query?.url) URL.revokeObjectURL(this.query.url);
    this.queryVector = null;
    this.query = query;
    if (query) {
      const { id, name, label, source, crop } = query;
      this.history = recordQuery(this.history, { id, name, label, source, crop });
    }
    const shareable = query !== null && query.id !== null && !this.localImages.has(query.id);
    this.params = { ...this.params, q: shareable ? query.id : null, crop: shareable ? query.crop : null };
    this.syncUrl();
  }

  /** Runs the current query again, for new k or efSearch, or after the catalogue changed. */
  async rerun(): Promise<void> {
    if (!this.query) return;
    if (this.query.id !== null && !this.query.crop) await this.runQuery({ id: this.query.id });
    else if (this.queryVector) await this.runQuery({ vector: this.queryVector });
  }

  private async runQuery(query: SearchQuery, serial = ++this.querySerial): Promise<void> {
    this.queryError = null;
    const { k, ef } = this.params;
    try {
      const rules = rerankRules(this.params, this.items);
      const result = await this.searches.run(() => this.search.search(query, k, ef, rules));
      this.supersededQueries = this.searches.superseded;
      // A slower, older query must never overwrite a newer one.
      if (result !== SUPERSEDED && serial === this.querySerial) this.result = result;
    } catch (error) {
      if (serial === this.querySerial) this.queryError = errorMessage(error);
    }
  }

  private fail(error: unknown): void {
    this.state = 'error';
    this.problem =
      error instanceof SetupProblem
        ? { title: 'Setup needed', detail: error.message, fix: error.fix }
        : { title: 'Something went wrong', detail: errorMessage(error), fix: null };
  }
}
