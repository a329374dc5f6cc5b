/*
 * Longer than 300 lines because the index stage owns one index's whole life — load (stored, shipped or
 * built), rebuild, save, live adds and deletes, and the (train) step's head — and these share its fields.
 */
import { indexFamily, indexFileName, indexKey, vectorsFingerprint } from '../../../lib/cacheKeys';
import { errorMessage } from '../../../lib/errors';
import { heapRefusal } from '../../../lib/hnswMemory';
import { ObjectEntries, isObjectEntry } from '../../../lib/objectEntries';
import type { Rect } from '../../../lib/crop';
import { PREPROCESSING_VERSION } from '../../../lib/preprocess';
import { headFingerprint, headOutputDim, projectVectors, type ProjectionHead } from '../../../lib/projectionHead';
import type { RerankRules } from '../../../lib/rerank';
import { shippedIndexMismatch } from '../../../lib/shippedIndex';
import type { StageReporter } from '../../../lib/types';
import { SetupProblem } from '../../catalogue/client/assets';
import type { CatalogueStage } from '../../catalogue/client/catalogueStage.svelte';
import type { EmbeddedCatalogue } from '../../embed/client/embedImages';
import type { BrowserStore } from '../../storage/client/browserStore';
import type { BuildResult, ExtraEngine, HnswParams, IndexSize, SearchQuery, SearchResult } from '../shared/protocol';
import { SearchClient } from './client';
import { findShippedIndex } from './shippedIndex';

/** Vectors as the search worker holds them: row-major, ids.length × dim. */
export type IndexedVectors = Pick<EmbeddedCatalogue, 'vectors' | 'ids' | 'dim'>;

const READY_TEXT = 'Ready: click any image, or give your own.';

/**
 * The index stage: the search worker's vectors, its HNSW index and the exact store beside it.
 * Builds, reads back and saves the index, adds and deletes images without a rebuild, and lends
 * the worker to one lab job at a time.
 */
export class IndexStage {
  readonly search = new SearchClient();
  /** Ids of the images in the index, in the order they were indexed (object entries not among them). */
  indexedIds = $state.raw<number[]>([]);
  /** Object-level entries in the index (`objects=1`): each one's image and box (src/lib/objectEntries.ts). */
  readonly objects = new ObjectEntries();
  /** How many object entries the index holds. */
  objectCount = $state(0);
  dim = $state(0);
  /** Vectors inserted into the index being built, out of indexedIds.length. */
  indexAdded = $state(0);
  build = $state<BuildResult | null>(null);
  /** Parameters of the index that serves queries (the URL's may be waiting for a rebuild). */
  builtParams = $state<HnswParams | null>(null);
  /** The serving index is kept in browser storage for the next visit. */
  indexSaved = $state(false);
  /** A new index is being built; the old one (if any) serves meanwhile. */
  rebuilding = $state(false);
  /** A lab job holds the machine: one measurement at a time, and no queries meanwhile. */
  labBusy = $state(false);
  /**
   * The (train) stage: a trained projection head every vector passes through on its way into the
   * index and every query vector before it is searched; null serves the frozen embeddings.
   */
  head = $state.raw<ProjectionHead | null>(null);
  /** The frozen embeddings, kept while a head serves, so switching back needs no re-embedding. */
  private base: IndexedVectors | null = null;
  private abortRebuild: AbortController | null = null;
  /** False once images were added or deleted: the index is then not the catalogue's, and not saved. */
  private asLoaded = true;

  constructor(
    private readonly catalogue: CatalogueStage,
    private readonly modelId: string,
    private readonly storage: BrowserStore,
    private readonly report: StageReporter,
  ) {}

  /**
   * Starts the search worker now, loading hnswlib-wasm and the saved indexes while the page fetches
   * the vectors. A failure here is not reported: restoring or building meets it again and says so.
   */
  prepare(): void {
    this.search.prepare().catch(() => {});
  }

  get canQuery(): boolean {
    return this.build !== null && !this.labBusy;
  }

  /** Whether images may be added or deleted now: not while a build or a lab job holds the index. */
  get canChange(): boolean {
    return this.canQuery && !this.rebuilding;
  }

  /**
   * Indexes the embedded catalogue: the index an earlier visit saved for these vectors, else the
   * one setup shipped with the catalogue (only when every vector came from its bundle: the index
   * holds its own copy of them), else a new one.
   */
  async load(
    { vectors, ids, dim }: IndexedVectors,
    params: HnswParams,
    { vectorsFromBundle }: { vectorsFromBundle: boolean },
  ): Promise<void> {
    if (ids.length === 0) {
      throw new SetupProblem('No image of this catalogue could be embedded.', 'See the skipped files listed below.');
    }
    this.dim = dim;
    const refused = heapRefusal(ids.length, dim, params.M);
    if (refused) {
      throw new SetupProblem(
        `The catalogue's index cannot be built: ${refused}.`,
        'Open the page with fewer images (`?limit=<n>`), a smaller M, or a model with fewer dimensions.',
      );
    }
    this.indexedIds = Array.from(ids).filter((id) => !isObjectEntry(id));
    this.keepObjectsIn(ids);
    await this.search.setVectors(vectors, ids, dim);
    if (await this.restore(params)) return;
    if (vectorsFromBundle && (await this.readShipped(params))) return;
    await this.rebuild(params);
  }

  /**
   * Builds the index with new knobs from the stored vectors; the old index serves until it is
   * done. Says which knobs serve afterwards: the old ones when the rebuild was refused up front
   * (`ran` false), failed or was cancelled. The first build's failure is thrown.
   */
  async rebuild(params: HnswParams): Promise<{ serving: HnswParams | null; ran: boolean }> {
    const serving = this.builtParams;
    const refused = heapRefusal(this.indexedIds.length, this.dim, params.M);
    if (refused && serving) {
      this.report.warn(`M=${params.M} refused: ${refused}; the previous index still serves.`);
      return { serving, ran: false };
    }
    this.report.status('indexing', `Building the HNSW index (M=${params.M}, efConstruction=${params.efConstruction})`);
    this.indexAdded = 0;
    this.rebuilding = true;
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
      if (!serving) throw error;
      this.report.warn(`The rebuild failed (${errorMessage(error)}); the previous index still serves.`);
    } finally {
      this.rebuilding = false;
    }
    if (built) {
      this.build = built;
      this.builtParams = params;
      this.indexSaved = false;
      void this.save(params);
      this.report.status('ready', READY_TEXT);
      return { serving: params, ran: true };
    }
    this.report.status('ready', serving ? 'Rebuild stopped: the previous index still serves.' : READY_TEXT);
    return { serving, ran: true };
  }

  /** Stops a rebuild; the previous index keeps serving. */
  cancelRebuild(): void {
    this.abortRebuild?.abort();
  }

  /** A fresh empty index of the same dimensions, filled by add() (a folder the user picked). */
  async startEmpty(params: HnswParams): Promise<void> {
    this.asLoaded = false;
    await this.search.setVectors(new Float32Array(0), new Int32Array(0), this.dim);
    this.indexedIds = [];
    this.keepObjectsIn([]);
    this.build = await this.search.buildIndex(params, () => {});
    this.builtParams = params;
    this.indexSaved = false;
  }

  /**
   * Serves the catalogue through a trained head (its own index, HNSW and exact, built or read
   * back), or with `null` the frozen embeddings again (their saved index read back, so switching
   * back is quick). Queries, added images and crops go through the same head meanwhile.
   */
  async useHead(
    head: ProjectionHead | null,
    params: HnswParams,
    /** Where the catalogue is projected: on this thread by default; the Training tab passes its worker. */
    project: (head: ProjectionHead, vectors: Float32Array) => Promise<Float32Array> = async (h, v) =>
      projectVectors(h, v),
  ): Promise<void> {
    if (head === this.head) return;
    if (!this.canChange) throw new Error('the index is busy; try again once it is done');
    const base = this.base ?? (await this.search.copyVectors());
    if (head && headOutputDim(head) > 0 && head.layers[0].inputDim !== base.dim) {
      throw new Error(`the head takes ${head.layers[0].inputDim}-d vectors; this model gives ${base.dim}`);
    }
    const vectors = head ? await project(head, base.vectors.slice()) : base.vectors.slice();
    this.head = head;
    this.base = head ? base : null;
    // Projected or read back from the stage's own copy, never the bundle's: the shipped index is not theirs.
    await this.load({ vectors, ids: base.ids.slice(), dim: head ? headOutputDim(head) : base.dim }, params, {
      vectorsFromBundle: false,
    });
  }

  /** A copy of the frozen embeddings of the indexed images (with a head serving, not what it indexes); object entries left out. */
  async frozenVectors(): Promise<IndexedVectors> {
    if (!this.base) return this.search.copyVectors(true);
    return withoutIds(this.base, new Set(Array.from(this.base.ids).filter(isObjectEntry)));
  }

  /** Searches exact, HNSW and the further engines asked; a query vector from the embedding stage goes through the head first. */
  query(
    query: SearchQuery,
    k: number,
    efSearch: number,
    rules: RerankRules | null,
    engines: readonly ExtraEngine[],
  ): Promise<SearchResult> {
    const head = this.head;
    const through = head && 'vector' in query ? { vector: projectVectors(head, query.vector) } : query;
    return this.search.search(through, k, efSearch, rules, engines);
  }

  /** Adds vectors (row-major, ids.length × dim) to the live index and the exact store, no rebuild. */
  async add(vectors: Float32Array, ids: number[]): Promise<void> {
    this.asLoaded = false;
    if (this.head && this.base) {
      const base = this.base;
      const grown = new Float32Array(base.vectors.length + vectors.length);
      grown.set(base.vectors);
      grown.set(vectors, base.vectors.length);
      this.base = { vectors: grown, ids: Int32Array.from([...base.ids, ...ids]), dim: base.dim };
      vectors = projectVectors(this.head, vectors);
    }
    this.sized(await this.search.add(vectors, ids));
    this.indexedIds = [...this.indexedIds, ...ids.filter((id) => !isObjectEntry(id))];
  }

  /**
   * Adds an image's object entries: one vector per box (row-major, boxes.length × dim, best box
   * first), through the same add path as images. Returns the entries' ids.
   */
  async addObjects(parent: number, boxes: readonly Rect[], vectors: Float32Array): Promise<number[]> {
    const ids = this.objects.add(parent, boxes);
    if (ids.length === 0) return ids;
    try {
      await this.add(vectors.slice(0, ids.length * (vectors.length / boxes.length)), ids);
    } catch (error) {
      this.objects.removeParent(parent);
      throw error;
    }
    this.objectCount = this.objects.count;
    return ids;
  }

  /** Takes every object entry out of both engines (the knob turned off). */
  async removeObjects(): Promise<void> {
    const ids = this.objects.clear();
    this.objectCount = 0;
    if (ids.length > 0) await this.remove(ids);
  }

  /** Deletes images, and their object entries with them: HNSW mark-delete and removal from the exact store. */
  async remove(ids: number[]): Promise<void> {
    this.asLoaded = false;
    const entries = ids.flatMap((id) => this.objects.removeParent(id));
    this.objectCount = this.objects.count;
    ids = [...ids, ...entries];
    this.sized(await this.search.remove(ids));
    const gone = new Set(ids);
    if (this.base) this.base = withoutIds(this.base, gone);
    this.indexedIds = this.indexedIds.filter((id) => !gone.has(id));
  }

  /** Stored data was cleared: the serving index is no longer kept for the next visit. */
  forgetSaved(): void {
    this.indexSaved = false;
  }

  /** Runs a lab job that needs the search worker (and the machine) to itself. */
  async exclusive<T>(job: () => Promise<T>): Promise<T> {
    if (!this.canChange) throw new Error('the search worker is busy');
    this.labBusy = true;
    try {
      return await job();
    } finally {
      this.labBusy = false;
    }
  }

  /** Forgets the object entries not among the vectors the worker now holds (it was given new ones). */
  private keepObjectsIn(ids: ArrayLike<number>): void {
    const present = new Set(Array.from(ids));
    for (const parent of this.objects.parents) {
      if (this.objects.entriesOf(parent).some((id) => !present.has(id))) this.objects.removeParent(parent);
    }
    this.objectCount = this.objects.count;
  }

  private sized(size: IndexSize): void {
    if (this.build) this.build = { ...this.build, ...size };
  }

  /** What made the indexed vectors: the model, and the head when one serves (its index is kept apart). */
  private get indexedModelId(): string {
    return this.head ? `${this.modelId}+head-${headFingerprint(this.head)}` : this.modelId;
  }

  /** Key of the index for these knobs over exactly the vectors now indexed. */
  private storedIndexKey(params: HnswParams): string {
    return indexKey({
      catalogueId: this.catalogue.id,
      modelId: this.indexedModelId,
      preprocessing: PREPROCESSING_VERSION,
      M: params.M,
      efConstruction: params.efConstruction,
      fingerprint: this.fingerprint(),
    });
  }

  /** The indexed vectors by catalogue id and content hash, in row order. */
  private fingerprint(): string {
    return vectorsFingerprint(this.indexedIds.map((id) => ({ id, hash: this.catalogue.itemById.get(id)?.hash ?? '' })));
  }

  /** Serves the index an earlier visit saved for these knobs and vectors; false when there is none or it is bad. */
  private async restore(params: HnswParams): Promise<boolean> {
    const key = this.storedIndexKey(params);
    const stored = await this.storage.getIndex(key);
    if (!stored) return false;
    this.report.status('indexing', 'Reading the HNSW index saved by an earlier visit');
    const restored = await this.search
      .restoreIndex(stored, params)
      .catch((error: unknown) => ({ problem: errorMessage(error) }));
    if ('problem' in restored) {
      await this.storage.deleteIndexes([key]);
      this.report.notice(`The saved index could not be used (${restored.problem}), so it was rebuilt.`);
      return false;
    }
    this.build = restored;
    this.builtParams = params;
    this.indexSaved = true;
    this.report.status('ready', 'Ready (index read from browser storage): click any image, or give your own.');
    return true;
  }

  /**
   * Serves the index setup built for the catalogue, when it was built with these knobs over
   * exactly these vectors; false (with a notice saying why, when there is one) otherwise. It is
   * kept in browser storage too, so the next visit reads it from there.
   */
  private async readShipped(params: HnswParams): Promise<boolean> {
    const offer = await findShippedIndex(this.catalogue.id, this.modelId);
    if (!offer) return false;
    if ('problem' in offer) {
      this.report.notice(offer.problem);
      return false;
    }
    const key = this.storedIndexKey(params);
    const mismatch = shippedIndexMismatch(offer.meta, {
      modelId: this.modelId,
      preprocessing: PREPROCESSING_VERSION,
      M: params.M,
      efConstruction: params.efConstruction,
      fingerprint: this.fingerprint(),
    });
    if (mismatch) {
      this.report.notice(mismatch);
      return false;
    }
    this.report.status('indexing', 'Reading the HNSW index shipped with the catalogue');
    const file = indexFileName(key);
    const shipped = await this.search
      .loadShippedIndex({ url: offer.url, meta: offer.meta, file }, params)
      .catch((error: unknown) => ({ problem: errorMessage(error) }));
    if ('problem' in shipped) {
      this.report.notice(`The shipped index could not be used (${shipped.problem}), so the index was built here.`);
      return false;
    }
    this.build = shipped;
    this.builtParams = params;
    this.indexSaved = false;
    void this.keepShipped(key, file, offer.meta);
    this.report.status('ready', 'Ready (index shipped with the catalogue): click any image, or give your own.');
    return true;
  }

  /** Records the shipped index (already in hnswlib's storage as `file`) as this catalogue's saved index. */
  private async keepShipped(key: string, file: string, meta: { bytes: number; checksum: string }): Promise<void> {
    const storage = this.storage;
    if (!storage.available) return;
    const { bytes, checksum } = meta;
    await storage.putIndex({ file, bytes, checksum, key, count: this.indexedIds.length, savedAt: Date.now() });
    this.indexSaved = storage.available;
  }

  /** Keeps the serving index for the next visit, replacing older ones of this catalogue and model. */
  private async save(params: HnswParams): Promise<void> {
    const storage = this.storage;
    // An index over images the user added, or with images deleted, is not the catalogue's: not kept.
    if (!storage.available || !this.asLoaded) return;
    const key = this.storedIndexKey(params);
    const family = indexFamily({ catalogueId: this.catalogue.id, modelId: this.indexedModelId });
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
      this.report.notice(`The index could not be saved (${errorMessage(error)}): the next visit builds it again.`);
    }
  }
}

/** The rows of `embedded` whose id is not in `gone`. */
function withoutIds(embedded: IndexedVectors, gone: ReadonlySet<number>): IndexedVectors {
  const { dim } = embedded;
  const rows = Array.from(embedded.ids.keys()).filter((row) => !gone.has(embedded.ids[row]));
  const vectors = new Float32Array(rows.length * dim);
  rows.forEach((row, i) => vectors.set(embedded.vectors.subarray(row * dim, (row + 1) * dim), i * dim));
  return { vectors, ids: Int32Array.from(rows, (row) => embedded.ids[row]), dim };
}
