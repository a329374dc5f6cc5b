import { vectorsFingerprint } from '../../../lib/cacheKeys';
import { errorMessage } from '../../../lib/errors';
import { LatestOnly, SUPERSEDED } from '../../../lib/latestOnly';
import {
  COPY_BINARY_FROM_BLOB,
  CREATE_EXTENSION,
  MAX_EF_SEARCH,
  createIndex,
  createTable,
  nearestQuery,
  searchSettings,
} from '../../../lib/pgvectorSql';
import { candidateCount, isActive, type RerankRules } from '../../../lib/rerank';
import type { CatalogueStage } from '../../catalogue/client/catalogueStage.svelte';
import type { IndexStage } from '../../search/client/indexStage.svelte';
import type { HnswParams, SearchQuery } from '../../search/shared/protocol';
import type { PgvectorAnswer, PgvectorOpened, PgvectorProgress } from '../shared/protocol';
import { PgvectorClient } from './client';

export type PgvectorState = PgvectorProgress['stage'] | 'ready' | 'error';

/** The IndexedDB data directory of one catalogue and model: PGlite names its database `/pglite/<dir>`. */
export function pgvectorDataDir(catalogueId: string, modelId: string, dim: number): string {
  const safe = (text: string) => text.replace(/[^\w.-]/g, '_');
  return `idb://vsl-pgvector-${safe(catalogueId)}-${safe(modelId)}-${dim}`;
}

/**
 * The pgvector engine (engines=…,pgvector): Postgres with pgvector in its own worker, loaded with
 * the same vectors as the search worker and indexed with the same M and efConstruction, kept in
 * IndexedDB so the next visit opens it instead of rebuilding. It answers after exact and HNSW:
 * the query stage merges its answer into the result when it comes.
 */
export class PgvectorStage {
  readonly worker = new PgvectorClient();
  state = $state<PgvectorState>('starting');
  progress = $state<PgvectorProgress | null>(null);
  opened = $state.raw<PgvectorOpened | null>(null);
  error = $state<string | null>(null);
  /** pgvector's `hnsw.iterative_scan` for filtered queries. */
  iterativeScan = $state(true);
  /** `SET enable_seqscan = off`: the HNSW index even where the planner would scan every row. */
  forceIndex = $state(false);
  /** The last answer's filter figures and the ef_search it used. */
  last = $state.raw<PgvectorAnswer | null>(null);
  /** The statements of the last query, as run (the WHERE clause only when a rule excludes rows). */
  querySql = $state<string | null>(null);
  /** Parameters of the index built, for the DDL shown. */
  params = $state.raw<HnswParams | null>(null);
  dim = $state(0);
  /** Called when the database is ready, so the current query gets its pgvector column. */
  onReady: () => void = () => {};
  private readonly searches = new LatestOnly<PgvectorAnswer>();
  private opening: AbortController | null = null;

  constructor(
    private readonly catalogue: CatalogueStage,
    private readonly index: IndexStage,
    private readonly modelId: string,
  ) {}

  get ready(): boolean {
    return this.state === 'ready';
  }

  /** The DDL and load statements of the table and index, as the worker ran them. */
  get setupSql(): string {
    if (!this.params || this.dim === 0) return '';
    return [CREATE_EXTENSION, createTable(this.dim), COPY_BINARY_FROM_BLOB, createIndex(this.params)].join('\n');
  }

  /**
   * Loads the search worker's vectors into Postgres and builds the index, or opens the database an
   * earlier visit kept for exactly these vectors and parameters. A newer load cancels this one.
   */
  async load(params: HnswParams): Promise<void> {
    this.opening?.abort();
    const abort = new AbortController();
    this.opening = abort;
    this.state = 'starting';
    this.error = null;
    try {
      const { vectors, ids, dim } = await this.index.search.copyVectors(true);
      const rows = Array.from(ids, (id) => {
        const item = this.catalogue.itemById.get(id);
        return { id, label: item?.label ?? null, file: item?.file ?? null };
      });
      const fingerprint = vectorsFingerprint(
        Array.from(ids, (id) => ({ id, hash: this.catalogue.itemById.get(id)?.hash ?? '' })),
      );
      // Images the user added are not the catalogue's: that table lives in memory only.
      const local = this.catalogue.items.some((item) => this.catalogue.isLocal(item.id));
      const storage = local ? null : pgvectorDataDir(this.catalogue.id, this.modelId, dim);
      const opened = await this.worker.open(
        storage,
        { rows, vectors, dim, fingerprint },
        params,
        (progress) => {
          if (abort.signal.aborted) return;
          this.progress = progress;
          this.state = progress.stage;
        },
        abort.signal,
      );
      if (!opened || abort.signal.aborted) return;
      this.opened = opened;
      this.params = params;
      this.dim = dim;
      this.state = 'ready';
      this.onReady();
    } catch (error) {
      if (abort.signal.aborted) return;
      this.state = 'error';
      this.error = errorMessage(error);
    }
  }

  /** The query through pgvector; null when the database is not ready or a newer query replaced it. */
  async search(
    query: SearchQuery,
    settings: { k: number; efSearch: number; rules: RerankRules | null },
  ): Promise<PgvectorAnswer | null> {
    if (!this.ready) return null;
    const { iterativeScan, forceIndex } = this;
    const plain = 'vector' in query ? { vector: query.vector.slice() } : query;
    try {
      const answer = await this.searches.run(() =>
        this.worker.search(plain, { ...settings, iterativeScan, forceIndex }),
      );
      if (answer === SUPERSEDED) return null;
      this.last = answer;
      this.querySql = this.describeQuery(settings, iterativeScan, forceIndex);
      this.error = null;
      return answer;
    } catch (error) {
      this.error = errorMessage(error);
      return null;
    }
  }

  /** Closes and deletes the stored databases (the Storage tab's Clear). */
  async forget(): Promise<void> {
    this.opening?.abort();
    await this.worker.forget();
    this.opened = null;
    this.last = null;
    this.state = 'error';
    this.error = 'its database was deleted in the Storage tab; load the page again to build it anew';
  }

  private describeQuery(
    settings: { k: number; efSearch: number; rules: RerankRules | null },
    iterative: boolean,
    forceIndex: boolean,
  ) {
    const excluded = settings.rules ? [...settings.rules.excluded.keys()] : [];
    const shown = excluded.length > 20 ? `${excluded.slice(0, 20).join(',')},…` : excluded.join(',');
    const n = this.opened?.count ?? 0;
    const fetched = candidateCount(settings.k, n, isActive(settings.rules));
    const lines = [
      searchSettings(Math.min(MAX_EF_SEARCH, settings.efSearch), iterative, forceIndex),
      `-- the raw top k (recall@k against exact); $1 = the query vector`,
      nearestQuery(Math.min(settings.k, n), false),
    ];
    if (excluded.length > 0) {
      lines.push(
        `-- the business rules as a WHERE (pre-filtering); $2 = '{${shown}}' (${excluded.length} ids)`,
        nearestQuery(fetched, true),
      );
    } else if (fetched > settings.k) {
      lines.push('-- the candidates the re-ranking stage takes', nearestQuery(fetched, false));
    }
    return lines.join('\n');
  }
}
