import { EmbeddingPool } from '../../workers/embed/pool';
import type { EmbedBatchResult, EmbedFailure } from '../../workers/embed/protocol';
import { SearchClient } from '../../workers/search/client';
import type { BuildResult, HnswParams, SearchQuery, SearchResult } from '../../workers/search/protocol';
import { imageUrl } from '../lib/catalogue';
import type { ProgressFigures } from '../lib/progress';
import { DEFAULT_PARAMS, formatParams, type AppParams, type View } from '../lib/urlState';
import type { BackendInfo, CatalogueItem, CatalogueSummary, ModelIndex, ModelInfo } from '../lib/types';
import { embedCatalogue, type EmbeddedCatalogue, type EmbeddingCost } from './embedCatalogue';
import { errorMessage } from '../lib/errors';
import { SNIFF_BYTES, SUPPORTED_FORMATS_TEXT, unsupportedFormat } from '../lib/imageFormat';
import { heapRefusal } from '../lib/hnswMemory';
import { LatestOnly, SUPERSEDED } from '../lib/latestOnly';
import { KNOBS, clampKnob } from '../lib/knobs';
import { diagnoseModelFiles } from './modelFiles';
import { SetupProblem, appUrl, loadCatalogueList, loadManifest, loadModelIndex, modelUrl } from './assets';

export type IndexState = 'loading' | 'embedding' | 'indexing' | 'ready' | 'error';

export interface Problem {
  title: string;
  detail: string;
  fix: string | null;
}

export interface ActiveQuery {
  /** Catalogue id, or null for an image the user gave. */
  id: number | null;
  name: string;
  url: string;
  label: string | null;
  /** Time to embed the query image in a worker; 0 for catalogue images (embedded already), null while it runs. */
  embedMs: number | null;
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
  result = $state.raw<SearchResult | null>(null);
  queryError = $state<string | null>(null);

  readonly search = new SearchClient();
  private pool: EmbeddingPool | null = null;
  private readonly abortEmbedding = new AbortController();
  private querySerial = 0;
  /** One search in flight and at most one waiting: a burst of clicks never builds a backlog in the worker. */
  private readonly searches = new LatestOnly<SearchResult>();
  /** Embedding of the last image the user gave, to re-run it with other knobs. */
  private uploadVector: Float32Array | null = null;

  constructor(params: AppParams) {
    this.params = params;
  }

  get canQuery(): boolean {
    return this.build !== null && !this.labBusy;
  }

  imageUrl(item: CatalogueItem): string {
    return appUrl(imageUrl(this.catalogueId, item));
  }

  async start(): Promise<void> {
    try {
      await this.loadAssets();
      const embedded = await this.embedCatalogue();
      await this.index(embedded);
    } catch (error) {
      this.fail(error);
    }
  }

  /** Stops embedding; what is embedded so far is indexed. */
  cancelEmbedding(): void {
    this.cancelled = true;
    this.abortEmbedding.abort();
  }

  /** Changes k or efSearch: the index stays, the current query runs again. */
  async setSearchKnobs(knobs: Pick<AppParams, 'k' | 'ef'>): Promise<void> {
    this.params = { ...this.params, k: clampKnob(KNOBS.k, knobs.k, this.params.k), ef: clampKnob(KNOBS.ef, knobs.ef, this.params.ef) };
    this.syncUrl();
    await this.rerun();
  }

  /** Changes M or efConstruction: the index is rebuilt from the stored vectors. */
  async setIndexKnobs(knobs: Pick<AppParams, 'M' | 'efc'>): Promise<void> {
    this.params = { ...this.params, M: clampKnob(KNOBS.M, knobs.M, this.params.M), efc: clampKnob(KNOBS.efc, knobs.efc, this.params.efc) };
    this.syncUrl();
    if (this.state === 'ready') await this.rebuildIndex();
  }

  setView(view: View): void {
    this.params = { ...this.params, view };
    this.syncUrl();
  }

  /** Stops a rebuild; the previous index keeps serving and the knobs go back to its values. */
  async cancelRebuild(): Promise<void> {
    await this.search.cancel();
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

    const size = this.params.workers ?? Math.max(1, navigator.hardwareConcurrency || 2);
    this.stageText = `Starting ${size} embedding workers with ${model.id}…`;
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
  }

  private async embedCatalogue(): Promise<EmbeddedCatalogue> {
    this.state = 'embedding';
    this.stageText = `Embedding ${this.items.length} images with ${this.model!.id}`;
    const embedded = await embedCatalogue(
      this.pool!,
      this.items.map((item) => ({ id: item.id, source: this.imageUrl(item), hash: item.hash })),
      {
        signal: this.abortEmbedding.signal,
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

  private async index({ vectors, ids }: EmbeddedCatalogue): Promise<void> {
    if (ids.length === 0) {
      throw new SetupProblem('No image of this catalogue could be embedded.', 'See the skipped files listed below.');
    }
    const refused = heapRefusal(ids.length, this.dim, this.params.M);
    if (refused) {
      throw new SetupProblem(
        `The catalogue's index cannot be built: ${refused}.`,
        'Open the page with fewer images (`?limit=<n>`), a smaller M, or a model with fewer dimensions.',
      );
    }
    this.indexedIds = Array.from(ids);
    await this.search.setVectors(vectors, ids, this.dim);
    await this.rebuildIndex();
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
    let built: BuildResult | null = null;
    try {
      built = await this.search.buildIndex(params, (added) => {
        this.indexAdded = added;
      });
    } catch (error) {
      if (!this.builtParams) throw error;
      this.queryError = `The rebuild failed (${errorMessage(error)}); the previous index still serves.`;
    }
    if (built) {
      this.build = built;
      this.builtParams = params;
      this.stageText = 'Ready: click any image, or give your own.';
    } else if (this.builtParams) {
      this.params = { ...this.params, M: this.builtParams.M, efc: this.builtParams.efConstruction };
      this.syncUrl();
      this.stageText = 'Rebuild stopped: the previous index still serves.';
    }
    this.state = 'ready';
    if (this.query) await this.rerun();
  }

  async queryCatalogueItem(item: CatalogueItem): Promise<void> {
    if (!this.canQuery) return;
    if (this.skipped.some((s) => s.id === item.id)) {
      this.queryError = `${item.file} was not indexed (it could not be decoded).`;
      return;
    }
    this.replaceQuery({ id: item.id, name: item.file, url: this.imageUrl(item), label: item.label, embedMs: 0 });
    await this.runQuery({ id: item.id });
  }

  async queryFile(file: File): Promise<void> {
    if (!this.canQuery || !this.pool) return;
    const serial = ++this.querySerial;
    // Checked before the file is shown: an SVG (a document that can carry script) never reaches an <img>.
    const refusal = unsupportedFormat(new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer()));
    if (serial !== this.querySerial) return;
    if (refusal) {
      this.queryError = `${file.name}: ${refusal}`;
      return;
    }
    this.replaceQuery({ id: null, name: file.name, url: URL.createObjectURL(file), label: null, embedMs: null });
    this.result = null;
    this.queryError = null;
    try {
      const embedded = await this.pool.embedOne(file);
      if (serial !== this.querySerial) return;
      if ('error' in embedded) throw new Error(embedded.error);
      this.uploadVector = embedded.vector;
      this.noteBatch(embedded.batch);
      this.embeddedCount++;
      this.query = { ...this.query!, embedMs: embedded.ms };
      await this.runQuery({ vector: embedded.vector }, serial);
    } catch (error) {
      if (serial === this.querySerial) this.queryError = `${file.name}: ${errorMessage(error)}`;
    }
  }

  /** The previous upload's object URL is released; its vector must never answer for the new query. */
  private replaceQuery(query: ActiveQuery): void {
    if (this.query?.id === null) URL.revokeObjectURL(this.query.url);
    this.uploadVector = null;
    this.query = query;
  }

  /** Runs the current query again, for new k or efSearch. */
  async rerun(): Promise<void> {
    if (!this.query) return;
    if (this.query.id !== null) await this.runQuery({ id: this.query.id });
    else if (this.uploadVector) await this.runQuery({ vector: this.uploadVector });
  }

  private async runQuery(query: SearchQuery, serial = ++this.querySerial): Promise<void> {
    this.queryError = null;
    const { k, ef } = this.params;
    try {
      const result = await this.searches.run(() => this.search.search(query, k, ef));
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
