import type { Rect } from '../../../lib/crop';
import { errorMessage } from '../../../lib/errors';
import { SNIFF_BYTES, unsupportedFormat } from '../../../lib/imageFormat';
import { LatestOnly, SUPERSEDED } from '../../../lib/latestOnly';
import { recordQuery, stepBack, type HistoryEntry } from '../../../lib/queryHistory';
import type { RerankRules } from '../../../lib/rerank';
import type { CatalogueItem, Neighbour } from '../../../lib/types';
import { afterNextPaint } from '../../../lib/yieldToMain';
import type { CatalogueStage } from '../../catalogue/client/catalogueStage.svelte';
import type { EmbedStage } from '../../embed/client/embedStage.svelte';
import type { IndexStage } from '../../search/client/indexStage.svelte';
import type { ExtraEngine, SearchQuery, SearchResult } from '../../search/shared/protocol';
import type { PgvectorStage } from '../../pgvector/client/pgvectorStage.svelte';

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

/** What every search asks of both engines: the current knobs and re-ranking rules. */
export interface SearchSettings {
  k: number;
  efSearch: number;
  rules: RerankRules | null;
  /** The engines beyond exact and HNSW that are shown (`engines=`): only they are searched. */
  engines: readonly ExtraEngine[];
}

/** The query as a URL can name it: a catalogue id and its crop, or nothing for an image the user gave. */
export interface ShareableQuery {
  q: number | null;
  crop: Rect | null;
}

/**
 * The query stage: the image (or crop) being searched, its vector, both engines' answers and
 * the history. A newer query aborts the one before it, so an older, slower answer never shows.
 */
export class QueryStage {
  query = $state<ActiveQuery | null>(null);
  /** Queries run so far, newest first (the current one in front). */
  history = $state.raw<HistoryEntry[]>([]);
  result = $state.raw<SearchResult | null>(null);
  error = $state<string | null>(null);
  /** Queries replaced by a newer one before the search worker reached them (never run). */
  supersededQueries = $state(0);
  /** HNSW's first run of the page's first query, in ms: cold code and caches show here, not in the warm median. */
  firstQueryMs = $state<number | null>(null);

  /**
   * Settles once the page's first answer is on screen: MobileNet (src/app/afterReady.ts) and the object
   * detector load after it, so the first result's render has the two cores to itself.
   */
  readonly firstAnswer: Promise<void>;
  private answerFirst = () => {};

  /** One search in flight and at most one waiting: a burst of clicks never builds a backlog in the worker. */
  private readonly searches = new LatestOnly<SearchResult>();
  private current = new AbortController();
  /** Embedding of the last image (or crop) the user gave, to re-run it with other knobs. */
  private queryVector: Float32Array | null = null;

  constructor(
    private readonly catalogue: CatalogueStage,
    private readonly embed: EmbedStage,
    private readonly index: IndexStage,
    private readonly settings: () => SearchSettings,
    private readonly onShown: (query: ShareableQuery) => void,
    /** The pgvector engine when `engines=` lists it: it answers after exact and HNSW, in its own worker. */
    private readonly pgvector: PgvectorStage | null = null,
  ) {
    this.firstAnswer = new Promise((resolve) => (this.answerFirst = resolve));
  }

  get canQuery(): boolean {
    return this.index.canQuery;
  }

  /** The query's image waits for MobileNet, still loading in the background after the page got ready. */
  get waitingForModel(): boolean {
    return this.query !== null && this.query.embedMs === null && this.embed.modelLoading;
  }

  async queryCatalogueItem(item: CatalogueItem, crop: Rect | null = null): Promise<void> {
    if (!this.canQuery) return;
    if (this.catalogue.isSkipped(item.id)) {
      this.error = `${item.file} was not indexed (it could not be decoded).`;
      return;
    }
    const url = this.catalogue.imageUrl(item);
    const query = { id: item.id, name: item.file, url, label: item.label, source: url, crop };
    if (crop) return this.embedQuery({ ...query, ...PENDING_EMBED });
    this.replaceQuery({ ...query, embedMs: 0, preprocessMs: 0, modelMs: 0 });
    await this.runQuery({ id: item.id });
  }

  async queryFile(file: File): Promise<void> {
    if (!this.canQuery) return;
    const signal = this.begin();
    // Checked before the file is shown: an SVG (a document that can carry script) never reaches an <img>.
    const refusal = unsupportedFormat(new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer()));
    if (signal.aborted) return;
    if (refusal) {
      this.error = `${file.name}: ${refusal}`;
      return;
    }
    const url = URL.createObjectURL(file);
    await this.embedQuery({ id: null, name: file.name, url, label: null, source: file, crop: null, ...PENDING_EMBED });
  }

  /** Searches with a region of the current query image, or with the whole image again (null). */
  async cropQuery(crop: Rect | null): Promise<void> {
    const query = this.query;
    if (!query || !this.canQuery) return;
    const item = query.id === null ? undefined : this.catalogue.itemById.get(query.id);
    if (item && !crop) await this.queryCatalogueItem(item);
    else await this.embedQuery({ ...query, crop, ...PENDING_EMBED });
  }

  /**
   * Searches a region of the current query image without making it the query (one row of
   * "Search each object"): embedded and searched with the page's knobs and rules, HNSW's answer.
   */
  async searchRegion(crop: Rect): Promise<Neighbour[]> {
    const query = this.query;
    if (!query || !this.canQuery) return [];
    const embedded = await this.embed.embedQuery(query.source, crop);
    const { k, efSearch, rules } = this.settings();
    const result = await this.index.search.search({ vector: embedded.vector }, k, efSearch, rules);
    return result.reranked.hnsw.kept;
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
    const item = this.catalogue.itemById.get(entry.id);
    if (item) await this.queryCatalogueItem(item, entry.crop);
    else this.error = `${entry.name} is no longer in the catalogue.`;
  }

  /** Runs the catalogue image a URL names, with its crop. */
  async queryId(id: number, crop: Rect | null): Promise<void> {
    const item = this.catalogue.itemById.get(id);
    if (item) await this.queryCatalogueItem(item, crop);
    else this.error = `The URL's query image (id ${id}) is not in this catalogue.`;
  }

  /** No query: after its image was deleted, or a new catalogue (the history goes with it). */
  clear({ history }: { history: boolean }): void {
    this.replaceQuery(null);
    this.result = null;
    this.error = null;
    if (history) this.history = [];
  }

  /** Runs the current query again, for new knobs or rules, or after the catalogue changed. */
  async rerun(): Promise<void> {
    if (!this.query) return;
    if (this.query.id !== null && !this.query.crop) await this.runQuery({ id: this.query.id });
    else if (this.queryVector) await this.runQuery({ vector: this.queryVector });
  }

  /**
   * Runs the current query again because the index grew (live indexing) without cancelling
   * anything: a query the user starts meanwhile aborts this one, so its answer never shows.
   */
  async refresh(): Promise<void> {
    if (!this.query || !this.canQuery) return;
    const vector = this.queryVector;
    if (this.query.id !== null && !this.query.crop) await this.runQuery({ id: this.query.id }, this.current.signal);
    else if (vector) await this.runQuery({ vector }, this.current.signal);
  }

  /** A new query starts: the one before it may still finish, but can no longer show. */
  private begin(): AbortSignal {
    this.current.abort();
    this.current = new AbortController();
    return this.current.signal;
  }

  /** Embeds the query image (or its crop) in a worker, then searches with the vector. */
  private async embedQuery(query: ActiveQuery): Promise<void> {
    const signal = this.begin();
    this.replaceQuery(query);
    this.result = null;
    this.error = null;
    try {
      // A plain copy: the crop may be a reactive proxy, which cannot be posted to a worker.
      const embedded = await this.embed.embedQuery(query.source, query.crop ? $state.snapshot(query.crop) : null);
      if (signal.aborted) return;
      this.queryVector = embedded.vector;
      this.query = {
        ...query,
        embedMs: embedded.embedMs,
        preprocessMs: embedded.preprocessMs,
        modelMs: embedded.modelMs,
      };
      await this.runQuery({ vector: embedded.vector }, signal);
    } catch (error) {
      if (!signal.aborted) this.error = `${query.name}: ${errorMessage(error)}`;
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
    const shareable = query !== null && query.id !== null && !this.catalogue.isLocal(query.id);
    this.onShown({ q: shareable ? query.id : null, crop: shareable ? query.crop : null });
  }

  private async runQuery(query: SearchQuery, signal = this.begin()): Promise<void> {
    this.error = null;
    const { k, efSearch, rules, engines } = this.settings();
    try {
      const result = await this.searches.run(() => this.index.query(query, k, efSearch, rules, engines));
      this.supersededQueries = this.searches.superseded;
      // A slower, older query must never overwrite a newer one.
      if (result !== SUPERSEDED && !signal.aborted) {
        this.result = result;
        this.firstQueryMs ??= result.hnswFirstMs;
        void afterNextPaint().then(this.answerFirst);
        // pgvector holds the frozen embeddings: with a trained head serving, its answer would not be comparable.
        if (this.pgvector && this.index.head === null) await this.addPgvector(result, query, signal);
      }
    } catch (error) {
      if (!signal.aborted) this.error = errorMessage(error);
    }
  }

  /** Exact and HNSW show as soon as they come; the pgvector column fills when its worker answers. */
  private async addPgvector(result: SearchResult, query: SearchQuery, signal: AbortSignal): Promise<void> {
    const { k, efSearch, rules } = this.settings();
    const answer = await this.pgvector!.search(query, { k, efSearch, rules });
    // Still the same result on screen: no newer query, no other knobs meanwhile.
    if (answer && !signal.aborted && this.result === result) {
      this.result = { ...result, extra: { ...result.extra, pgvector: answer.answer } };
    }
  }
}
