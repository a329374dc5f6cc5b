import { errorMessage } from '../lib/errors';
import type { Stages } from './stages';
import { SUPPORTED_FORMATS_TEXT } from '../lib/imageFormat';
import { rerankRules, type RerankSettings } from '../lib/rerankRules';
import type { PipelineState, StageReporter } from '../lib/types';
import {
  DEFAULT_PARAMS,
  ENGINES,
  clampKnobs,
  formatParams,
  hnswParams,
  type AppParams,
  type Engine,
  type View,
} from '../lib/params';
import {
  SetupProblem,
  appUrl,
  loadCatalogueList,
  loadDetectorIndex,
  loadManifest,
  loadModelIndex,
} from '../features/catalogue/client/assets';
import { CatalogueStage } from '../features/catalogue/client/catalogueStage.svelte';
import { LiveIndexing } from '../features/catalogue/client/liveIndexing.svelte';
import { DetectStage } from '../features/detect/client/detectStage.svelte';
import { ObjectIndexing } from '../features/detect/client/objectIndexing.svelte';
import { EmbedStage } from '../features/embed/client/embedStage.svelte';
import { EvaluationLab } from '../features/lab/client/evaluationLab.svelte';
import type { LabContext } from '../features/lab/client/labJob.svelte';
import { ModelComparison } from '../features/lab/client/modelComparison.svelte';
import { ScaleLab } from '../features/lab/client/scaleLab.svelte';
import { SweepLab } from '../features/lab/client/sweepLab.svelte';
import { TrainingLab } from '../features/train/client/trainingLab.svelte';
import { MapLab } from '../features/map/client/mapLab.svelte';
import { QueryStage, type ShareableQuery } from '../features/query/client/queryStage.svelte';
import { IndexStage } from '../features/search/client/indexStage.svelte';
import { extraEngines } from '../features/search/shared/protocol';
import { QuantizationLab } from '../features/quantize/client/quantizationLab.svelte';
import { PgvectorStage } from '../features/pgvector/client/pgvectorStage.svelte';
import { PqColumn } from '../features/quantize/client/pqColumn.svelte';
import { BrowserStore } from '../features/storage/client/browserStore';
import { ClickLog } from '../features/online/client/clickLog.svelte';
import { OnlineLab } from '../features/online/client/onlineLab.svelte';
import { startAfterReady } from './afterReady';
import { afterNextPaint, yieldToMain } from '../lib/yieldToMain';

export interface Problem {
  title: string;
  detail: string;
  fix: string | null;
}

/**
 * The page: the URL's knobs, the pipeline's state, and the stages wired together for the URL's
 * catalogue and model — catalogue → embed → index → query → re-rank → show. The stages do the
 * work; this only connects them and keeps the URL in step.
 */
export class Session {
  params = $state<AppParams>(DEFAULT_PARAMS);
  state = $state<PipelineState>('loading');
  stageText = $state('Loading models and catalogue…');
  problem = $state<Problem | null>(null);
  /** Why browser storage is not used, or why a stored index or bundle was not; null when all is well. */
  storageNotice = $state<string | null>(null);
  /** Milliseconds from the start of the page load to the first ready index; null until then. */
  readyMs = $state<number | null>(null);
  /** Null until the assets are loaded (and after a setup problem). */
  stages = $state.raw<Stages | null>(null);

  private readonly report: StageReporter = {
    status: (state, text) => {
      this.state = state;
      this.stageText = text;
    },
    notice: (message) => {
      this.storageNotice = message;
    },
    warn: (message) => {
      if (this.stages) this.stages.query.error = message;
    },
  };

  constructor(params: AppParams) {
    this.params = params;
  }

  async start(): Promise<void> {
    let stages: Stages;
    try {
      stages = await this.load();
      // Building the stages (the search worker starts), the page's first render of them, and reading
      // the bundle (its worker starts) each in a task of their own: together they made one of 50 ms.
      // The bundle waits for the first render to be painted, or its steps joined the same frame.
      await yieldToMain();
      this.stages = stages;
      await afterNextPaint();
      const embedded = await stages.embed.embedCatalogue(stages.catalogue);
      const hashes = Array.from(embedded.ids, (id) => stages.catalogue.itemById.get(id)?.hash ?? '');
      await stages.index.load(embedded, hnswParams(this.params), {
        vectorsFromBundle: stages.embed.allFromBundle(hashes),
      });
      this.readyMs = performance.now();
      this.loadPgvector(stages);
      // Showing the URL's image query clears a tag query: the URL's own comes back after it.
      const { tags } = this.params;
      if (this.params.q !== null) await stages.query.queryId(this.params.q, this.params.crop);
      this.update({ tags });
      if (this.params.objects) void stages.objects.setEnabled(true);
    } catch (error) {
      this.fail(error);
      return;
    }
    startAfterReady(stages);
  }

  /** Changes k or efSearch: the index stays, the current query runs again. */
  async setSearchKnobs(knobs: Partial<Record<'k' | 'efSearch', number | null>>): Promise<void> {
    this.update(clampKnobs(knobs, this.params));
    await this.stages?.query.rerun();
  }

  /** Changes M or efConstruction: the index is rebuilt from the stored vectors. */
  async setIndexKnobs(knobs: Partial<Record<'M' | 'efConstruction', number | null>>): Promise<void> {
    this.update(clampKnobs(knobs, this.params));
    if (this.state !== 'ready' || !this.stages) return;
    const { serving, ran } = await this.stages.index.rebuild(hnswParams(this.params));
    // A refused, failed or cancelled rebuild leaves the old index serving: the knobs go back to it.
    if (serving) this.update(serving);
    if (ran && serving) void this.stages.pgvector?.load(serving);
    if (ran) await this.stages.query.rerun();
  }

  /** Shows or hides an engine's result column (`engines=`, kept in ENGINES' order); the current query runs again. */
  async setEngines(engine: Engine, shown: boolean): Promise<void> {
    const engines = ENGINES.filter((e) => (e === engine ? shown : this.params.engines.includes(e)));
    if (engines.length === 0) return;
    this.update({ engines });
    await this.stages?.query.rerun();
  }

  /** A new tag query (search by words): its results replace the image query's; null clears it. */
  setTags(tags: string | null): void {
    this.update({ tags: tags?.trim() || null });
  }

  /** Changes the re-ranking settings; the current query runs again. */
  async setRerank(change: Partial<RerankSettings>): Promise<void> {
    this.update(change);
    await this.stages?.query.rerun();
  }

  setPresent(present: boolean): void {
    this.update({ present });
  }

  setView(view: View): void {
    this.update({ view });
  }

  /** pgvector loads beside the ready page; the current query gets its column once it is built. */
  private loadPgvector(stages: Stages): void {
    const { pgvector, query } = stages;
    if (!pgvector) return;
    pgvector.onReady = () => void query.refresh();
    void pgvector.load(hnswParams(this.params));
  }

  private update(change: Partial<AppParams>): void {
    this.params = { ...this.params, ...change };
    history.replaceState(null, '', `${location.pathname}${formatParams(this.params)}`);
  }

  /** The URL's model and catalogue, browser storage, and the stages built on them. */
  private async load(): Promise<Stages> {
    const { params, report } = this;
    const [models, catalogues, detectors] = await Promise.all([
      loadModelIndex(),
      loadCatalogueList(),
      loadDetectorIndex(),
    ]);
    const modelId = params.model ?? models.default;
    const model = models.models.find((m) => m.id === modelId);
    if (!model) {
      throw new SetupProblem(
        `Model "${modelId}" is not set up.`,
        `Choose one of: ${models.models.map((m) => m.id).join(', ')}.`,
      );
    }
    const catalogueId = params.catalogue ?? catalogues[0].id;
    const manifest = await loadManifest(catalogueId);
    const items = params.limit ? manifest.items.slice(0, params.limit) : manifest.items;
    if (items.length === 0) {
      throw new SetupProblem(
        `Catalogue "${catalogueId}" has no images.`,
        `Add ${SUPPORTED_FORMATS_TEXT} files to its folder and run setup again.`,
      );
    }
    const storage = await BrowserStore.open(report.notice);
    const catalogue = new CatalogueStage(catalogueId, items);
    const embed = new EmbedStage(
      model,
      {
        workers: params.workers,
        precomputed: params.precomputed,
        backend: params.backend,
        crashOnBatch: params.crash,
        loseContextOnBatch: params.loseContext,
      },
      storage,
      report,
    );
    const index = new IndexStage(catalogue, model.id, storage, report);
    index.prepare();
    const pgvector = params.engines.includes('pgvector') ? new PgvectorStage(catalogue, index, model.id) : null;
    const query = new QueryStage(
      catalogue,
      embed,
      index,
      () => ({
        k: this.params.k,
        efSearch: this.params.efSearch,
        rules: rerankRules(this.params, catalogue.items, (id) => embed.tags.of(id)),
        engines: extraEngines(this.params.engines),
      }),
      (shown: ShareableQuery) => this.update({ ...shown, tags: null }),
      pgvector,
    );
    // PQ's codes are trained off the search worker while its column is shown; the query then runs again.
    const pqColumn = new PqColumn(catalogue, index, model.id, () => this.params.engines.includes('pq'));
    pqColumn.onReady = () => void query.refresh();
    const live = new LiveIndexing(
      catalogue,
      embed,
      index,
      query,
      storage,
      () => hnswParams(this.params),
      report.status,
    );
    const lab: LabContext = {
      catalogue,
      embed,
      index,
      models: models.models,
      params: () => this.params,
      // Labs wait while a folder or added images are being indexed (LiveIndexing.active).
      indexing: () => live.active,
    };
    const detect = new DetectStage(detectors, query, params.backend, appUrl, embed.tags);
    // The Search tab's knob writes the URL's `objects=`.
    const objects = new ObjectIndexing({ catalogue, embed, index, query, detect }, model.id, report.notice, (on) =>
      this.update({ objects: on }),
    );
    const clicks = new ClickLog(catalogueId);
    const evaluation = new EvaluationLab(lab);
    const training = new TrainingLab(lab, () => evaluation.k);
    return {
      models,
      catalogues,
      storage,
      catalogue,
      embed,
      index,
      query,
      live,
      detect,
      labs: {
        sweep: new SweepLab(lab, pgvector),
        scale: new ScaleLab(lab),
        evaluation,
        models: new ModelComparison(lab),
        training,
        map: new MapLab(
          index,
          () => training.head,
          (head, vectors) => training.project(head, vectors),
        ),
        online: new OnlineLab(lab, clicks, training),
        quantization: new QuantizationLab(lab),
      },
      clicks,
      pgvector,
      pqColumn,
      objects,
    };
  }

  private fail(error: unknown): void {
    this.state = 'error';
    this.problem =
      error instanceof SetupProblem
        ? { title: 'Setup needed', detail: error.message, fix: error.fix }
        : { title: 'Something went wrong', detail: errorMessage(error), fix: null };
  }
}
